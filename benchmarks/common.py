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
