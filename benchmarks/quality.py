"""Boilerplate quality on the WCXB dev pages, through the JSONL contract.

    python benchmarks/quality.py [--data ../shared/eval/wcxb-dev.jsonl.gz] [--limit N]

Runs ``cleaner clean --format jsonl -`` as a subprocess on the pages, then
scores the cleaned text against the gold main content with the benchmark's
rule (see ../shared/eval/README.md): word precision, recall and F1 per page,
macro-averaged, overall and per page type; with/without snippet rates. The
uncleaned text is scored side by side. Last, the share of gold words that the
off-topic stripper removes on article pages (it must stay under 0.5%).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "wcxb-dev.jsonl.gz"
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def tokens(text: str) -> Counter:
    return Counter(_TOKEN.findall(text.lower()))


def word_scores(predicted: str, gold: str) -> tuple[float, float, float]:
    p, g = tokens(predicted), tokens(gold)
    overlap = sum((p & g).values())
    precision = overlap / sum(p.values()) if p else 0.0
    recall = overlap / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def snippet_rate(text: str, snippets: list[str]) -> float:
    flat = _SPACE.sub(" ", text).lower()
    found = [_SPACE.sub(" ", s).lower().strip() in flat for s in snippets]
    return sum(found) / len(found) if found else 0.0


def score(pages: list[dict], texts: list[str]) -> dict:
    """Macro P/R/F1 overall and per page type, and snippet rates."""
    rows = defaultdict(list)
    for page, text in zip(pages, texts):
        row = (*word_scores(text, page["gold"]), snippet_rate(text, page["with"]), snippet_rate(text, page["without"]))
        rows["all"].append(row)
        rows[page["page_type"]].append(row)
    return {kind: [sum(col) / len(col) for col in zip(*r)] + [len(r)] for kind, r in rows.items()}


def run_cleaner(pages: list[dict]) -> tuple[list[dict], float]:
    """Clean the pages through the JSONL contract; return the output records and the seconds taken."""
    stdin = "".join(json.dumps({"id": p["id"], "text": p["text"]}, ensure_ascii=False) + "\n" for p in pages)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--format", "jsonl", "-"],
        input=stdin.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [r["id"] for r in out] == [p["id"] for p in pages], "the JSONL contract keeps order and ids"
    return out, seconds


def offtopic_loss(pages: list[dict], records: list[dict]) -> tuple[int, int]:
    """Gold words on article pages that only the off-topic stripper's removals took away."""
    lost = total = 0
    for page, record in zip(pages, records):
        if page["page_type"] != "article":
            continue
        gold = tokens(page["gold"])
        total += sum(gold.values())
        lines = page["text"].split("\n")
        removed = Counter()
        for r in record["cleaner"]["removed"]:
            if r["kind"] == "off-topic-insert":
                removed.update(tokens("\n".join(lines[r["start"] - 1 : r["end"]])))
        if removed:
            lost += sum(((gold - tokens(record["text"])) & removed).values())
    return lost, total


def print_table(results: dict[str, dict]) -> None:
    kinds = ["all"] + sorted(k for k in next(iter(results.values())) if k != "all")
    print(f"{'system':<12} {'pages':<14} {'n':>5} {'P':>6} {'R':>6} {'F1':>6} {'with':>6} {'without':>7}")
    for kind in kinds:
        for system, table in results.items():
            p, r, f1, w, wo, n = table[kind]
            print(f"{system:<12} {kind:<14} {n:>5} {p:6.3f} {r:6.3f} {f1:6.3f} {w:6.3f} {wo:7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pages")
    args = parser.parse_args()
    with gzip.open(args.data, "rt", encoding="utf-8") as f:
        pages = [json.loads(line) for line in f]
    if args.limit:
        pages = pages[: args.limit]
    records, seconds = run_cleaner(pages)
    results = {"uncleaned": score(pages, [p["text"] for p in pages]), "cleaner": score(pages, [r["text"] for r in records])}
    print_table(results)
    mb = sum(len(p["text"].encode("utf-8")) for p in pages) / 1e6
    print(f"\ncleaner: {len(pages)} pages, {mb:.1f} MB in {seconds:.1f} s ({mb / seconds:.2f} MB/s, one process)")
    recall_drop = results["uncleaned"]["article"][1] - results["cleaner"]["article"][1]
    print(f"recall drop on article pages: {recall_drop:.4f} (must stay under 0.01)")
    lost, total = offtopic_loss(pages, records)
    print(f"off-topic stripper, gold words removed on article pages: {lost}/{total} = {lost / total:.3%} (must stay under 0.5%)")


if __name__ == "__main__":
    main()
