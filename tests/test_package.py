"""The package as installed: docstring examples run, rules and the native core ship inside it."""

import doctest
import importlib
import pkgutil
from importlib import resources

import pytest

import cleaner

MODULES = sorted(m.name for m in pkgutil.walk_packages(cleaner.__path__, "cleaner.") if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_rules_ship_inside_the_installed_package():
    installed = resources.files("cleaner") / "rules"
    assert sorted(p.name for p in installed.iterdir() if p.name.endswith(".toml"))
    assert (installed / "lexicon" / "stopwords.toml").is_file()
    assert (installed / "lexicon" / "function-words.toml").is_file()
    assert (installed / "lexicon" / "section-headings.toml").is_file()
    assert (installed / "model" / "classifier.toml").is_file()
    assert importlib.import_module("cleaner._core").RuleSet([("menu", True, False, None)]).first_match(" Menu ") == 0


def test_the_sdist_carries_the_crate_rules_tests_and_fixtures(tmp_path):
    import subprocess
    import sys
    import tarfile

    from conftest import ROOT

    subprocess.run([sys.executable, "-m", "maturin", "sdist", "-o", str(tmp_path)], cwd=ROOT, check=True,
                   capture_output=True)
    (archive,) = tmp_path.glob("*.tar.gz")
    names = {n.split("/", 1)[1] for n in tarfile.open(archive).getnames() if "/" in n}
    for must in ("Cargo.toml", "Cargo.lock", "src/lib.rs", "src/pytables.rs", "cleaner/_core.pyi",
                 "cleaner/rules/navigation.toml", "cleaner/rules/model/classifier.toml", "tests/test_golden.py",
                 "fixtures/golden/input.jsonl", "seeds/002_63d5fec23f6ba681.txt", "README.md"):
        assert must in names, must


def test_the_wheel_carries_the_core_and_the_rules(tmp_path):
    import subprocess
    import sys
    import zipfile

    from conftest import ROOT

    subprocess.run([sys.executable, "-m", "maturin", "build", "--release", "-q", "-o", str(tmp_path)], cwd=ROOT,
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert any(n.startswith("cleaner/_core") and n.endswith(".so") for n in names)
    for must in ("cleaner/_core.pyi", "cleaner/rules/navigation.toml", "cleaner/rules/lexicon/stopwords.toml",
                 "cleaner/rules/model/classifier.toml", "cleaner/cli.py"):
        assert must in names, must
