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
nothing (idempotence). The judging runs in the native core (``src/offtopic.rs``),
its sums in the order of first occurrence, as Python's ``Counter`` iterates.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache

from .. import _core
from ..document import Document, Removal
from ..rules import default_rules_dir


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    data = tomllib.loads((default_rules_dir() / "lexicon" / "stopwords.toml").read_text(encoding="utf-8"))
    return frozenset(w for words in data.values() for w in words)


@lru_cache(maxsize=1)
def _judge() -> _core.OffTopic:
    return _core.OffTopic(sorted(stopwords()))


def strip(
    doc: Document,
    keep: list[bool],
    threshold: float = 0.03,
    min_words: int = 20,
    min_context: int = 150,
) -> list[Removal]:
    return [
        Removal(s + 1, e + 1, "off-topic-insert", "off-topic", f"shares little vocabulary with the rest (cosine {score:.3f})",
                f"cosine={score:.3f}")
        for s, e, score in _judge().judge(doc.text, keep, threshold, min_words, min_context)
    ]  # fmt: skip
