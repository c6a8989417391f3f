"""--jobs: worker processes clean; the output is the same, byte for byte and in order, for any number."""

import json

from cleaner import Cleaner, Document
from cleaner.workers import CHUNK_DOCS, CleanPool


def test_the_pool_keeps_order_and_results(seed_texts):
    texts = list(seed_texts.values())
    items = [(n, Document(texts[n % len(texts)] + f"\n(record {n})") if n % 7 else None) for n in range(3 * CHUNK_DOCS)]
    cleaner = Cleaner()
    with CleanPool(cleaner, jobs=2) as pool:
        out = list(pool.map(items))
        assert pool._executor is not None  # three chunks: the workers did the work
    assert [p for p, _, _ in out] == [p for p, _ in items]
    for (_, doc, result), (_, want) in zip(out, items):
        assert (result is None) == (want is None)
        if want is not None:
            local = cleaner.clean(want)
            assert (result.text, result.removals, result.repairs) == (local.text, local.removals, local.repairs)


def corpus(tmp_path, seed_texts):
    root = tmp_path / "in"
    (root / "pages").mkdir(parents=True)
    texts = list(seed_texts.values())
    with (root / "big.jsonl").open("w", encoding="utf-8") as f:
        for n in range(1500):
            f.write(json.dumps({"id": f"r{n}", "text": texts[n % 5] + f"\nStory {n % 40}."}) + "\n")
            if n == 700:
                f.write("{broken\n")
    for n in range(300):
        (root / "pages" / f"{n:03d}.txt").write_text(texts[n % 5].replace("Syria", f"Syria ({n})"), encoding="utf-8")
    return root


def test_clean_output_is_identical_for_any_number_of_jobs(cli, tmp_path, seed_texts):
    root = corpus(tmp_path, seed_texts)
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        result = cli("clean", root / "big.jsonl", root / "pages", "-o", out, "--jobs", jobs,
                     "--report", tmp_path / f"report{jobs}.json")
        assert result.exit_code == 1 and "big.jsonl:702: invalid JSON" in result.stderr
        outputs[jobs] = (out.read_bytes(), (tmp_path / f"report{jobs}.json").read_bytes())
    assert outputs[1] == outputs[2]
    assert outputs[1][0].count(b"\n") == 1801


def test_run_output_is_identical_for_any_number_of_jobs(cli, tmp_path, seed_texts):
    root = corpus(tmp_path, seed_texts)
    got = {}
    for jobs in (1, 2):
        out = tmp_path / f"run{jobs}"
        assert cli("run", "-q", root, "--glob", "*.txt", "-o", out, "--jobs", jobs, "--level", "document").exit_code == 0
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        summary = json.loads(files.pop("summary.json"))
        summary.pop("timings")
        files.pop("report.html")  # embeds the timings
        got[jobs] = (files, summary)
    assert got[1] == got[2]
    assert got[1][1]["dedup"]["dropped"]  # the numbered copies are near-duplicates: real dedup work


def test_a_library_script_without_a_main_guard_runs_on_workers(tmp_path, seed_texts):
    """A plain script calling the library with jobs=2 works as written (no ``if __name__`` guard)."""
    import subprocess
    import sys

    root = corpus(tmp_path, seed_texts)
    script = tmp_path / "clean_corpus.py"
    script.write_text(
        "from cleaner import Cleaner\n"
        "from cleaner.config import DedupConfig\n"
        "from cleaner.pipeline import run_corpus\n"
        f"result = run_corpus([{str(root / 'pages')!r}], {str(tmp_path / 'out')!r}, Cleaner(), DedupConfig(level='document'), jobs=2)\n"
        "print(result.summary.documents, result.pairs, len(result.dropped))\n",
        encoding="utf-8",
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    documents, pairs, dropped = map(int, proc.stdout.split())
    assert documents == 300 and pairs > 0 and dropped > 0
    assert len(list((tmp_path / "out").rglob("*.txt"))) == 300 - dropped


def test_pairs_aligned_on_a_pool_are_the_pairs_aligned_here(seed_texts):
    """Document pairs aligned in worker processes, batch by batch: the same pairs, in the same order."""
    from cleaner import DedupConfig, Deduper
    from cleaner.dedup.deduper import ALIGN_BATCH
    from cleaner.workers import Pool

    deduper = Deduper(DedupConfig(level="document"))
    texts = list(seed_texts.values())
    for n in range(120):  # every copy of a seed pairs with every other: 5 x C(24, 2) = 1380 pairs
        text = texts[n % 5] + f"\n\n#{n:03d}"
        deduper.add(Document(text, id=f"d{n:03d}", path=f"d{n:03d}.txt"))
    here = deduper.pairs()
    with Pool(2) as pool:
        there = list(deduper.iter_pairs(pool))
    assert len(here) > 3 * ALIGN_BATCH
    assert there == here
    assert all("#" not in p.text for p in here)  # the shared span, not the whole texts
