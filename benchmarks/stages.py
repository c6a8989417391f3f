"""Where cleaner's time goes: each stage alone, on the throughput corpus, against rensa.

    python benchmarks/stages.py [--docs 20000] [--repeats 3]

Builds the corpus of ``throughput.py`` (Reuters-21578 bodies, then edited copies) and
times, in this one process, each stage over every document: reading the JSONL, repair
(ftfy where text looks damaged), the rule lines, repeated lines, the classifier's scores
(one pass, batches of 256), the off-topic stripper, then document MinHash (tokenise,
hash, signatures, LSH, and the exact verification of candidate pairs); then the whole
cleaner (which also re-scores pages after removals, to a fixed point) and rensa's
MinHash + LSH on the same texts, as in ``throughput.py``. Prints the median seconds of
each, MB/s, and each stage's time over rensa's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from throughput import NGRAM, NUM_PERM, SEED, THRESHOLD, build, run_rensa

from cleaner import Cleaner, DedupConfig, Deduper, Document, _core
from cleaner.clean import BATCH
from cleaner.strip import repair


def stages(path: Path) -> dict:
    """Each stage's function, run over the whole corpus."""
    cleaner = Cleaner()
    c = cleaner.config
    offtopic = cleaner.page_strippers[0]
    with path.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    docs = [Document(t) for t in texts]

    def read() -> None:
        with path.open(encoding="utf-8") as f:
            [json.loads(line) for line in f]

    def each(stripper):
        return lambda: [stripper(d, [True] * len(d.lines)) for d in docs]

    def line_pass(rules, threshold):  # the core's line pass, in the cleaner's batches
        return lambda: [_core.line_pass(texts[i : i + BATCH], rules, threshold, c.repeat_min_chars, c.repeat_max_words)
                        for i in range(0, len(texts), BATCH)]

    def dedup() -> None:
        d = Deduper(DedupConfig(level="document", ngram=NGRAM, num_perm=NUM_PERM, threshold=THRESHOLD, seed=SEED))
        d.add_many(Document(t, id=str(n)) for n, t in enumerate(texts))
        d.dropped()

    return {
        "read JSONL": read,
        "repair": lambda: [repair.repair(t, use_ftfy=True) for t in texts],
        "rule lines": line_pass(cleaner.rules.compiled, None),
        "repeated lines": line_pass(None, c.repeat_threshold),
        "classifier scores": lambda: [cleaner.model.scores(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)],
        "off-topic": each(offtopic),
        "MinHash, LSH, verify": dedup,
        "whole cleaner": lambda: list(cleaner.clean_many(texts)),
        "rensa MinHash + LSH": lambda: run_rensa(str(path)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        mb = build(path, args.docs) / 1e6
        runs = stages(path)
        times = {name: [] for name in runs}
        for _ in range(args.repeats):  # interleaved, so that a slow moment hits every stage alike
            for name, fn in runs.items():
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(ts) for name, ts in times.items()}
    rensa = median["rensa MinHash + LSH"]
    print(f"{args.docs} documents, {mb:.1f} MB; median of {args.repeats} runs, one process")
    print(f"{'stage':<22} {'seconds':>8} {'MB/s':>7} {'/ rensa':>8}")
    for name, t in median.items():
        print(f"{name:<22} {t:8.2f} {mb / t:7.1f} {t / rensa:7.2f}x")
    parts = sum(t for n, t in median.items() if n not in ("whole cleaner", "rensa MinHash + LSH", "read JSONL",
                                                          "MinHash, LSH, verify"))
    print(f"cleaning stages alone sum to {parts:.2f} s, {parts / rensa:.1f}x rensa's whole MinHash + LSH")


if __name__ == "__main__":
    main()
