"""Options from ``cleaner.toml`` or ``[tool.cleaner]`` in ``pyproject.toml``.

The first of those found from the current folder upward holds the same options
as the command line, by their long names, in a table per command (or at the
top level, for every command that has the option)::

    # cleaner.toml
    glob = "*.md"
    [dedup]
    threshold = 0.4
    keep = "longest"

Flags given on the command line win.
"""

from __future__ import annotations

import tomllib
from pathlib import Path


class SettingsError(ValueError):
    """A config file that cannot be used; the message names the file and the key."""


def find_settings(start: Path | None = None) -> tuple[Path | None, dict]:
    """The config file that applies here and its table (empty when there is none)."""
    folder = (start or Path.cwd()).resolve()
    for d in (folder, *folder.parents):
        for name in ("cleaner.toml", "pyproject.toml"):
            path = d / name
            if not path.is_file():
                continue
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
                raise SettingsError(f"{path}: cannot read: {err}") from None
            if name == "pyproject.toml":
                data = data.get("tool", {}).get("cleaner")
                if data is None:
                    continue
            return path, data
    return None, {}


def default_map(path: Path | None, data: dict, commands: dict[str, dict[str, str]]) -> dict:
    """click's ``default_map`` from a config table. ``commands`` maps command -> {option name: parameter name}."""
    out: dict[str, dict] = {name: {} for name in commands}
    known = {opt for options in commands.values() for opt in options}
    for key, value in data.items():
        if isinstance(value, dict):
            if key not in commands:
                raise SettingsError(f"{path}: [{key}] is not a command; use one of {', '.join(sorted(commands))}")
            for opt, v in value.items():
                if opt not in commands[key]:
                    raise SettingsError(f"{path}: [{key}] has no option {opt!r}")
                out[key][commands[key][opt]] = v
        elif key in known:
            for name, options in commands.items():
                if key in options:
                    out[name].setdefault(options[key], value)
        else:
            raise SettingsError(f"{path}: unknown option {key!r}")
    return out
