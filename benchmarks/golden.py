"""Golden outputs: record what cleaner writes on the benchmark corpora, and compare later runs to it.

    python benchmarks/golden.py record /tmp/golden      # before a change to the hot path
    python benchmarks/golden.py compare /tmp/golden     # after it: every difference, file by file

Two jobs, each in a subprocess as a user runs them:

- ``cleaner run`` with the default settings (both dedup levels, report) on the 20k throughput corpus
  (``throughput.build``): the cleaned corpus, ``duplicates.jsonl`` and ``summary.json`` less its timings;
- ``cleaner clean --format jsonl`` on the WCXB dev pages (``../shared/eval/wcxb-dev.jsonl.gz``).

``compare`` prints, per file, whether it is identical and otherwise the first differing records, and
exits 1 when anything differs. ``--docs`` makes a smaller corpus (the CI smoke run).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import REUTERS
from throughput import build

WCXB = REUTERS.parent / "wcxb-dev.jsonl.gz"
FILES = ("run/corpus.jsonl", "run/duplicates.jsonl", "run/summary.json", "wcxb.jsonl")


def produce(dest: Path, docs: int, pages: int | None) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cleaner-golden-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        build(corpus, docs)
        out = Path(tmp) / "out"
        cli = [sys.executable, "-m", "cleaner"]
        subprocess.run([*cli, "run", "-q", str(corpus), "-o", str(out)], check=True)
        (dest / "run").mkdir(exist_ok=True)
        shutil.copy(out / "corpus.jsonl", dest / "run" / "corpus.jsonl")
        # Paths name the temporary folder: written as <tmp>, so two recordings can be compared.
        here = json.dumps(tmp)[1:-1]
        pairs = (out / "duplicates.jsonl").read_text(encoding="utf-8").replace(here, "<tmp>")
        (dest / "run" / "duplicates.jsonl").write_text(pairs, encoding="utf-8")
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8").replace(here, "<tmp>"))
        summary.pop("timings", None)
        (dest / "run" / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
        pages_in = Path(tmp) / "wcxb.jsonl"
        with gzip.open(WCXB, "rt", encoding="utf-8") as f, pages_in.open("w", encoding="utf-8") as g:
            for n, line in enumerate(f):
                if pages is not None and n >= pages:
                    break
                record = json.loads(line)
                g.write(json.dumps({"id": record["id"], "text": record["text"]}, ensure_ascii=False) + "\n")
        with (dest / "wcxb.jsonl").open("wb") as f:
            subprocess.run([*cli, "clean", "-q", "--format", "jsonl", str(pages_in)], check=True, stdout=f)


def compare(golden: Path, fresh: Path) -> int:
    differ = 0
    for name in FILES:
        a, b = (golden / name).read_bytes().splitlines(), (fresh / name).read_bytes().splitlines()
        if a == b:
            print(f"{name}: identical ({len(a)} lines)")
            continue
        differ += 1
        diffs = [i for i in range(max(len(a), len(b))) if i >= len(a) or i >= len(b) or a[i] != b[i]]
        print(f"{name}: {len(diffs)} of {max(len(a), len(b))} lines differ ({len(a)} golden, {len(b)} now)")
        for i in diffs[:3]:
            x, y = (a[i] if i < len(a) else b""), (b[i] if i < len(b) else b"")
            at = next((k for k in range(min(len(x), len(y))) if x[k] != y[k]), min(len(x), len(y)))
            lo = max(0, at - 150)
            print(f"  line {i + 1}, from byte {lo}:\n    golden: {x[lo:at + 150]!r}\n    now:    {y[lo:at + 150]!r}")
    return 1 if differ else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("record", "compare"))
    ap.add_argument("folder", type=Path)
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--pages", type=int, help="only the first N WCXB pages")
    args = ap.parse_args()
    if args.action == "record":
        produce(args.folder, args.docs, args.pages)
        print(f"recorded in {args.folder}")
        return 0
    with tempfile.TemporaryDirectory(prefix="cleaner-golden-now-") as tmp:
        produce(Path(tmp), args.docs, args.pages)
        return compare(args.folder, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
