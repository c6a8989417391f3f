"""Lines repeated across documents: the menus, footers and legal lines of a site's template.

No rule knows a site's own menu, but a corpus shows it: the same short line in
many documents. A first streaming pass counts, for each normalised line, the
documents that hold it, in a count-min sketch (fixed memory: ``depth`` rows of
``width`` 32-bit counters, whatever the corpus size; a count can only be
overestimated, by at most about ``depth``-th-order collisions). The cleaning
pass then removes a line held by at least

    threshold = max(min_docs, ratio * documents)

documents, with the count as evidence. The threshold grows with the corpus, so
a common phrase of the language does not become boilerplate in a large corpus,
and the sketch's error, which also grows with the corpus, stays far below it.
Corpora smaller than ``min_corpus`` documents are left alone: a handful of files
says nothing about templates.

Normalisation: casefold, digits to ``0`` (so "© 2023" and "© 2024" are one
line), white space collapsed. Only lines of ``max_words`` words or fewer count:
a long paragraph found in many documents is a duplicated story, which dedup
reports; and lines without a letter (rules, numbers) are left to other strippers.

>>> counts = LineCounts(min_corpus=3, min_docs=3)
>>> pages = [f"Home | Sport | Weather\\nStory number {n} is about something else entirely." for n in range(4)]
>>> counts.add_many(pages)
>>> [(r.start, r.kind, r.evidence) for r in strip(Document(pages[0]), [True, True], counts)]
[(1, 'repeated-across-documents', 'in 4 of 4 documents')]
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .. import _core
from ..document import Document, Removal

KIND = RULE = "repeated-across-documents"
# Row seeds of the sketch: fixed, so counts are the same on every run and worker.
_SEEDS = np.random.RandomState(0xC0FFEE).randint(1, 1 << 62, 8, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


def line_keys(text: str, max_words: int) -> list[int | None]:
    """The key of every line of ``text`` (None: not counted), worked out by the core
    (``src/lines.rs``): pieces of hard-wrapped paragraphs ("said." under a long line, or a
    line that stops mid-sentence above one that goes on in lower case) are never counted,
    so a common sentence ending or beginning is not taken for a template line."""
    rows, keys = _core.corpus_line_keys_by_line(text, max_words)
    out: list[int | None] = [None] * (text.count("\n") + 1)
    for n, k in zip(rows.tolist(), keys.tolist()):
        out[n] = k
    return out


def text_keys(text: str, max_words: int) -> np.ndarray:
    """The distinct line keys of one text."""
    return texts_keys([text], max_words)[0]


def texts_keys(texts: list[str], max_words: int) -> list[np.ndarray]:
    """:func:`text_keys` of several texts, in one call to the core."""
    return _core.corpus_line_keys(texts, max_words)


class LineCounts:
    """Documents per normalised line over a corpus, in a count-min sketch."""

    def __init__(self, width: int = 1 << 21, depth: int = 4, max_words: int = 15, min_corpus: int = 100,
                 min_docs: int = 3, ratio: float = 0.002):
        if width & (width - 1) or not 1 <= depth <= len(_SEEDS):
            raise ValueError(f"width must be a power of two and depth between 1 and {len(_SEEDS)}")
        self.width, self.depth, self.max_words = width, depth, max_words
        self.min_corpus, self.min_docs, self.ratio = min_corpus, min_docs, ratio
        self.table = np.zeros((depth, width), dtype=np.uint32)
        self.documents = 0
        self.exact: dict[int, int] | None = None

    @classmethod
    def from_counts(cls, counts: dict[int, int], documents: int, **params) -> LineCounts:
        """Counts made elsewhere (exactly, e.g. by a distributed group-by): ``counts`` needs to
        hold only the keys that reach the threshold."""
        out = cls(width=1, depth=1, **params)
        out.documents, out.exact = documents, dict(counts)
        return out

    def keys(self, text: str) -> np.ndarray:
        """The distinct line keys of one text."""
        return text_keys(text, self.max_words)

    def _cells(self, keys: np.ndarray) -> np.ndarray:
        """(depth, len(keys)) column indexes: a multiply-shift hash per row."""
        shift = np.uint64(64 - int(math.log2(self.width)))
        return (keys[None, :] * _SEEDS[: self.depth, None]) >> shift

    def add(self, text: str) -> None:
        self.add_keys(self.keys(text))

    def add_many(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.add(text)

    def add_keys(self, keys: np.ndarray) -> None:
        """Count one document holding these (distinct) line keys."""
        self.add_documents([keys])

    def add_documents(self, keys: list[np.ndarray]) -> None:
        """Count documents, each holding its array of (distinct) line keys."""
        if self.exact is not None:
            raise ValueError("counts made elsewhere cannot be added to")
        self.documents += len(keys)
        every = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
        if len(every):
            cells = self._cells(every)
            for row in range(self.depth):
                np.add.at(self.table[row], cells[row], 1)

    def count(self, keys: np.ndarray) -> np.ndarray:
        """Documents holding each key (never fewer than the true count)."""
        if not len(keys):
            return np.zeros(0, dtype=np.uint32)
        if self.exact is not None:
            return np.array([self.exact.get(k, 0) for k in keys.tolist()], dtype=np.uint32)
        cells = self._cells(keys)
        return np.min(self.table[np.arange(self.depth)[:, None], cells], axis=0)

    @property
    def threshold(self) -> float:
        """Documents a line must be in to be boilerplate; infinite below ``min_corpus`` documents."""
        if self.documents < self.min_corpus:
            return math.inf
        return max(self.min_docs, self.ratio * self.documents)


def strip(doc: Document, keep: list[bool], counts: LineCounts) -> list[Removal]:
    threshold = counts.threshold
    if math.isinf(threshold):
        return []
    rows, keys = [], []
    lines, found = _core.corpus_line_keys_by_line(doc.text, counts.max_words)
    for n, key in zip(lines.tolist(), found.tolist()):
        if keep[n]:
            rows.append(n + 1)
            keys.append(key)
    if not keys:
        return []
    found = counts.count(np.array(keys, dtype=np.uint64))
    return [
        Removal(n, n, KIND, RULE, f"a line found in {c} of {counts.documents} documents of the corpus",
                f"in {c} of {counts.documents} documents")
        for n, c in zip(rows, found.tolist()) if c >= threshold
    ]
