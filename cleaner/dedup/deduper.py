"""Find near-duplicate documents and passages reused across documents.

Documents: MinHash signatures of word shingles go into LSH buckets with
datasketch's ``MinHashLSH`` rule and band layout (:mod:`.lsh`); every
candidate pair is verified with the exact Jaccard of the two shingle sets,
then aligned with rapidfuzz to report the shared span.

Tokens, shingles, passages and signatures come from the native core
(:class:`cleaner._core.Sketcher`), which also verifies candidates.

Passages: each document is split into paragraphs (long ones into windows of
sentences, ``src/tokens.rs``). Passage signatures go into a second
band index at a low Jaccard threshold, which serves as the candidate step
for containment: a candidate pair is verified with the exact overlap
coefficient ``|A & B| / min(|A|, |B|)`` of the shingle sets (a short passage
inside a longer window scores 1.0), and must share ``passage_min_shared``
shingles. datasketch's ``MinHashLSHEnsemble`` answers containment too, but it
indexes a fixed set of entries in one go, while documents here arrive one at a
time. Verified passage pairs of the same two documents that touch are merged
into one span.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from .. import _core
from ..config import DedupConfig
from ..document import Document
from ..workers import Pool, batched, map_chunks
from .align import shared_span
from .clusters import UnionFind, choose
from .index import Index
from .lsh import BandIndex
from .minhash import permutations, signatures
from .shingle import MULTIPLIERS, tokens_with_offsets

ALIGN_BATCH = 256  # document pairs aligned per call
_NO_SHINGLES = np.empty(0, dtype=np.uint64)


@dataclass(frozen=True)
class Side:
    """One side of a pair: which document, and where the shared text sits in it."""

    doc: str
    path: str | None
    lines: tuple[int, int]  # 1-based, inclusive
    chars: tuple[int, int]  # 0-based, end exclusive

    def as_dict(self) -> dict:
        return {"doc": self.doc, "path": self.path, "lines": list(self.lines), "chars": list(self.chars)}


@dataclass(frozen=True)
class Pair:
    level: str  # "document" or "passage"
    similarity: float
    a: Side
    b: Side
    text: str
    cluster: str = ""

    def as_dict(self) -> dict:
        return {
            "level": self.level,
            "cluster": self.cluster,
            "similarity": round(self.similarity, 4),
            "a": self.a.as_dict(),
            "b": self.b.as_dict(),
            "text": self.text,
        }


@dataclass(slots=True)
class _Entry:
    key: str
    path: str | None
    text: str
    time: float
    shingles: np.ndarray  # sorted unique document shingle hashes
    # (char start, char end, index of the first token, sorted unique shingle hashes)
    passages: list[tuple[int, int, int, np.ndarray]] = field(default_factory=list)

    # Tokens, offsets and line starts are needed only to align a document that is in
    # a pair: they are worked out then, and only the most recent are kept (a corpus
    # of copies has pairs for nearly every document).
    @property
    def _tokenised(self) -> tuple[list[str], np.ndarray]:
        return _tokenise(self.text)

    @property
    def tokens(self) -> list[str]:
        return self._tokenised[0]

    @property
    def offsets(self) -> np.ndarray:
        return self._tokenised[1]

    @property
    def _line_starts(self) -> list[int]:
        return _line_starts(self.text)

    def line_of(self, char: int) -> int:
        return bisect.bisect_right(self._line_starts, char)


@dataclass
class Sketch:
    """What adding a text needs: its shingle set and signature, and its passages
    (``(start, end, first token, shingle set)``) and their signatures."""

    shingles: np.ndarray
    signature: np.ndarray | None
    passages: list
    passage_signatures: np.ndarray


class Sketcher:
    """Sketch the cleaned texts of results where they are cleaned (a worker process), so the
    parent only matches: ``sketcher(results)`` puts each sketch in ``result.document.meta["sketch"]``."""

    def __init__(self, config: DedupConfig):
        self.config = config
        self._deduper: Deduper | None = None

    def __getstate__(self) -> dict:
        return {"config": self.config, "_deduper": None}

    def __call__(self, results: list) -> None:
        if self._deduper is None:
            self._deduper = Deduper(self.config)
        for result, sketch in zip(results, self._deduper.sketches([r.text for r in results])):
            result.document.meta["sketch"] = sketch


class Deduper:
    """Add documents, then ask for verified pairs, clusters and the copies to keep.

    >>> d = Deduper()
    >>> story = "Russia said only Syrian troops should be on the southern border with Jordan and Israel. " * 3
    >>> d.add(Document(story, id="a")); d.add(Document(story + " Reuters.", id="b"))
    'a'
    'b'
    >>> [(p.level, p.a.doc, p.b.doc) for p in d.pairs() if p.level == "document"]
    [('document', 'a', 'b')]
    >>> d.clusters()
    {'a': ['a', 'b']}
    >>> d.dropped()
    ['b']
    """

    def __init__(self, config: DedupConfig | None = None, index: Index | None = None):
        self.config = config or DedupConfig()
        self.index = index
        self.indexed: set[str] = set()  # keys loaded from the index, not added here
        self.entries: dict[str, _Entry] = {}
        self._doc_pairs: dict[tuple[str, str], float] = {}
        self._clusters: tuple[int, dict] | None = None  # (pairs they were made from, clusters)
        self._passage_hits: dict[tuple[str, str], list[tuple[int, int, int, int]]] = defaultdict(list)

    # The LSH indexes are made when first used: a Deduper that only sketches (in a worker
    # process) needs no band layout, and so no datasketch or scipy import.
    @cached_property
    def doc_lsh(self) -> BandIndex:
        return BandIndex(self.config.threshold, self.config.num_perm)

    @cached_property
    def passage_lsh(self) -> BandIndex:
        return BandIndex(self.config.passage_lsh_threshold, self.config.num_perm)

    # -- adding -----------------------------------------------------------------

    def add(self, doc: Document, time: float = 0.0) -> str:
        """Add one document; return its key (the record id, else the path, else its arrival number)."""
        key = _key(doc, len(self.entries))
        self.add_many([(doc, time)])
        return key

    def add_many(self, docs: Iterable[Document | tuple[Document, float]]) -> list[str]:
        """Add documents in one vectorised batch; adding a key again changes nothing."""
        items = [item if isinstance(item, tuple) else (item, 0.0) for item in docs]
        sketches = self.sketches([doc.text for doc, _ in items])
        return self.add_sketched([(doc, time, sketch) for (doc, time), sketch in zip(items, sketches)])

    def sketches(self, texts: list[str]) -> list[Sketch]:
        """Shingle sets and MinHash signatures of texts, in one call to the core: all that
        adding needs from a text, so other processes can work it out (see :class:`Sketcher`)."""
        return [Sketch(*parts) for parts in self._core_sketcher.sketch(texts)]

    def __getstate__(self) -> dict:
        """Pickled without the core's sketcher (made again when first used)."""
        state = self.__dict__.copy()
        state.pop("_core_sketcher", None)
        return state

    @cached_property
    def _core_sketcher(self) -> _core.Sketcher:
        c = self.config
        a, b = permutations(c.num_perm, c.seed)
        return _core.Sketcher(
            documents=c.level in ("document", "both"), passages=c.level in ("passage", "both"), ngram=c.ngram,
            passage_ngram=c.passage_ngram, passage_max_words=c.passage_max_words,
            passage_window_words=c.passage_window_words, passage_min_tokens=c.passage_min_tokens,
            multipliers=MULTIPLIERS, a=a.tolist(), b=b.tolist(),
        )

    def add_sketched(self, items: Iterable[tuple[Document, float, Sketch]]) -> list[str]:
        """Add documents whose sketches were made by :meth:`sketches` (here or in another process).

        Their LSH buckets are indexed now; candidates are verified in one go when
        pairs, clusters or kept copies are asked for (:meth:`_verify`)."""
        added, doc_keys, doc_sigs, passage_keys, passage_sigs = [], [], [], [], []
        for doc, time, sketch in items:
            key = _key(doc, len(self.entries))
            if key in self.entries:
                continue
            entry = _Entry(key, doc.path, doc.text, time, sketch.shingles, list(sketch.passages))
            self.entries[key] = entry
            if sketch.signature is not None:
                if self.index is not None:
                    self._match_index(entry, sketch.signature, self._doc_pairs)
                doc_keys.append(key)
                doc_sigs.append(sketch.signature)
            passage_keys += [(key, k) for k in range(len(entry.passages))]
            passage_sigs.append(sketch.passage_signatures)
            added.append(key)
        if doc_sigs:
            self.doc_lsh.add(doc_keys, np.stack(doc_sigs))
        if passage_keys:
            self.passage_lsh.add(passage_keys, np.concatenate(passage_sigs))
        return added

    def _verify(self) -> None:
        """Verify the LSH candidates among the documents added since the last call."""
        c, entries = self.config, self.entries
        keys = self.doc_lsh.keys
        left, right = self.doc_lsh.candidates()
        if len(left):  # |A & B| <= min(|A|, |B|): sets too different in size cannot reach the threshold
            size = np.array([len(entries[k].shingles) for k in keys])
            small, large = np.minimum(size[left], size[right]), np.maximum(size[left], size[right])
            possible = (small >= c.threshold * large * (1 - 1e-9)) | (large == 0)  # margin for rounding
            left, right = left[possible], right[possible]
        if len(left):
            sims = _core.jaccard_pairs([entries[k].shingles for k in keys], left, right)
            hit = np.flatnonzero(sims >= c.threshold)
            for i, j, sim in zip(left[hit].tolist(), right[hit].tolist(), sims[hit].tolist()):
                self._doc_pairs[_ordered(keys[i], keys[j])] = sim
        keys = self.passage_lsh.keys
        left, right = self.passage_lsh.candidates()
        if len(left):  # verified in the core, each pair in the order of its (document, part) keys
            rank = {k: r for r, k in enumerate(sorted({key for key, _ in keys}))}
            doc = np.array([rank[key] for key, _ in keys], dtype=np.int64)
            part = np.array([k for _, k in keys], dtype=np.int64)
            sets = [entries[key].passages[k][3] for key, k in keys]
            first, second, scores = _core.passage_hits(sets, doc, part, left, right, c.passage_min_shared,
                                                       c.passage_threshold)
            for i, j, score in zip(first.tolist(), second.tolist(), scores.tolist()):
                (a, ka), (b, kb) = keys[i], keys[j]
                self._passage_hits[(a, b)].append((ka, kb, score))

    def _document_hit(self, a: str, b: str, doc_pairs: dict) -> None:
        """Record documents ``a`` and ``b`` if their Jaccard reaches the threshold."""
        sim = jaccard(self.entries[a].shingles, self.entries[b].shingles)
        if sim >= self.config.threshold:
            doc_pairs[_ordered(a, b)] = sim

    def _passage_hit(self, a: str, ka: int, b: str, kb: int, passage_hits: dict) -> None:
        """Record passages ``ka`` of ``a`` and ``kb`` of ``b`` (``a < b``) if their containment holds."""
        mine, theirs = self.entries[a].passages[ka][3], self.entries[b].passages[kb][3]
        shared = overlap(mine, theirs)
        score = shared / min(len(mine), len(theirs))
        if shared >= self.config.passage_min_shared and score >= self.config.passage_threshold:
            passage_hits[(a, b)].append((ka, kb, score))

    def _match_index(self, entry: _Entry, doc_sig: np.ndarray, doc_pairs: dict) -> None:
        """Pairs of one entry with the documents of the persistent index."""
        for other, _, j in self.index.query(doc_sig, entry.shingles):
            if other != entry.key:
                self._load_indexed(other)
                doc_pairs[_ordered(entry.key, other)] = j

    def _load_indexed(self, key: str) -> None:
        if key not in self.entries:
            path, text, time = self.index.load(key)
            self.entries[key] = _Entry(key, path, text, time, np.empty(0, dtype=np.uint64))
            self.indexed.add(key)

    def save(self, index: Index | None = None) -> int:
        """Add the documents added here to the index; return how many were new to it."""
        index = index or self.index
        batch = [e for k, e in self.entries.items() if k not in self.indexed]
        c = self.config
        sigs = signatures([e.shingles for e in batch], c.num_perm, c.seed)
        added = sum(index.add(e.key, e.path, e.text, e.time, sig, e.shingles) for e, sig in zip(batch, sigs))
        index.commit()
        return added

    # -- asking -----------------------------------------------------------------

    def query(self, doc: Document) -> list[Pair]:
        """Pairs between ``doc`` and the documents added so far, without adding it."""
        (sketch,) = self.sketches([doc.text])
        entry = _Entry(_key(doc, len(self.entries)), doc.path, doc.text, 0.0, sketch.shingles, list(sketch.passages))
        probe = Deduper(self.config)
        probe.entries = {**self.entries, entry.key: entry}
        if sketch.signature is not None:
            for other in self.doc_lsh.query(sketch.signature):
                if other != entry.key:
                    probe._document_hit(entry.key, other, probe._doc_pairs)
            if self.index is not None:
                self._match_index(entry, sketch.signature, probe._doc_pairs)
        for k, sig in enumerate(sketch.passage_signatures):
            for other, other_k in self.passage_lsh.query(sig):
                if other != entry.key:
                    (a, ka), (b, kb) = sorted(((entry.key, k), (other, other_k)))
                    probe._passage_hit(a, ka, b, kb, probe._passage_hits)
        return probe.pairs()

    def pairs(self) -> list[Pair]:
        """Every verified pair, documents first, in a stable order, with cluster ids."""
        return list(self.iter_pairs())

    def iter_pairs(self, pool: Pool | None = None) -> Iterator[Pair]:
        """:meth:`pairs` one at a time: document pairs are aligned as they are yielded, so a
        corpus with a million pairs can be written out without holding them. With ``pool``
        the document pairs are aligned there, in batches, and come back in the same order."""
        groups = self.clusters()
        doc_cluster = {m: root for root, members in groups.items() for m in members}
        del groups
        entries, c = self.entries, self.config
        batches, mine = itertools.tee(batched(sorted(self._doc_pairs.items()), ALIGN_BATCH))
        tasks = ((c.min_block, c.max_gap, self._texts(batch), [ab for ab, _ in batch]) for batch in batches)
        for batch, shared in zip(mine, map_chunks(_align_documents, tasks, pool=pool)):
            for ((a, b), sim), (a_lines, a_chars, b_lines, b_chars) in zip(batch, shared):
                side_a, side_b = Side(a, entries[a].path, a_lines, a_chars), Side(b, entries[b].path, b_lines, b_chars)
                yield Pair("document", sim, side_a, side_b, entries[a].text[a_chars[0] : a_chars[1]], doc_cluster[a])
        # Passage clusters need every pair first: held as plain numbers (where each span sits),
        # not as Pairs with their texts, which a corpus of copies has millions of.
        passage_uf = UnionFind()
        found = []
        for (a, b), hits in sorted(self._passage_hits.items()):
            spans = self._passage_spans(a, b, hits)
            if spans:
                passage_uf.union(a, b)
                found.append((a, b, spans))
        for a, b, spans in found:
            ea, eb, cluster = entries[a], entries[b], "p:" + passage_uf.find(a)
            for a_lines, a_chars, b_lines, b_chars, score in spans:
                side_a, side_b = Side(a, ea.path, a_lines, a_chars), Side(b, eb.path, b_lines, b_chars)
                yield Pair("passage", score, side_a, side_b, ea.text[a_chars[0] : a_chars[1]], cluster)

    def _texts(self, batch: list[tuple]) -> dict[str, tuple[str | None, str]]:
        """The path and text of each document in a batch of pairs (what aligning them needs)."""
        entries = self.entries
        return {k: (entries[k].path, entries[k].text) for ab, _ in batch for k in ab}

    def clusters(self) -> dict[str, list[str]]:
        """Clusters of near-duplicate documents (two or more members), by cluster id."""
        self._verify()
        if self._clusters is None or self._clusters[0] != len(self._doc_pairs):  # pairs are only ever added
            uf = UnionFind()
            for a, b in self._doc_pairs:
                uf.union(a, b)
            self._clusters = (len(self._doc_pairs), uf.groups())
        return dict(self._clusters[1])

    def kept(self) -> list[str]:
        """The copy kept from each cluster, by the keep policy."""
        groups = self.clusters().values()
        length = {k: len(self.entries[k].text) for members in groups for k in members}
        time = {k: self.entries[k].time for members in groups for k in members}
        return [choose(members, self.config.keep, length, time) for members in groups]

    def dropped(self) -> list[str]:
        kept = set(self.kept())
        return sorted(m for members in self.clusters().values() for m in members if m not in kept)

    # -- spans ------------------------------------------------------------------

    def _passage_spans(self, a: str, b: str, hits) -> list[tuple]:
        """Align each verified passage pair, then merge spans that overlap on both sides:
        ``(a lines, a chars, b lines, b chars, score)`` of each merged span."""
        ea, eb = self.entries[a], self.entries[b]
        spans = []
        for ka, kb, score in sorted(set(hits)):
            pa, pb = ea.passages[ka], eb.passages[kb]
            ta0, ta1 = pa[2], int(np.searchsorted(ea.offsets[:, 0], pa[1]))
            tb0, tb1 = pb[2], int(np.searchsorted(eb.offsets[:, 0], pb[1]))
            span = shared_span(ea.tokens[ta0:ta1], eb.tokens[tb0:tb1], self.config.min_block, self.config.max_gap)
            if span is None:
                continue
            (x0, x1), (y0, y1), matched = span
            spans.append([ta0 + x0, ta0 + x1, tb0 + y0, tb0 + y1, score])
        spans.sort()
        merged: list[list[int]] = []
        for s in spans:
            last = merged[-1] if merged else None
            if last and s[0] <= last[1] and s[2] <= last[3] and s[3] >= last[2]:
                last[1], last[3] = max(last[1], s[1]), max(last[3], s[3])
                last[2] = min(last[2], s[2])
                last[4] = max(last[4], s[4])
            else:
                merged.append(list(s))
        return [(*_where(ea, a0, a1), *_where(eb, b0, b1), score) for a0, a1, b0, b1, score in merged]


def _align_documents(task: tuple) -> list[tuple]:
    """Where each of a batch of document pairs ``(a, b)`` is shared: ``(lines, chars)`` on
    each side, given the documents' paths and texts (worked out in a worker process, or here)."""
    min_block, max_gap, texts, batch = task
    entries = {k: _Entry(k, path, text, 0.0, _NO_SHINGLES) for k, (path, text) in texts.items()}
    return [_shared(entries[a], entries[b], min_block, max_gap) for a, b in batch]


def _shared(ea: _Entry, eb: _Entry, min_block: int, max_gap: int) -> tuple:
    span = shared_span(ea.tokens, eb.tokens, min_block, max_gap)
    if span is None:  # identical shingle sets, no aligned block (very short texts): whole texts
        span = ((0, len(ea.tokens)), (0, len(eb.tokens)), 0)
    (a0, a1), (b0, b1), _ = span
    if a1 <= a0 or b1 <= b0:
        return _whole(ea) + _whole(eb)
    return _where(ea, a0, a1) + _where(eb, b0, b1)


def _whole(entry: _Entry) -> tuple[tuple[int, int], tuple[int, int]]:
    return (1, max(1, entry.line_of(len(entry.text)))), (0, len(entry.text))


def _where(entry: _Entry, t0: int, t1: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The lines and characters of tokens ``t0``..``t1`` (end exclusive)."""
    c0, c1 = int(entry.offsets[t0, 0]), int(entry.offsets[t1 - 1, 1])
    return (entry.line_of(c0), entry.line_of(c1 - 1)), (c0, c1)


@lru_cache(maxsize=1024)
def _tokenise(text: str) -> tuple[list[str], np.ndarray]:
    return tokens_with_offsets(text)


@lru_cache(maxsize=1024)
def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) and not len(b):
        return 1.0
    shared = overlap(a, b)
    return shared / (len(a) + len(b) - shared)


def overlap(a: np.ndarray, b: np.ndarray) -> int:
    return len(np.intersect1d(a, b, assume_unique=True))


def _pairs(left: np.ndarray, right: np.ndarray, block: int = 1 << 16) -> Iterator[tuple[int, int]]:
    """The index pairs as Python ints, a block at a time."""
    for start in range(0, len(left), block):
        yield from zip(left[start : start + block].tolist(), right[start : start + block].tolist())


def _key(doc: Document, n: int) -> str:
    """The record id, else the path, else the document's number in arrival order."""
    return str(doc.id) if doc.id is not None else doc.path or f"#{n + 1}"


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)
