"""Repeated lines: a line that repeats an earlier line of the same document.

Lines are compared after casefolding and collapsing white space; a line whose
rapidfuzz ``ratio`` to an earlier kept line reaches ``threshold`` is removed
and the first occurrence stays. Short repeated lines (fewer than ``min_chars``
characters) are left alone: "Yes." twice in an interview is content; so are
lines of more than ``max_words`` words, which pages often repeat on purpose
(passage dedup reports those).
"""

from __future__ import annotations

import re
from collections import defaultdict

from rapidfuzz import fuzz, process

from ..document import Document, Removal

_SPACE = re.compile(r"\s+")
# Near-exact matching is for lines of ordinary length, against the most recent
# candidates of similar length; exact repeats are found at any length and distance.
_MAX_FUZZY_CHARS = 2000
_MAX_CANDIDATES = 256


def _norm(line: str) -> str:
    return _SPACE.sub(" ", line).strip().casefold()


def strip(
    doc: Document, keep: list[bool], threshold: float = 95.0, min_chars: int = 12, max_words: int = 25
) -> list[Removal]:
    out = []
    seen: dict[str, int] = {}
    by_length: dict[int, list[str]] = defaultdict(list)
    # ratio >= t needs the shorter string to be at least t / (200 - t) of the longer.
    spread = threshold / (200.0 - threshold) if threshold < 100 else 1.0
    for n, (line, k) in enumerate(zip(doc.lines, keep), 1):
        if not k:
            continue
        norm = _norm(line)
        if len(norm) < min_chars or norm.count(" ") >= max_words:
            continue
        first, score = seen.get(norm), 100.0
        if first is None and threshold < 100 and len(norm) <= _MAX_FUZZY_CHARS:
            size = len(norm)
            # The last _MAX_CANDIDATES of the concatenation, without building all of it.
            candidates = [
                c
                for length in range(int(size * spread), int(size / spread) + 1)
                for c in by_length.get(length, ())[-_MAX_CANDIDATES:]
            ][-_MAX_CANDIDATES:]
            best = process.extractOne(norm, candidates, scorer=fuzz.ratio, score_cutoff=threshold) if candidates else None
            if best is not None:
                first, score = seen[best[0]], best[1]
        if first is None:
            seen[norm] = n
            by_length[len(norm)].append(norm)
            continue
        out.append(
            Removal(n, n, "repeated-headline", "repeated-line", f"repeats line {first} (similarity {score:.0f})", f"line {first}")
        )
    return out
