"""The README's two commands are the ones that CI and users run."""

import re

from conftest import ROOT


def commands():
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_starts_with_install_and_test_commands():
    first, second = commands()[:2]
    assert "pip install ." in first and first.split("&&")[-1].strip() == "cleaner run seeds/ -o out/"
    assert second.endswith("pytest")


def test_ci_runs_the_readme_test_command():
    assert commands()[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
