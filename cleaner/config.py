"""One frozen configuration object with documented defaults.

Override with :func:`dataclasses.replace`, never with globals:

>>> from dataclasses import replace
>>> replace(Config(), repeat_threshold=90.0).repeat_threshold
90.0
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    # Rule lines: the packaged rule files, plus any user files, in order.
    default_rules: bool = True
    rule_files: tuple[str, ...] = ()

    # Text repair: run ftfy only on text that shows a sign of damage.
    repair: bool = True

    # Repeated lines: a line whose rapidfuzz ``ratio`` to an earlier line of the
    # same document is at least this (0-100, after casefolding and collapsing
    # white space) is removed; the first occurrence stays.
    repeat_threshold: float = 95.0
    repeat_min_chars: int = 12
    # Only lines of up to this many words: repeated headlines, labels and menu
    # items. A repeated long paragraph is left to passage dedup.
    repeat_max_words: int = 25

    # Off-topic paragraphs: a paragraph of at least ``offtopic_min_words`` words,
    # with content before and after it, is removed when the TF-IDF cosine of its
    # content words against the rest of the document is below
    # ``offtopic_threshold`` and the rest holds at least ``offtopic_min_context``
    # words.
    offtopic: bool = True
    offtopic_threshold: float = 0.03
    offtopic_min_words: int = 20
    offtopic_min_context: int = 150

    def __post_init__(self) -> None:
        if not 0.0 <= self.repeat_threshold <= 100.0:
            raise ValueError("repeat_threshold must be in [0, 100]")
        if not 0.0 <= self.offtopic_threshold <= 1.0:
            raise ValueError("offtopic_threshold must be in [0.0, 1.0]")
