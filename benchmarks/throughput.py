"""Throughput and memory of cleaner against MinHash peers, side by side on the same corpus.

    python benchmarks/throughput.py                           # 20k documents, 3 runs each
    python benchmarks/throughput.py --docs 200000 --repeats 1

Builds a JSONL corpus from Reuters-21578 bodies (``../shared/eval/reuters21578.jsonl.gz``):
the bodies in order, then, past the ~19k bodies, copies with deterministic edits (a new
dateline, 5% of words changed, a footer), so dedup has real work. Every system runs in its
own subprocess on the same file, from reading the JSONL to the duplicate pairs, with the
same shingles (word bigrams, casefolded ``\\w+`` tokens), 128 permutations and LSH bands for
Jaccard 0.3:

- ``cleaner run -j1`` / ``-j2``: the main job with its defaults: clean, dedup at both levels (documents
  and passages), the cleaned corpus, ``duplicates.jsonl``, ``summary.json`` and ``report.html`` written;
- ``cleaner run --level document``: the same with document dedup only;
- ``cleaner clean``: cleaning alone, the cleaned corpus written as JSONL;
- ``cleaner minhash``: cleaner's Deduper alone (tokenise, hash, signatures, LSH, verify);
- ``rensa``: RMinHash + RMinHashLSH (Rust), verified with its Jaccard estimate;
- ``datasketch bulk``: ``MinHash.bulk`` + ``MinHashLSH``;
- ``datatrove``: its C4 line filter (``C4QualityFilter``, sentence count off: it needs
  spaCy) then its 4-stage MinHash dedup with a whitespace tokenizer.

Prints, per system, the median wall time over the runs (runs interleaved), documents/s,
MB/s, peak RSS (process tree), and ratios to rensa and datatrove; then the native-core issue's
targets against what was measured. Systems whose package is missing are left out, with a line
saying so (``pip install '.[bench]'`` installs them).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import datatrove_minhash_clusters, reuters_bodies, run_measured

NGRAM, NUM_PERM, THRESHOLD, SEED = 2, 128, 0.3, 1
_TOKEN = re.compile(r"\w+")


def build(path: Path, docs: int) -> int:
    bodies = reuters_bodies()
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as f:
        for n in range(docs):
            text = bodies[n % len(bodies)]
            if n >= len(bodies):  # a syndicated copy: new dateline, edited words, a footer
                words = text.split(" ")
                for _ in range(max(1, len(words) // 20)):
                    words[rng.randrange(len(words))] = rng.choice(["said", "the", "market", "rose", "fell"])
                text = f"LONDON, copy {n // len(bodies)} -\n" + " ".join(words) + "\n\nShare this article\n© Wire 1987"
            f.write(json.dumps({"id": f"d{n}", "text": text}) + "\n")
    return path.stat().st_size


def texts(path: str) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as f:
        return [(r["id"], r["text"]) for r in map(json.loads, f)]


def bands_rows() -> tuple[int, int]:
    from datasketch.lsh import _optimal_param

    return _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)


def shingle_strings(text: str) -> list[str]:
    toks = _TOKEN.findall(text.casefold())
    return list({" ".join(toks[i : i + NGRAM]) for i in range(max(1, len(toks) - NGRAM + 1))})


# -- one system per subprocess ---------------------------------------------------------

def run_cleaner_minhash(path: str) -> int:
    from cleaner import DedupConfig, Deduper, Document

    d = Deduper(DedupConfig(level="document", ngram=NGRAM, num_perm=NUM_PERM, threshold=THRESHOLD, seed=SEED))
    batch = []
    for key, text in texts(path):
        batch.append(Document(text, id=key))
        if len(batch) == 256:
            d.add_many(batch)
            batch = []
    d.add_many(batch)
    return len(d._doc_pairs)


def run_rensa(path: str) -> int:
    from rensa import RMinHash, RMinHashLSH

    # rensa needs bands that divide num_perm: the divisor whose LSH threshold (1/b)^(1/r)
    # is nearest datasketch's choice for the same Jaccard.
    bands, rows = bands_rows()
    target = (1 / bands) ** (1 / rows)
    bands = min((b for b in range(1, NUM_PERM + 1) if NUM_PERM % b == 0),
                key=lambda b: abs((1 / b) ** (b / NUM_PERM) - target))
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=bands)
    sketches = []
    for n, (_, text) in enumerate(texts(path)):
        m = RMinHash(num_perm=NUM_PERM, seed=SEED)
        m.update(shingle_strings(text))
        lsh.insert(n, m)
        sketches.append(m)
    pairs = 0
    for n, m in enumerate(sketches):
        pairs += sum(1 for o in lsh.query(m) if o > n and m.jaccard(sketches[o]) >= THRESHOLD)
    return pairs


def run_datasketch(path: str) -> int:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    records = texts(path)
    sketches = MinHash.bulk([[s.encode() for s in shingle_strings(t)] for _, t in records], num_perm=NUM_PERM, seed=SEED)
    with lsh.insertion_session() as session:
        for n, m in enumerate(sketches):
            session.insert(n, m)
    pairs = 0
    for n, m in enumerate(sketches):
        pairs += sum(1 for o in lsh.query(m) if o > n and m.jaccard(sketches[o]) >= THRESHOLD)
    return pairs


def run_datatrove(path: str) -> int:
    from datatrove.data import Document as DTDocument
    from datatrove.pipeline.filters import C4QualityFilter

    c4 = C4QualityFilter(min_num_sentences=-1)

    def docs():
        for key, text in texts(path):
            doc = DTDocument(text=text, id=key)
            if c4.filter(doc) is True:
                yield doc

    return len(datatrove_minhash_clusters(docs(), NGRAM, THRESHOLD, NUM_PERM, SEED))


CHILD = {"cleaner-minhash": run_cleaner_minhash, "rensa": run_rensa, "datasketch": run_datasketch,
         "datatrove": run_datatrove}


def commands(path: Path, out: Path) -> dict[str, list[str]]:
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    cli = [sys.executable, "-m", "cleaner"]
    run = [*cli, "run", "-q", str(path)]
    out_cmds = {}
    for jobs in (1, 2):
        j = ["--jobs", str(jobs)]
        out_cmds[f"cleaner run -j{jobs}"] = [*run, "-o", str(out / f"run{jobs}"), *j]
        out_cmds[f"cleaner run doc -j{jobs}"] = [*run, "--level", "document", "-o", str(out / f"doc{jobs}"), *j]
        out_cmds[f"cleaner clean -j{jobs}"] = [*cli, "clean", "-q", str(path), "-o", str(out / f"clean{jobs}.jsonl"), *j]
    return out_cmds | {
        "cleaner minhash": [*me, "cleaner-minhash", str(path)],
        "rensa": [*me, "rensa", str(path)],
        "datasketch bulk": [*me, "datasketch", str(path)],
        "datatrove c4+minhash": [*me, "datatrove", str(path)],
    }


PEERS = {"rensa": "rensa", "datasketch bulk": "datasketch", "datatrove c4+minhash": "datatrove"}


def targets(med: dict[str, tuple[float, int]], size: int) -> list[tuple[str, str, str]]:
    """(criterion, measured, met) for each target of the native-core issue that this run measured."""
    out = []
    t = {name: seconds for name, (seconds, _) in med.items()}

    def ratio(a: str, b: str) -> float | None:
        return t[b] / t[a] if a in t and b in t else None

    for label, a, b, want in [
        ("cleaner run -j1 vs rensa", "cleaner run -j1", "rensa", 1.0),
        ("cleaner run --level document -j1 vs rensa", "cleaner run doc -j1", "rensa", 1.5),
        ("cleaner run --level document -j1 vs datatrove", "cleaner run doc -j1", "datatrove c4+minhash", 3.5),
        ("cleaner run -j2 vs -j1", "cleaner run -j2", "cleaner run -j1", 1.7),
    ]:
        r = ratio(a, b)
        if r is not None:
            out.append((f"{label} >= {want}x", f"{r:.2f}x", "yes" if r >= want else "no"))
    if "cleaner clean -j1" in t:
        rate = size / 1e6 / t["cleaner clean -j1"]
        out.append(("cleaner clean -j1 >= 40 MB/s", f"{rate:.1f} MB/s", "yes" if rate >= 40 else "no"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", help="comma-separated system names to run")
    ap.add_argument("--child", nargs=2, metavar=("SYSTEM", "INPUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        started = time.perf_counter()
        found = CHILD[args.child[0]](args.child[1])
        print(json.dumps({"found": found, "seconds": time.perf_counter() - started}))
        return 0
    with tempfile.TemporaryDirectory(prefix="cleaner-throughput-") as tmp:
        path = Path(tmp) / "corpus.jsonl"
        size = build(path, args.docs)
        print(f"corpus: {args.docs} documents, {size / 1e6:.1f} MB ({path.name}); median of {args.repeats} run(s)")
        cmds = commands(path, Path(tmp))
        if args.only:
            cmds = {k: v for k, v in cmds.items() if k in args.only.split(",")}
        for name, module in PEERS.items():
            if name in cmds and importlib.util.find_spec(module) is None:
                print(f"{name}: not installed (pip install '.[bench]'); left out")
                del cmds[name]
        runs: dict[str, list[tuple[float, int]]] = {name: [] for name in cmds}
        for r in range(args.repeats):
            for name, cmd in cmds.items():  # interleaved: drift on a shared machine hits every system alike
                seconds, peak, status, _ = run_measured(cmd)
                if status:
                    print(f"{name}: exit status {status}")
                    continue
                runs[name].append((seconds, peak))
                print(f"  run {r + 1}: {name:22s} {seconds:7.2f} s  {peak / 2**20:7.1f} MiB", file=sys.stderr)
    med = {n: (statistics.median(s for s, _ in v), max(p for _, p in v)) for n, v in runs.items() if v}
    print(f"{'system':22s} {'seconds':>8s} {'docs/s':>8s} {'MB/s':>6s} {'peak MiB':>9s} {'vs rensa':>9s} {'vs datatrove':>13s}")
    for name, (seconds, peak) in med.items():
        vs = [f"{med[p][0] / seconds:.2f}x" if p in med else "-" for p in ("rensa", "datatrove c4+minhash")]
        print(f"{name:22s} {seconds:8.2f} {args.docs / seconds:8.0f} {size / 1e6 / seconds:6.2f} {peak / 2**20:9.1f} "
              f"{vs[0]:>9s} {vs[1]:>13s}")
    print("(vs X: X's time / this system's time; above 1 means faster than X)")
    print(f"\n{'target':52s} {'measured':>10s}  met")
    for label, measured, met in targets(med, size):
        print(f"{label:52s} {measured:>10s}  {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
