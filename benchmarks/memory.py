"""Peak memory of `cleaner clean` on growing JSONL inputs: it must stay flat (streaming).

    python benchmarks/memory.py                      # 100 MB, 500 MB, 2 GB
    python benchmarks/memory.py --sizes 50,200       # other sizes, in MB

Builds each input from Reuters-21578 bodies (``../shared/eval/reuters21578.jsonl.gz``),
cycled with a record number appended so no two records are equal, in a temporary
folder; runs ``cleaner clean INPUT -o OUTPUT.jsonl`` in a subprocess and reads its peak
resident memory (VmHWM) from /proc while it runs. Prints size, time, MB/s and peak RSS
per size, and the ratio of the largest peak to the smallest.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from common import reuters_bodies, run_measured


def build(path: Path, megabytes: int) -> int:
    bodies = reuters_bodies()
    target, n = megabytes * 1_000_000, 0
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < target:
            out.write(json.dumps({"id": n, "text": f"{bodies[n % len(bodies)]}\n(record {n})"}) + "\n")
            n += 1
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,500,2000", help="input sizes in MB, comma-separated")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="cleaner-memory-") as tmp:
        for mb in sizes:
            src, dst = Path(tmp) / f"in-{mb}.jsonl", Path(tmp) / f"out-{mb}.jsonl"
            records = build(src, mb)
            seconds, peak, status, _ = run_measured(
                [sys.executable, "-m", "cleaner", "clean", "-q", "--jobs", "1", str(src), "-o", str(dst)])
            size = src.stat().st_size
            rows.append((mb, records, size, seconds, peak, status))
            print(f"{size / 1e6:8.0f} MB  {records:9d} records  {seconds:7.1f} s  {size / 1e6 / seconds:5.2f} MB/s  "
                  f"peak RSS {peak / 2**20:6.1f} MiB  exit {status}", flush=True)
            src.unlink()
            dst.unlink(missing_ok=True)
    peaks = [r[4] for r in rows]
    print(f"peak RSS, largest input / smallest: {max(peaks) / min(peaks):.2f}x "
          f"for {rows[-1][2] / rows[0][2]:.0f}x the input")
    return 0 if all(r[5] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
