"""The package as installed: docstring examples run, rules ship inside it."""

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
    if "site-packages" not in str(resources.files("cleaner")):
        pytest.skip("running from a checkout: rules come from the top-level rules/ folder")
    assert sorted(p.name for p in installed.iterdir() if p.name.endswith(".toml"))
    assert (installed / "lexicon" / "stopwords.toml").is_file()
    assert (installed / "lexicon" / "function-words.toml").is_file()
    assert (installed / "lexicon" / "section-headings.toml").is_file()
    assert (installed / "model" / "classifier.toml").is_file()
