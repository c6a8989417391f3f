"""Off-topic paragraphs: spliced-in text whose vocabulary the rest of the page does not share.

A paragraph is a run of kept, non-blank lines; lines already removed inside
a run do not break it, since once they are gone the lines around them meet.
Its content words (casefolded
word tokens of three or more letters, stop words and digits left out, a
trailing possessive or plural ``s`` dropped) are compared with those of the
rest of the document by TF-IDF cosine, with inverse document frequency over the
document's paragraphs, so words that carry the topic through many paragraphs
weigh as much as rare ones. A paragraph whose cosine is below ``threshold`` is removed, with its
score as evidence, but only when

- it has at least ``min_words`` words (short quotes and sub-heads are left alone),
- it sits inside the body (kept paragraphs before and after it), and
- the rest of the document has at least ``min_context`` words to compare with.

Removing a paragraph changes the rest the others are compared with, so
judging repeats until nothing more goes: cleaning the output again then finds
nothing (idempotence).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from functools import lru_cache

from ..document import Document, Removal
from ..rules import default_rules_dir

_WORD = re.compile(r"[^\W\d_]{3,}")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    data = tomllib.loads((default_rules_dir() / "lexicon" / "stopwords.toml").read_text(encoding="utf-8"))
    return frozenset(w for words in data.values() for w in words)


def content_words(text: str) -> list[str]:
    stop = stopwords()
    out = []
    for w in _WORD.findall(text.casefold()):
        if w in stop:
            continue
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        elif w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return out


def paragraphs(lines: list[str], keep: list[bool]) -> list[tuple[int, int]]:
    """0-based inclusive (start, end) of each run of kept, non-blank lines (removed lines skipped)."""
    spans, start, last = [], None, None
    for i, (line, k) in enumerate(zip(lines, keep)):
        if not k:
            continue
        if line.strip():
            start = i if start is None else start
            last = i
        elif start is not None:
            spans.append((start, last))
            start = None
    if start is not None:
        spans.append((start, last))
    return spans


def _paragraphs(doc: Document, keep: list[bool]) -> tuple[list, list[list[str]], list[int]]:
    """Paragraph spans, the kept lines of each, and their word counts."""
    spans = paragraphs(doc.lines, keep)
    texts = [[doc.lines[i] for i in range(s, e + 1) if keep[i]] for s, e in spans]
    return spans, texts, [sum(len(line.split()) for line in t) for t in texts]


def _cosines(spans: list, texts: list[list[str]], counts: list[int], min_words: int) -> list:
    """(span, words, cosine to the rest) for the paragraphs long enough to judge.

    The rest's vector is the document total minus the paragraph, so each score
    costs only the paragraph's own vocabulary.
    """
    bags = [Counter(content_words(" ".join(t))) for t in texts]
    total, df = Counter(), Counter()
    for bag in bags:
        total.update(bag)
        df.update(bag.keys())
    n = len(bags)
    idf2 = {w: (math.log((n + 1) / (d + 0.5)) + 1.0) ** 2 for w, d in df.items()}
    total_norm2 = sum(v * v * idf2[w] for w, v in total.items())
    judged = []
    for span, words, bag in zip(spans, counts, bags):
        # Too few words, or too few content words (tables of figures, code): nothing to judge.
        if words < min_words or bag.total() < min_words // 2:
            continue
        dot = own2 = change = 0.0
        for w, v in bag.items():
            t, i2 = total[w], idf2[w]
            dot += v * (t - v) * i2
            own2 += v * v * i2
            change += (t * t - (t - v) * (t - v)) * i2
        rest2 = total_norm2 - change
        judged.append((span, words, dot / math.sqrt(own2 * rest2) if own2 > 0 and rest2 > 1e-9 else 0.0))
    return judged


def scores(doc: Document, keep: list[bool], min_words: int = 20) -> list[tuple[tuple[int, int], float]]:
    """(paragraph span, cosine to the rest) for every paragraph long enough to judge."""
    return [(span, score) for span, _, score in _cosines(*_paragraphs(doc, keep), min_words)]


def strip(
    doc: Document,
    keep: list[bool],
    threshold: float = 0.03,
    min_words: int = 20,
    min_context: int = 150,
) -> list[Removal]:
    keep, out = list(keep), []
    while True:
        found = _once(doc, keep, threshold, min_words, min_context)
        if not found:
            return sorted(out, key=lambda r: r.start)
        for r in found:
            keep[r.start - 1 : r.end] = [False] * (r.end - r.start + 1)
        out.extend(found)


def _once(doc: Document, keep: list[bool], threshold: float, min_words: int, min_context: int) -> list[Removal]:
    spans, texts, counts = _paragraphs(doc, keep)
    if len(spans) < 3:
        return []
    total_words = sum(counts)
    # A paragraph needs min_words of its own and min_context around it: shorter texts keep all.
    if total_words < min_words + min_context:
        return []
    judged = _cosines(spans, texts, counts, min_words)
    first, last = spans[0], spans[-1]
    out = []
    for (s, e), words, score in judged:
        if (s, e) in (first, last) or score >= threshold or total_words - words < min_context:
            continue
        out.append(
            Removal(
                s + 1, e + 1, "off-topic-insert", "off-topic", f"shares little vocabulary with the rest (cosine {score:.3f})",
                f"cosine={score:.3f}",
            )
        )
    return out
