"""Boilerplate quality on the WCXB dev pages, through the JSONL contract.

    python benchmarks/quality.py [--data ../shared/eval/wcxb-dev.jsonl.gz] [--limit N]

Runs ``cleaner clean --format jsonl -`` as a subprocess on the pages, then
scores the cleaned text against the gold main content with the benchmark's
rule (see ../shared/eval/README.md): word precision, recall and F1 per page,
macro-averaged, overall and per page type; with/without snippet rates. Side
by side, on the same text: uncleaned; the C4 line rules as datatrove applies
them (``C4QualityFilter`` with its line filters, the sentence count off: it
needs spaCy; a page it drops whole scores as empty); jusText with each line as
a paragraph (English stop list); cleaner without its classifier. Then the
classifier's own speed (features and scores, one process), and the share of
gold words the off-topic stripper removes on article pages (under 0.5%).

Needs the ``bench`` extra for the peers (datatrove, jusText).

The cleaner's model was fitted on these pages: its cross-validated scores,
folds grouped by site template, are those in the header of
rules/model/classifier.toml (scripts/train_classifier.py).
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


def run_c4(pages: list[dict]) -> list[str]:
    from datatrove.data import Document as DTDocument
    from datatrove.pipeline.filters import C4QualityFilter

    c4 = C4QualityFilter(min_num_sentences=-1)
    out = []
    for page in pages:
        doc = DTDocument(text=page["text"], id=page["id"])
        out.append(doc.text if c4.filter(doc) is True else "")
    return out


def run_justext(pages: list[dict]) -> list[str]:
    import html

    import justext

    stop = justext.get_stoplist("English")
    out = []
    for page in pages:
        body = "".join(f"<p>{html.escape(line)}</p>" for line in page["text"].split("\n") if line.strip())
        paragraphs = justext.justext(f"<html><body>{body}</body></html>".encode(), stop, encoding="utf-8")
        out.append("\n".join(p.text for p in paragraphs if not p.is_boilerplate))
    return out


def classifier_speed(pages: list[dict]) -> float:
    """MB/s of the classifier's features and scores, in batches of 256 pages, median of 3."""
    from cleaner.strip.classifier import load_model

    model = load_model()
    texts = [p["text"] for p in pages]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        for i in range(0, len(texts), 256):
            model.scores(texts[i : i + 256])
        times.append(time.perf_counter() - start)
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6 / sorted(times)[1]


def run_cleaner(pages: list[dict], *options: str) -> tuple[list[dict], float]:
    """Clean the pages through the JSONL contract; return the output records and the seconds taken."""
    stdin = "".join(json.dumps({"id": p["id"], "text": p["text"]}, ensure_ascii=False) + "\n" for p in pages)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--format", "jsonl", "--jobs", "1", *options, "-"],
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


def article_errors(pages: list[dict], records: list[dict]) -> dict[str, int]:
    """Where the words cleaner keeps but the gold does not sit on article pages: before the
    main block (the first to the last kept line found in the gold), inside it, or after it;
    and, after it, how many follow a comments or related-stories heading that a rule removed."""
    out = Counter()
    for page, record in zip(pages, records):
        if page["page_type"] != "article":
            continue
        gold = set(tokens(page["gold"]))
        lines = page["text"].split("\n")
        removed = set()
        headings = []
        for r in record["cleaner"]["removed"]:
            removed.update(range(r["start"] - 1, r["end"]))
            if r["kind"] in ("comments", "related-links"):
                headings.append(r["start"] - 1)
        kept = [i for i in range(len(lines)) if i not in removed and lines[i].strip()]
        # A line is the gold's when 80% of its words are gold words (the gold is formatted differently).
        found = [i for i in kept if _gold_share(lines[i], gold) >= 0.8]
        if not found:
            continue
        found_set = set(found)
        first, last = found[0], found[-1]
        for i in kept:
            if i in found_set:
                continue
            words = len(lines[i].split())
            where = "before" if i < first else "inside" if i <= last else "after"
            out[where] += words
            if where == "after" and any(h < i for h in headings):
                out["after a comments/related heading"] += words
        out["kept gold-matched"] += sum(len(lines[i].split()) for i in found)
    return dict(out)


def _gold_share(line: str, gold: set[str]) -> float:
    words = _TOKEN.findall(line.lower())
    return sum(w in gold for w in words) / len(words) if words else 1.0


def print_table(results: dict[str, dict]) -> None:
    kinds = ["all"] + sorted(k for k in next(iter(results.values())) if k != "all")
    print(f"{'system':<14} {'pages':<14} {'n':>5} {'P':>6} {'R':>6} {'F1':>6} {'with':>6} {'without':>7}")
    for kind in kinds:
        for system, table in results.items():
            p, r, f1, w, wo, n = table[kind]
            print(f"{system:<14} {kind:<14} {n:>5} {p:6.3f} {r:6.3f} {f1:6.3f} {w:6.3f} {wo:7.3f}")


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
    rules_only, _ = run_cleaner(pages, "--no-classifier")
    results = {
        "uncleaned": score(pages, [p["text"] for p in pages]),
        "c4 (datatrove)": score(pages, run_c4(pages)),
        "justext": score(pages, run_justext(pages)),
        "cleaner rules": score(pages, [r["text"] for r in rules_only]),
        "cleaner": score(pages, [r["text"] for r in records]),
    }
    print_table(results)
    print(f"\nclassifier alone: {classifier_speed(pages):.1f} MB/s (features + scores, one process)")
    mb = sum(len(p["text"].encode("utf-8")) for p in pages) / 1e6
    print(f"\ncleaner: {len(pages)} pages, {mb:.1f} MB in {seconds:.1f} s ({mb / seconds:.2f} MB/s, one process)")
    recall_drop = results["uncleaned"]["article"][1] - results["cleaner"]["article"][1]
    print(f"recall drop on article pages: {recall_drop:.4f}")
    errors = article_errors(pages, records)
    print("\narticle pages, words kept that are not in the gold, by where they sit:")
    for where in ("before", "inside", "after", "after a comments/related heading"):
        print(f"  {where:<34} {errors.get(where, 0):>7}")
    print(f"  (words kept that are in the gold: {errors.get('kept gold-matched', 0)})")
    lost, total = offtopic_loss(pages, records)
    print(f"off-topic stripper, gold words removed on article pages: {lost}/{total} = {lost / total:.3%} (must stay under 0.5%)")


if __name__ == "__main__":
    main()
