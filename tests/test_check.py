"""`cleaner check`: linter-style findings, --fix, --format json, exit codes."""

import json
import re

from cleaner import clean
from cleaner.check import check_corpus

SEED_002, SEED_004 = "002_63d5fec23f6ba681.txt", "004_c76d129d2dc45aae.txt"


def findings_of(output: str) -> list[tuple[str, int, str, str]]:
    return [(m[1], int(m[2]), m[3], m[4]) for m in re.finditer(r"^(\S+):(\d+): (\S+) \[(\S+)\] ", output, re.M)]


def test_findings_are_the_gold_lines(cli, tmp_path, seed_texts, gold):
    for name, text in seed_texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = cli("check", "--no-dedup", *sorted(tmp_path.iterdir()))
    assert result.exit_code == 1
    found = {(p.split("/")[-1], n): kind for p, n, kind, _ in findings_of(result.stdout)}
    want = {(name, int(n)): kind for name, lines in gold["remove"].items() for n, kind in lines.items()}
    # One finding per removal, at its first line: the two-line off-topic paragraph is one finding.
    assert set(found.items()) == set(want.items()) - {((SEED_002, 22), "off-topic-insert")}
    assert "Found 14 problem(s) in 3 file(s)." in result.stdout
    # Nothing changed on disk.
    assert all((tmp_path / n).read_text(encoding="utf-8") == t for n, t in seed_texts.items())


def test_clean_files_exit_0(cli, tmp_path, seed_texts):
    path = tmp_path / "a.txt"
    path.write_text(clean(seed_texts[SEED_004]).text, encoding="utf-8")
    result = cli("check", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("All clean: 1 document(s)")


def test_fix_rewrites_atomically_and_says_so(cli, tmp_path, seed_texts):
    dirty, done = tmp_path / "dirty.txt", tmp_path / "done.txt"
    dirty.write_text(seed_texts[SEED_004], encoding="utf-8")
    done.write_text(clean(seed_texts[SEED_002]).text, encoding="utf-8")
    dirty.chmod(0o640)
    before = done.stat().st_mtime_ns
    result = cli("check", "--fix", "--no-dedup", dirty, done)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"Fixing {dirty}", "Fixed 7 problem(s) in 1 file(s)."]
    assert dirty.read_text(encoding="utf-8") == clean(seed_texts[SEED_004]).text
    assert dirty.stat().st_mode & 0o777 == 0o640
    assert done.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dirty.txt", "done.txt"]
    again = cli("check", "--fix", "--no-dedup", dirty, done)
    assert again.exit_code == 0 and "Fixing" not in again.stdout


def test_jsonl_findings_name_the_record_and_fix_keeps_other_records_byte_for_byte(cli, tmp_path, seed_texts):
    path = tmp_path / "c.jsonl"
    untouched = '{"id":"keep","text":"A plain sentence.",  "extra": [1, 2]}\n'
    path.write_text(untouched + json.dumps({"id": "s4", "text": seed_texts[SEED_004]}) + "\n", encoding="utf-8")
    result = cli("check", "--no-dedup", path)
    assert result.exit_code == 1
    assert f"{path}:2: copyright [copyright-line] a copyright notice (record s4, text line 43)" in result.stdout
    fixed = cli("check", "--fix", "--no-dedup", path)
    assert fixed.exit_code == 1 and f"Fixing {path}" in fixed.stdout
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0] == untouched
    assert json.loads(lines[1]) == {"id": "s4", "text": clean(seed_texts[SEED_004]).text}


def test_json_format(cli, tmp_path, seed_texts):
    (tmp_path / "a.txt").write_text(seed_texts[SEED_004], encoding="utf-8")
    result = cli("check", "--format", "json", tmp_path / "a.txt", tmp_path / "missing.txt")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [f["rule"] for f in data["findings"]][:2] == ["nav-words", "channel-join"]
    assert data["errors"] == [{"path": str(tmp_path / "missing.txt"), "line": None, "message": "no such file or folder"}]
    assert data["fixed"] == [] and data["documents"] == 1


def test_near_duplicates_against_the_repository(cli, tmp_path, seed_texts, monkeypatch):
    repo = tmp_path / "repo"
    (repo / "news").mkdir(parents=True)
    (repo / ".git").mkdir()
    story = clean(seed_texts[SEED_004]).text
    (repo / "news" / "old.txt").write_text(story, encoding="utf-8")
    (repo / ".git" / "copy.txt").write_text(story, encoding="utf-8")  # hidden folders are not the corpus
    (repo / "news" / "new.txt").write_text(story.replace("said", "told reporters") + "\nMore later.\n", encoding="utf-8")
    (repo / "news" / "other.txt").write_text(clean(seed_texts[SEED_002]).text, encoding="utf-8")
    monkeypatch.chdir(repo)
    result = cli("check", "--no-clean", "--against", ".", "news/new.txt", "news/other.txt")
    assert result.exit_code == 1
    found = findings_of(result.stdout)
    assert found == [("news/new.txt", found[0][1], "near-duplicate", "document")]
    assert "near-duplicate of news/old.txt (Jaccard 0." in result.stdout
    # The same files alone: nothing to compare with, so nothing found.
    assert cli("check", "--no-clean", "news/new.txt", "news/other.txt").exit_code == 0


def test_two_checked_copies_report_the_one_dedup_drops(tmp_path, seed_texts):
    story = clean(seed_texts[SEED_004]).text
    (tmp_path / "a.txt").write_text(story, encoding="utf-8")
    (tmp_path / "b.txt").write_text(story + "\nUpdated.\n", encoding="utf-8")
    from cleaner import DedupConfig

    result = check_corpus([str(tmp_path)], None, DedupConfig(level="document"))
    assert [(f.path, f.kind) for f in result.findings] == [(str(tmp_path / "b.txt"), "near-duplicate")]


def test_index_is_compared_with_and_left_unchanged(cli, tmp_path, seed_texts):
    story = clean(seed_texts[SEED_004]).text
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "a.txt").write_text(story, encoding="utf-8")
    index = tmp_path / "corpus.index"
    assert cli("dedup", "-q", "--level", "document", "--index", index, tmp_path / "old", "--report", tmp_path / "r.jsonl").exit_code == 0
    size = index.stat().st_size
    (tmp_path / "new.txt").write_text(story + "\nMore.\n", encoding="utf-8")
    result = cli("check", "--no-clean", "--index", index, tmp_path / "new.txt")
    assert result.exit_code == 1
    assert f"near-duplicate of {tmp_path / 'old' / 'a.txt'}" in result.stdout
    assert index.stat().st_size == size


def test_usage_errors_exit_2(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]]\nid = 'x'\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Navigation\n", encoding="utf-8")
    assert cli("check", "--rules", bad, tmp_path / "a.txt").exit_code == 2
    assert cli("check", "--level", "nonsense", tmp_path / "a.txt").exit_code == 2
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe bad bytes")
    result = cli("check", tmp_path / "a.txt", tmp_path / "b.txt")
    assert result.exit_code == 2
    assert "not valid UTF-8" in result.stderr and f"{tmp_path / 'a.txt'}:1: navigation" in result.stdout
