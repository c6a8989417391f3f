"""Every option of `cleaner clean`, in-process, and every kind of bad input."""

import gzip
import json
import os
import subprocess
import sys

import pytest

from conftest import SEEDS

SEED_004 = "004_c76d129d2dc45aae.txt"


@pytest.fixture
def corpus(tmp_path, seed_texts):
    """The seeds in a small tree: two at the top, three in a subfolder, plus a non-.txt file."""
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    for i, (name, text) in enumerate(seed_texts.items()):
        (root / ("sub" if i >= 2 else "") / name).write_text(text, encoding="utf-8")
    (root / "notes.md").write_text("Navigation\nnot a corpus file\n", encoding="utf-8")
    return root


def jsonl(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_help_for_every_command(cli):
    for args in (["--help"], ["clean", "--help"], ["rules", "--help"], ["rules", "list", "--help"]):
        result = cli(*args)
        assert result.exit_code == 0 and "Usage" in result.output


def test_clean_folder_to_stdout(cli):
    result = cli("clean", SEEDS)
    assert result.exit_code == 0
    assert result.stdout.count("==> ") == 5
    assert "Share This Post" not in result.stdout and "Tribune Content Agency" not in result.stdout
    assert "Moallem insisted that SDF must leave Raqqa city" in result.stdout


def test_output_folder_mirrors_the_tree(cli, corpus, tmp_path, seed_texts):
    out = tmp_path / "out"
    result = cli("clean", corpus, "-o", out)
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*.txt"))
    cleaned = (out / "sub" / SEED_004).read_text(encoding="utf-8")
    assert cleaned.startswith("Get your militia out of southern Syria")
    assert "©" not in cleaned


def test_glob_chooses_files(cli, corpus, tmp_path):
    result = cli("clean", corpus, "--glob", "*.md")
    assert result.exit_code == 0
    assert result.stdout == "not a corpus file\n"


def test_output_jsonl_from_text_files(cli, corpus, tmp_path):
    out = tmp_path / "out.jsonl.gz"
    assert cli("clean", corpus, "-o", out).exit_code == 0
    records = [json.loads(line) for line in gzip.open(out, "rt", encoding="utf-8")]
    assert [r["id"] for r in records] == sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*.txt"))
    share = next(r for r in records if r["id"].startswith("001"))
    assert share["cleaner"]["removed"][-1]["kind"] == "share-prompt"


def test_jsonl_contract_fields_order_and_ids(cli, tmp_path):
    records = [
        {"doc": "a", "body": "Navigation\nReal text stays here.", "n": 1},
        {"doc": "b", "body": "Nothing to remove.", "n": 2},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text(jsonl(records), encoding="utf-8")
    result = cli("clean", path, "--text-field", "body", "--id-field", "doc", "--explain")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [list(r) for r in out] == [["doc", "body", "n", "cleaner"]] * 2
    assert out[0]["body"] == "Real text stays here."
    assert out[0]["cleaner"] == {
        "removed": [{"start": 1, "end": 1, "kind": "navigation", "rule": "nav-words",
                     "reason": "a navigation or menu word on its own line"}],
        "changed": True,
    }
    assert out[1]["cleaner"] == {"removed": [], "changed": False}
    assert f"{path}[a]:1: navigation [nav-words]" in result.stderr


def test_stdin_text_and_jsonl_autodetected(cli):
    text = cli("clean", "-", input="Skip to content\nThe talks resumed.\n")
    assert text.stdout == "The talks resumed.\n"
    records = cli("clean", "-", input=jsonl([{"id": 1, "text": "Menu\nBody."}]))
    assert json.loads(records.stdout)["text"] == "Body."
    forced = cli("clean", "--format", "text", "-", input='{"text": "Menu"}\n')
    assert forced.stdout == '{"text": "Menu"}\n'


def test_in_place_is_atomic_and_keeps_permissions(cli, corpus):
    target = corpus / "sub" / SEED_004
    os.chmod(target, 0o640)
    untouched = corpus / "000_bc8268dc4ac8593a.txt"
    before = untouched.stat().st_mtime_ns
    result = cli("clean", "--in-place", corpus)
    assert result.exit_code == 0
    assert "Navigation" not in target.read_text(encoding="utf-8")
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert untouched.stat().st_mtime_ns == before  # nothing to clean: not rewritten
    assert not [p for p in corpus.rglob(".*.tmp")]


def test_in_place_jsonl_keeps_broken_lines(cli, tmp_path):
    path = tmp_path / "data.jsonl"
    path.write_text('{"id": 1, "text": "Menu\\nBody."}\n{broken\n', encoding="utf-8")
    result = cli("clean", "--in-place", path)
    assert result.exit_code == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["text"] == "Body."
    assert lines[1] == "{broken"


def test_user_rules_and_no_default_rules(cli, tmp_path):
    rules = tmp_path / "mine.toml"
    rules.write_text(
        "[[rule]]\nid = 'ticker'\nkind = 'advertisement'\npattern = 'BREAKING:.*'\ncase_sensitive = true\n"
        "examples.match = ['BREAKING: markets fall']\nexamples.no_match = ['breaking: lower case']\n",
        encoding="utf-8",
    )
    text = "Navigation\nBREAKING: markets fall\nThe story itself."
    both = cli("clean", "--rules", rules, "-", input=text)
    assert both.stdout == "The story itself.\n"
    only = cli("clean", "--rules", rules, "--no-default-rules", "-", input=text)
    assert only.stdout == "Navigation\nThe story itself.\n"


def test_report_counts_kinds_rules_files_and_errors(cli, corpus, tmp_path):
    (corpus / "broken.txt").write_bytes(b"caf\xe9 au lait\n")
    report = tmp_path / "report.json"
    result = cli("clean", corpus, "-o", tmp_path / "out", "--report", report)
    assert result.exit_code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["documents"] == 5
    assert data["by_kind"]["repeated-headline"] == 2
    assert data["by_rule"]["copyright-line"] == 1
    assert data["errors"][0]["path"].endswith("broken.txt") and data["errors"][0]["line"] == 1
    assert data["bytes_out"] < data["bytes_in"]


# Bad input: a clear one-line message, other inputs still done, non-zero exit.

def run_with_bad(cli, tmp_path, name, content):
    good = tmp_path / "good.txt"
    good.write_text("Share this story\nA good line.\n", encoding="utf-8")
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    out = tmp_path / "out"
    return cli("clean", bad, good, "-o", out), (out / "good.txt")


@pytest.mark.parametrize(
    "name,content,message,code",
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary.txt: looks like a binary file", 1),
        ("latin1.txt", b"first line\ncaf\xe9\n", "latin1.txt:2: not valid UTF-8 (byte 0xe9 at offset 14)", 1),
        ("missing.txt", None, "missing.txt: no such file or folder", 1),
        ("empty.txt", b"", "warning: ", 0),
    ],
)
def test_bad_inputs(cli, tmp_path, name, content, message, code):
    result, good_out = run_with_bad(cli, tmp_path, name, content)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert good_out.read_text(encoding="utf-8") == "A good line.\n"


def test_broken_jsonl_line_names_its_line(cli, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(jsonl([{"text": "Menu\nok"}]) + "{not json\n" + '{"title": "no text"}\n' + jsonl([{"text": "fine"}]))
    result = cli("clean", path)
    assert result.exit_code == 1
    assert f"{path}:2: invalid JSON" in result.stderr
    assert f"{path}:3: no string field 'text'" in result.stderr
    assert len(result.stdout.splitlines()) == 4  # one line out per line in, broken ones as they were


def test_bad_rule_file_is_a_usage_error(cli, tmp_path):
    rules = tmp_path / "bad.toml"
    rules.write_text("[[rule]]\nid = 'oops'\nkind = 'navigation'\npattern = '(unclosed'\nexamples.match = ['x']\n")
    result = cli("clean", "--rules", rules, SEEDS)
    assert result.exit_code == 2
    assert "bad.toml: rule 'oops': bad regex" in result.output
    assert result.stdout == ""


def _explained(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": " in line and "[" in line]


def test_classifier_threshold_sets_how_much_goes(cli):
    default = _explained(cli("clean", "--explain", SEEDS))
    strict = cli("clean", "--explain", "--classifier-threshold", "0.9", SEEDS)
    assert strict.exit_code == 0
    low = [line for line in _explained(strict) if "[line-classifier]" in line]
    # A stricter threshold removes more, and the classifier names the threshold it used.
    assert len(_explained(strict)) > len(default)
    assert low and all("content score below 0.9" in line for line in low)
    assert "Moallem insisted that SDF must leave Raqqa city" not in strict.stdout
    off = cli("clean", "--explain", "--classifier-threshold", "0", SEEDS)
    assert not any("[line-classifier]" in line for line in _explained(off))
    assert "Moallem insisted that SDF must leave Raqqa city" in off.stdout


def test_classifier_model_from_a_file_or_a_config_file(cli, tmp_path, monkeypatch):
    from cleaner.rules import default_rules_dir

    weights = (default_rules_dir() / "model" / "classifier.toml").read_text(encoding="utf-8")
    assert "\nthreshold = " in weights
    model = tmp_path / "strict.toml"
    model.write_text(weights.replace("\nthreshold = ", "\nthreshold = 0.9 # was ", 1), encoding="utf-8")
    flag = cli("clean", "--explain", "--classifier-threshold", "0.9", SEEDS)
    by_model = cli("clean", "--explain", "--classifier-model", model, SEEDS)
    assert by_model.exit_code == 0 and by_model.stdout == flag.stdout
    assert _explained(by_model) == _explained(flag)
    # The same option from cleaner.toml, found from the current folder.
    (tmp_path / "cleaner.toml").write_text("classifier-threshold = 0.9\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli("clean", SEEDS).stdout == flag.stdout


def test_bad_classifier_weights_are_a_usage_error(cli, tmp_path):
    bad = tmp_path / "weights.toml"
    bad.write_text("[stage1]\nbias = 0.5\n", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("clean", "--classifier-model", bad, SEEDS, "-o", out)
    assert result.exit_code == 2
    assert f"{bad}: not classifier weights" in result.output
    assert not out.exists()


def test_failing_rule_example_is_reported(cli, tmp_path):
    rules = tmp_path / "wrong.toml"
    rules.write_text("[[rule]]\nid = 'menu-x'\nkind = 'navigation'\npattern = 'menu'\nexamples.match = ['main menu']\n")
    assert "example should match but does not: 'main menu'" in cli("rules", "check", rules).stderr
    assert cli("rules", "check", rules).exit_code == 1


def test_rules_list(cli):
    result = cli("rules", "list")
    assert result.exit_code == 0
    assert "copyright-line\tcopyright\t" in result.stdout


def test_output_over_input_refused(cli, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl([{"text": "x"}]))
    result = cli("clean", path, "-o", path)
    assert result.exit_code == 2 and "overwrite this input" in result.output


def test_python_dash_m_and_console_script(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "-"], input="Navigation\nBody.\n", capture_output=True, text=True
    )
    assert proc.returncode == 0 and proc.stdout == "Body.\n"


def test_jsonl_output_has_one_record_per_line_whatever_the_text(cli):
    text = "line\u2028separator\u2029paragraph\u0085next-line"
    result = cli("clean", "--format", "jsonl", "-", input=jsonl([{"text": text}, {"text": "b"}]))
    lines = result.stdout.splitlines()  # splitlines() breaks on U+2028 too: they must be escaped
    assert len(lines) == 2 and json.loads(lines[0])["text"].startswith("line\u2028separator\u2029paragraph")


def test_output_into_a_closed_pipe_is_quiet():
    big = "A line of ordinary text that is long enough to fill the pipe quickly.\n" * 50_000  # > 64 KiB pipe buffer
    proc = subprocess.run(
        f"{sys.executable} -m cleaner clean --no-classifier - | head -1", shell=True, input=big, capture_output=True, text=True
    )
    assert proc.stdout == big.split("\n")[0] + "\n" and proc.stderr == ""
