"""`cleaner run`: the whole job on the seeds, its four outputs, config files, and the report in a browser."""

import json
import os
import shutil
import subprocess

import pytest

from conftest import SEEDS

OUTPUTS = ["duplicates.jsonl", "report.html", "summary.json"]


@pytest.fixture
def seeds_run(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("run", SEEDS, "-o", out)
    assert result.exit_code == 0, result.output
    return out, result


def test_run_writes_cleaned_corpus_and_three_reports(seeds_run, gold, seed_texts):
    out, result = seeds_run
    assert sorted(p.name for p in out.iterdir()) == sorted(list(seed_texts) + OUTPUTS)
    cleaned = (out / "002_63d5fec23f6ba681.txt").read_text(encoding="utf-8")
    assert "China tariffs" not in cleaned and "Related news" not in cleaned
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"] == 5
    assert summary["lines_removed"] == sum(len(v) for v in gold["remove"].values())
    assert summary["dedup"]["pairs"] == {"passage": 2} and summary["dedup"]["dropped"] == []
    assert set(summary["timings"]) >= {"clean_seconds", "dedup_seconds"}
    pairs = [json.loads(line) for line in (out / "duplicates.jsonl").read_text().splitlines()]
    assert [p["level"] for p in pairs] == ["passage", "passage"]
    for p in pairs:  # spans refer to the cleaned files in OUT
        text = (out / os.path.basename(p["a"]["path"])).read_text(encoding="utf-8")
        assert text[p["a"]["chars"][0] : p["a"]["chars"][1]] == p["text"]
    assert "report.html" in result.stderr


def test_report_is_self_contained(seeds_run):
    html = (seeds_run[0] / "report.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "<link" not in html
    data = html.split('<script id="data" type="application/json">', 1)[1].split("</script>", 1)[0]
    payload = json.loads(data)
    assert len(payload["documents"]) == 3 and len(payload["pairs"]) == 2
    removed = [line for d in payload["documents"] for line in d["lines"] if line[2]]
    assert {line[2] for line in removed} >= {"off-topic-insert", "copyright", "repeated-headline"}


def test_run_drops_duplicate_copies_from_output(cli, tmp_path, seed_texts):
    folder = tmp_path / "in"
    folder.mkdir()
    text = seed_texts["003_64dbccd4c86e1892.txt"]
    (folder / "a.txt").write_text(text)
    (folder / "b.txt").write_text("Navigation\n" + text.replace("Assad", "al-Assad", 1))
    (folder / "records.jsonl").write_text(
        json.dumps({"id": "r1", "text": text}) + "\n" + json.dumps({"id": "r2", "text": "Something else entirely."}) + "\n"
    )
    out = tmp_path / "out"
    result = cli("run", folder, "--glob", "*", "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(["a.txt", "records.jsonl"] + OUTPUTS)
    assert [json.loads(line)["id"] for line in (out / "records.jsonl").read_text().splitlines()] == ["r2"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["dedup"]["dropped"] == [str(folder / "b.txt"), "r1"]


def test_run_refuses_output_inside_input(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Some text.")
    result = cli("run", folder, "-o", folder / "out")
    assert result.exit_code == 2 and "inside this input" in result.output
    assert not (folder / "out").exists()


def test_config_file_gives_defaults_and_flags_win(cli, tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("Navigation\nBody.\n")
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\nglob = "*.md"\n[tool.cleaner.dedup]\nthreshold = 0.45\n')
    monkeypatch.chdir(tmp_path / "docs")
    assert cli("clean", ".").stdout == "Body.\n"
    assert cli("clean", ".", "--glob", "*.txt").exit_code == 1  # the flag wins: no .txt files
    shown = cli("config").stdout
    assert f"# config file: {tmp_path / 'pyproject.toml'}" in shown and "threshold = 0.45" in shown
    (tmp_path / "cleaner.toml").write_text("[clean]\nglob = 1\nbogus = true\n")
    bad = cli("clean", ".")
    assert bad.exit_code == 2 and "cleaner.toml: [clean] has no option 'bogus'" in bad.output


def chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_report_in_headless_chromium(seeds_run, tmp_path, gold):
    browser = chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("no chromium on this machine: apt-get install chromium (CI installs it)")
    report = seeds_run[0] / "report.html"
    flags = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
        f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", "--window-size=1280,2200",
    ]
    dom = subprocess.run(flags + ["--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    console_errors = [line for line in dom.stderr.splitlines() if "CONSOLE" in line and ("Error" in line or "Uncaught" in line)]
    assert console_errors == []
    html = dom.stdout
    assert html.count('class="ln removed"') == sum(len(v) for v in gold["remove"].values())
    assert html.count('class="pair"') == 2 and html.count("<mark>") == 4
    assert "must be rebuilt and liberated” from any foreign presence" in html
    shot = tmp_path / "report.png"
    subprocess.run(flags + [f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 10_000


def stderr_on_a_terminal(args):
    """Run the CLI with standard error on a pseudo-terminal; return what it showed there."""
    import pty
    import sys

    master, slave = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "cleaner", *map(str, args)], stderr=slave, stdout=subprocess.DEVNULL)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_and_quiet(tmp_path):
    code, shown = stderr_on_a_terminal(["run", SEEDS, "-o", tmp_path / "a"])
    assert code == 0 and "cleaning" in shown and "100%" in shown and "MB/s" in shown
    code, shown = stderr_on_a_terminal(["run", SEEDS, "-o", tmp_path / "b", "--quiet"])
    assert code == 0 and shown == ""
    code, shown = stderr_on_a_terminal(["dedup", SEEDS])
    assert code == 0 and "hashing" in shown
