"""How report.html scales: file size and browser load time for a large run.

    python benchmarks/report_scale.py [--docs 100000] [--level document]

Builds a JSONL corpus of N records from Reuters-21578 bodies (cycled; every
record gets a unique id, every third a share prompt and a copyright line, so the
report has removals to show), runs ``cleaner run`` on it, and prints the wall
time, the size of report.html, and how long headless Chromium takes to load
it and run its script (``--dump-dom``), median of three loads.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "reuters21578.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--level", default="document", choices=["document", "passage", "both"])
    args = parser.parse_args()
    with gzip.open(args.data, "rt", encoding="utf-8") as f:
        bodies = [json.loads(line)["text"] for line in f]
    work = Path(tempfile.mkdtemp(prefix="cleaner-report-"))
    corpus = work / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for i in range(args.docs):
            text = bodies[i % len(bodies)]
            if i % 3 == 0:
                text = f"{text}\n\nShare this article\n© 2024 Example Wire. All rights reserved."
            f.write(json.dumps({"id": f"r{i}", "text": text}) + "\n")
    out = work / "out"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cleaner", "run", str(corpus), "-o", str(out), "-q", "--level", args.level], check=True)
    seconds = time.perf_counter() - start
    report = out / "report.html"
    print(f"{args.docs} documents ({corpus.stat().st_size / 1e6:.1f} MB), level {args.level}: run {seconds:.1f} s; "
          f"report.html {report.stat().st_size / 1e6:.1f} MB")
    browser = shutil.which("chromium")
    if browser is None:
        print("no chromium: load time not measured")
        return
    loads = []
    for n in range(3):
        t0 = time.perf_counter()
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={work / f'profile{n}'}", "--dump-dom", report.as_uri()],
            check=True, capture_output=True,
        )
        loads.append(time.perf_counter() - t0)
    print(f"chromium load + render (first page of 50 documents), median of 3: {statistics.median(loads):.2f} s")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
