"""Readers and writers: text files and folders, JSONL(.gz), standard input and output.

Every input problem is an :class:`InputError` that names the path and, where
there is one, the line; readers raise it, and callers decide whether to go on.
Writes to files are atomic: a temporary file in the same folder, then a rename.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BINARY_SNIFF = 8192
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")


class InputError(Exception):
    """An input that cannot be read as asked; ``str()`` is a one-line message."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path, self.message, self.line = path, message, line
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


class OutputError(Exception):
    """An output that cannot be written; the target, if it existed, is untouched."""

    def __init__(self, path: str | Path, err: OSError):
        self.path, self.error = str(path), err
        reason = err.strerror or str(err)
        super().__init__(f"{path}: cannot write: {reason}; nothing was changed there")


@dataclass(frozen=True)
class Source:
    """One input: a text file, a JSONL file, or standard input (``path == "-"``).

    ``relpath`` is where the source sits below the folder it was found in, so
    an output folder can mirror the input tree.
    """

    path: str
    format: str  # "text" or "jsonl"
    relpath: str

    @property
    def is_stdin(self) -> bool:
        return self.path == "-"


def is_jsonl_name(name: str) -> bool:
    return name.lower().endswith(JSONL_SUFFIXES)


def find_sources(paths: list[str], glob: str = "*.txt", fmt: str = "auto") -> Iterator[Source | InputError]:
    """Expand paths into sources, in a stable order; yield an error for each bad path.

    Walking a folder skips hidden files and folders (``.git``, ``.venv``, our own
    temporary files) and does not enter symbolic links to folders; a link to a
    file is read, a broken link or a link loop is reported.
    """
    for raw in paths:
        if raw == "-":
            yield Source("-", "jsonl" if fmt == "jsonl" else "text" if fmt == "text" else "auto", "stdin")
            continue
        path = Path(raw)
        problem = _link_problem(path)
        if problem:
            yield InputError(raw, problem)
        elif path.is_dir():
            found = []
            for p in sorted(path.rglob(glob)):
                rel = p.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                problem = _link_problem(p)
                if problem:
                    yield InputError(str(p), problem)
                elif p.is_file():
                    found.append(Source(str(p), _format_of(p.name, fmt), str(rel)))
            if not found:
                yield InputError(raw, f"no files matching {glob!r} in this folder; pass --glob to choose others")
            yield from found
        elif path.is_file():
            yield Source(raw, _format_of(path.name, fmt), path.name)
        elif path.exists():
            yield InputError(raw, "not a regular file or folder")
        else:
            yield InputError(raw, "no such file or folder")


def _link_problem(path: Path) -> str | None:
    """Why a symbolic link cannot be followed, or None."""
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "symbolic link loop; skipped"
        return f"broken symbolic link (to {os.readlink(path)}); skipped"
    return None


def _format_of(name: str, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    return "jsonl" if is_jsonl_name(name) else "text"


def decode(data: bytes, path: str) -> str:
    """Bytes to text, or an :class:`InputError` that says where and what to do."""
    if b"\x00" in data[:BINARY_SNIFF]:
        raise InputError(path, "looks like a binary file (NUL bytes); skipped")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            path,
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "convert the file to UTF-8, e.g. with iconv, and run again",
            line,
        ) from None


def read_text(source: Source) -> str:
    try:
        data = sys.stdin.buffer.read() if source.is_stdin else Path(source.path).read_bytes()
    except OSError as err:
        raise InputError(source.path, f"cannot read: {err.strerror or err}") from None
    return decode(data, source.path)


@dataclass
class Record:
    """One line of a JSONL source: parsed, or the raw bytes and the error."""

    line: int
    raw: bytes
    data: dict | None = None
    error: InputError | None = None


def open_binary(source: Source):
    """The source's bytes as a stream: standard input, a file, or a gzip file read through."""
    if source.is_stdin:
        return sys.stdin.buffer
    if source.path.lower().endswith(".gz"):
        return gzip.open(source.path, "rb")
    return open(source.path, "rb")


def read_jsonl(
    source: Source, text_field: str = "text", lines: Iterator[bytes] | None = None, parse: bool = True
) -> Iterator[Record]:
    """Stream records; a broken line comes back with its error, never silently dropped.
    Without ``parse``, each record is its line alone (:func:`parse_record` it later)."""
    try:
        stream = lines if lines is not None else open_binary(source)
    except OSError as err:
        raise InputError(source.path, f"cannot read: {err.strerror or err}") from None
    try:
        for n, raw in enumerate(stream, 1):
            if not raw.strip():
                continue
            yield parse_record(source.path, n, raw, text_field) if parse else Record(n, raw)
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        raise InputError(source.path, f"cannot read: {err}") from None
    finally:
        if lines is None and not source.is_stdin:
            stream.close()


def parse_record(path: str, n: int, raw: bytes, text_field: str) -> Record:
    try:
        data = json.loads(decode(raw, path))
    except InputError as err:
        return Record(n, raw, error=InputError(path, err.message, n))
    except json.JSONDecodeError as err:
        return Record(n, raw, error=InputError(path, f"invalid JSON ({err.msg} at column {err.colno}); line kept as is", n))
    if not isinstance(data, dict):
        return Record(n, raw, error=InputError(path, "a JSONL record must be an object; line kept as is", n))
    if not isinstance(data.get(text_field), str):
        return Record(n, raw, error=InputError(path, f"no string field {text_field!r}; pass --text-field; line kept as is", n))
    return Record(n, raw, data)


_LINE_BREAKERS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"})


def dump_record(data: dict) -> bytes:
    """One JSONL line. Non-ASCII is written as is, except the characters some line
    splitters break on (U+2028, U+2029, U+0085), which are escaped.

    >>> dump_record({"text": "a\u2028b"})
    b'{"text": "a\\\\u2028b"}\\n'
    """
    return (json.dumps(data, ensure_ascii=False).translate(_LINE_BREAKERS) + "\n").encode("utf-8")


@contextmanager
def atomic_writer(path: str | Path, compress: bool | None = None):
    """Write ``path`` through a temporary file in the same folder, then rename.

    The original file, if any, keeps its permission bits. If anything fails
    before the rename (a full disk, a signal), the temporary file is removed,
    the target is untouched, and a write error comes out as :class:`OutputError`.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a folder, where a file was expected")
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(path, err) from err
    try:
        with os.fdopen(fd, "wb") as raw:
            stream = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if compress or (
                compress is None and path.name.lower().endswith(".gz")
            ) else raw
            yield stream
            if stream is not raw:
                stream.close()
            raw.flush()
            os.fsync(raw.fileno())
        if mode is None:  # a new file gets the usual permissions, not mkstemp's 0600
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError) and not isinstance(err, BrokenPipeError):
            raise OutputError(path, err) from err
        raise
