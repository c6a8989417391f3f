"""Near-duplicate quality on Reuters-21578, side by side with plain datasketch.

    python benchmarks/dedup_quality.py [--data ../shared/eval/reuters21578.jsonl.gz] [--families 400]

(a) Natural duplicates: bodies that are equal after white-space normalisation;
    recall of those pairs at document level.
(b) A generated set, built deterministically (random.Random(0)) the way
    syndication copies news: from each source body, 1-3 copies with a different
    header and footer, a dateline, the last paragraph sometimes trimmed, two
    paragraphs sometimes swapped, and 5-15% of tokens edited (replaced, dropped
    or inserted). Gold pairs: every two members of a family. Separately, a
    passage of 40-150 words is copied from one article into another as a new
    paragraph; gold: the two character spans.

Prints document-pair precision/recall/F1 for cleaner (every two members of a
cluster, which is what dropping copies acts on, and the verified pairs alone),
for datatrove's MinHash dedup (its clusters, when datatrove is installed:
``pip install '.[bench]'``), and for plain datasketch
(one MinHash per document, the same shingles, num_perm and threshold, pairs
from MinHashLSH whose estimated Jaccard reaches the threshold, no
verification), and, for cleaner, passage recall and span precision.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import re
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

from cleaner import DedupConfig, Deduper, Document
from cleaner.dedup.shingle import shingle_hash, shingles, tokens
from common import datatrove_minhash_clusters

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "reuters21578.jsonl.gz"
HEADERS = ["By {name}, Staff Writer", "{city} ({agency}) -", "From our correspondent in {city}", "{agency} | {city}"]
FOOTERS = ["Copyright {agency}. All rights reserved.", "Share this article", "Distributed by {agency}.", "Read more at {agency}.com"]
NAMES = ["Jane Doe", "Ali Hassan", "Maria Rossi", "John Smith"]
CITIES = ["NEW YORK", "LONDON", "TOKYO", "FRANKFURT", "SYDNEY"]
AGENCIES = ["Example Wire", "NewsDesk", "Global Press", "Market Daily"]


def load(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def natural_pairs(records: list[dict]) -> set[tuple[str, str]]:
    groups = defaultdict(list)
    for r in records:
        groups[" ".join(r["text"].split())].append(r["id"])
    return {tuple(sorted(p)) for ids in groups.values() if len(ids) > 1 for p in itertools.combinations(ids, 2)}


def paragraphs(text: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n\s*\n|\n(?=    )", text) if p.strip()]
    return [" ".join(p.split()) for p in paras]


def edit_tokens(text: str, rate: float, rng: random.Random, vocab: list[str]) -> str:
    words = text.split(" ")
    out = []
    for w in words:
        r = rng.random()
        if r < rate / 3:
            continue  # dropped
        if r < 2 * rate / 3:
            out.append(rng.choice(vocab))  # replaced
            continue
        out.append(w)
        if r < rate:
            out.append(rng.choice(vocab))  # inserted
    return " ".join(out)


def variant(paras: list[str], rng: random.Random, vocab: list[str]) -> str:
    paras = paras[:]
    if len(paras) > 3 and rng.random() < 0.5:
        paras = paras[:-1]  # trimmed last paragraph
    if len(paras) > 3 and rng.random() < 0.5:
        i = rng.randrange(len(paras) - 1)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]  # moved paragraph
    rate = rng.uniform(0.05, 0.15)
    body = [edit_tokens(p, rate, rng, vocab) for p in paras]
    fill = {"name": rng.choice(NAMES), "city": rng.choice(CITIES), "agency": rng.choice(AGENCIES)}
    dateline = f"{fill['city']}, March {rng.randint(1, 28)} -"
    return "\n\n".join([rng.choice(HEADERS).format(**fill), dateline + " " + body[0], *body[1:], rng.choice(FOOTERS).format(**fill)])


def build(records: list[dict], families: int, copies: int) -> tuple[list[Document], set, list]:
    rng = random.Random(0)
    candidates = [r for r in records if len(r["text"].split()) >= 120]
    rng.shuffle(candidates)
    pool = distinct(candidates, families + 2 * copies)
    vocab = sorted({w for r in pool[:2000] for w in r["text"].split() if w.isalpha()})
    docs, gold_pairs = [], set()
    for n, r in enumerate(pool[:families]):
        paras = paragraphs(r["text"])
        members = [f"f{n}-0"]
        docs.append(Document("\n\n".join(paras), id=members[0]))
        for k in range(1, rng.randint(1, 3) + 1):
            members.append(f"f{n}-{k}")
            docs.append(Document(variant(paras, rng, vocab), id=members[-1]))
        gold_pairs |= {tuple(sorted(p)) for p in itertools.combinations(members, 2)}
    # Passage copies: a 40-150 word passage of a source article inserted into a target article.
    gold_passages = []
    rest = pool[families : families + 2 * copies]
    for i in range(copies):
        source, target = rest[2 * i], rest[2 * i + 1]
        words = " ".join(paragraphs(source["text"])).split(" ")
        length = rng.randint(40, min(150, len(words)))
        start = rng.randrange(len(words) - length + 1)
        passage = " ".join(words[start : start + length])
        src_text = " ".join(words)
        tparas = paragraphs(target["text"])
        at = rng.randint(1, len(tparas))
        before = "\n\n".join(tparas[:at]) + "\n\n"
        tgt_text = before + passage + ("\n\n" + "\n\n".join(tparas[at:]) if tparas[at:] else "")
        sid, tid = f"s{i}", f"t{i}"
        docs.append(Document(src_text, id=sid))
        docs.append(Document(tgt_text, id=tid))
        s0 = len(" ".join(words[:start])) + (1 if start else 0)
        gold_passages.append((sid, (s0, s0 + len(passage)), tid, (len(before), len(before) + len(passage))))
    return docs, gold_pairs, gold_passages


def distinct(records: list[dict], wanted: int) -> list[dict]:
    """The first ``wanted`` records that are not near-duplicates of an earlier one.

    Reuters re-issues some stories; they must not become sources of different
    families. Judged independently of cleaner: datasketch's own MinHash (SHA-1)
    over word bigrams finds candidates, the exact Jaccard of the sets (>= 0.15) decides.
    """
    lsh, sets, out = MinHashLSH(threshold=0.15, num_perm=64), {}, []
    for r in records:
        words = r["text"].lower().split()
        grams = {f"{a} {b}" for a, b in zip(words, words[1:])}
        m = MinHash(num_perm=64)
        m.update_batch(g.encode("utf-8") for g in grams)
        if any(len(grams & sets[k]) / len(grams | sets[k]) >= 0.15 for k in lsh.query(m)):
            continue
        lsh.insert(r["id"], m)
        sets[r["id"]] = grams
        out.append(r)
        if len(out) == wanted:
            break
    return out


def prf(found: set, gold: set) -> tuple[float, float, float]:
    tp = len(found & gold)
    p = tp / len(found) if found else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cleaner_pairs(docs: list[Document], config: DedupConfig):
    """Verified pairs, and every two members of each cluster (what dropping copies acts on)."""
    d = Deduper(config)
    start = time.perf_counter()
    for i in range(0, len(docs), 256):
        d.add_many(docs[i : i + 256])
    pairs = d.pairs()
    clustered = {p for members in d.clusters().values() for p in itertools.combinations(sorted(members), 2)}
    return pairs, clustered, time.perf_counter() - start


def datasketch_pairs(docs: list[Document], config: DedupConfig) -> tuple[set, float]:
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=config.threshold, num_perm=config.num_perm)
    sketches = {}
    for doc in docs:
        m = MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=shingle_hash, scheme="affine64")
        m.update_batch(set(shingles(tokens(doc.text), config.ngram)))
        sketches[doc.id] = m
        lsh.insert(doc.id, m)
    found = set()
    for key, m in sketches.items():
        for other in lsh.query(m):
            if other != key and m.jaccard(sketches[other]) >= config.threshold:
                found.add(tuple(sorted((key, other))))
    return found, time.perf_counter() - start


def datatrove_pairs(docs: list[Document], config: DedupConfig) -> tuple[set, float] | None:
    """datatrove's 4-stage MinHash dedup (whitespace tokenizer, same n-grams, LSH bands for the same
    threshold and number of hashes), run in-process; its clusters as pairs. None if datatrove is missing."""
    try:
        from datatrove.data import Document as DTDocument
    except ImportError:
        return None
    start = time.perf_counter()
    dt_docs = [DTDocument(text=d.text, id=str(i)) for i, d in enumerate(docs)]
    members = defaultdict(list)
    for doc, cluster in datatrove_minhash_clusters(dt_docs, config.ngram, config.threshold, config.num_perm, config.seed):
        members[cluster].append(docs[doc].id)
    found = {tuple(sorted(p)) for ids in members.values() for p in itertools.combinations(ids, 2)}
    return found, time.perf_counter() - start


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def passage_scores(pairs, gold_passages) -> tuple[float, float, int]:
    by_docs = defaultdict(list)
    for p in pairs:
        if p.level == "passage":
            by_docs[(p.a.doc, p.b.doc)].append(p)
            by_docs[(p.b.doc, p.a.doc)].append(p)
    found, precisions = 0, []
    for sid, sspan, tid, tspan in gold_passages:
        hits = []
        for p in by_docs.get((tid, sid), []):
            t_side, s_side = (p.a, p.b) if p.a.doc == tid else (p.b, p.a)
            if overlap(t_side.chars, tspan) and overlap(s_side.chars, sspan):
                hits.append((t_side, s_side))
        if hits:
            found += 1
            for t_side, s_side in hits:
                chars = (t_side.chars[1] - t_side.chars[0]) + (s_side.chars[1] - s_side.chars[0])
                precisions.append((overlap(t_side.chars, tspan) + overlap(s_side.chars, sspan)) / chars)
    return found / len(gold_passages), float(np.mean(precisions)) if precisions else 0.0, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--families", type=int, default=400)
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--threshold", type=float, default=DedupConfig.threshold)
    parser.add_argument("--ngram", type=int, default=DedupConfig.ngram)
    args = parser.parse_args()
    config = DedupConfig(threshold=args.threshold, ngram=args.ngram)
    records = load(args.data)

    natural = natural_pairs(records)
    involved = {i for p in natural for i in p}
    ndocs = [Document(r["text"], id=r["id"]) for r in records if r["id"] in involved]
    npairs, _, _ = cleaner_pairs(ndocs, DedupConfig(level="document", threshold=args.threshold, ngram=args.ngram))
    nfound = {tuple(sorted((p.a.doc, p.b.doc))) for p in npairs}
    print(f"(a) natural duplicates: {len(natural)} pairs over {len(involved)} bodies; "
          f"cleaner recall {len(nfound & natural) / len(natural):.3f}")

    docs, gold_pairs, gold_passages = build(records, args.families, args.copies)
    print(f"(b) generated: {len(docs)} documents, {len(gold_pairs)} gold document pairs, "
          f"{len(gold_passages)} copied passages of 40-150 words; threshold {config.threshold}, "
          f"{config.ngram}-word shingles, {config.num_perm} permutations")
    pairs, clustered, seconds = cleaner_pairs(docs, config)
    found = {tuple(sorted((p.a.doc, p.b.doc))) for p in pairs if p.level == "document"}
    ds_found, ds_seconds = datasketch_pairs(docs, config)
    print(f"{'system':<30} {'P':>6} {'R':>6} {'F1':>6} {'seconds':>8}")
    rows = (
        ("cleaner, pairs in clusters", clustered, seconds),
        ("cleaner, verified pairs", found, seconds),
        ("plain datasketch, LSH pairs", ds_found, ds_seconds),
    )
    dt = datatrove_pairs(docs, config)
    if dt is not None:
        rows += (("datatrove, pairs in clusters", *dt),)
    for name, f, s in rows:
        p, r, f1 = prf(f, gold_pairs)
        print(f"{name:<30} {p:6.3f} {r:6.3f} {f1:6.3f} {s:8.1f}")
    recall, span_precision, n = passage_scores(pairs, gold_passages)
    print(f"cleaner passages: recall {recall:.3f} ({n}/{len(gold_passages)}), span precision {span_precision:.3f}")
    if dt is None:
        print("datatrove is not installed: pip install '.[bench]' to add it as a peer")


if __name__ == "__main__":
    main()
