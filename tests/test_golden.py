"""The recorded outputs of fixtures/golden/ (scripts/golden_fixture.py), byte for byte.

They were recorded by the pure-Python cleaner before its hot path moved into the native core;
any change to what the core finds (rules, repeated lines, corpus-line keys, tokens, shingles,
signatures, verification) shows up here as a difference in a real file.
"""

import json
import shutil

import pytest

from conftest import FIXTURES

GOLDEN = FIXTURES / "golden"


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    shutil.copy(GOLDEN / "input.jsonl", tmp_path / "input.jsonl")
    monkeypatch.chdir(tmp_path)  # paths in the outputs are the input's, as given: input.jsonl
    return tmp_path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_run_writes_the_recorded_corpus_pairs_and_summary(cli, corpus, jobs):
    assert cli("run", "-q", "input.jsonl", "-o", "out", "--jobs", jobs).exit_code == 0
    for name in ("input.jsonl", "duplicates.jsonl"):
        assert (corpus / "out" / name).read_bytes() == (GOLDEN / f"run-{name}").read_bytes(), name
    summary = json.loads((corpus / "out" / "summary.json").read_text(encoding="utf-8"))
    summary.pop("timings")
    assert summary == json.loads((GOLDEN / "run-summary.json").read_text(encoding="utf-8"))


def test_clean_writes_the_recorded_records(cli, corpus):
    result = cli("clean", "-q", "--format", "jsonl", "input.jsonl")
    assert result.exit_code == 0
    assert result.stdout_bytes == (GOLDEN / "clean.jsonl").read_bytes()
