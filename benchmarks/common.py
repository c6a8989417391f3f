"""What the benchmarks share: the Reuters bodies, and timing a command with its peak memory."""

from __future__ import annotations

import gzip
import json
import subprocess
import time
from pathlib import Path

REUTERS = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "reuters21578.jsonl.gz"


def reuters_bodies() -> list[str]:
    with gzip.open(REUTERS, "rt", encoding="utf-8") as f:
        return [b for b in (json.loads(line)["text"] for line in f) if b.strip()]


def run_measured(cmd: list[str]) -> tuple[float, int, int, str]:
    """(wall seconds, peak RSS in bytes, exit status, standard output) of a command.

    Peak RSS is the child's VmHWM read from /proc while it runs, summed over
    the child and its own children (worker processes) at the last reading.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_hwm(proc.pid))
        time.sleep(0.05)
    out, err = proc.communicate()
    if proc.returncode:
        print(err[-2000:])
    return time.perf_counter() - started, peak, proc.returncode, out


def _tree_hwm(pid: int) -> int:
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) * 1024
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def _children(pid: int) -> list[int]:
    try:
        kids = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        return []
    return kids + [g for k in kids for g in _children(k)]


def datatrove_minhash_clusters(docs, ngram: int, threshold: float, num_perm: int, seed: int) -> list[tuple[int, int]]:
    """datatrove's 4-stage MinHash dedup (signatures, buckets, clusters) over datatrove
    Documents, with a whitespace tokenizer and the LSH bands datasketch picks for
    ``threshold`` and ``num_perm``: (document number, cluster id) for each document in a
    cluster, in datatrove's order. Raises ImportError when datatrove is missing."""
    import re
    import struct
    import tempfile

    from datasketch.lsh import _optimal_param
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupSignature,
    )
    from datatrove.utils.word_tokenizers import WordTokenizer

    class Whitespace(WordTokenizer):
        def word_tokenize(self, text):
            return text.split()

        def sent_tokenize(self, text):
            return [text]

        def span_tokenize(self, text):
            return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]

    bands, rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
    config = MinhashConfig(n_grams=ngram, num_buckets=bands, hashes_per_bucket=rows, seed=seed)
    with tempfile.TemporaryDirectory() as work:
        sigs, buckets, clusters = (f"{work}/{name}" for name in ("sigs", "buckets", "clusters"))
        MinhashDedupSignature(sigs, config=config, language=Whitespace()).run(iter(docs), 0, 1)
        for b in range(bands):
            MinhashDedupBuckets(sigs, buckets, config=config).run(None, b, bands)
        MinhashDedupCluster(buckets, clusters, config=config, save_cluster_id=True).run()
        path = Path(clusters) / "000000.clusters"
        return list(struct.iter_unpack("<II", path.read_bytes())) if path.exists() else []
