"""Repeated lines: a line that repeats an earlier line of the same document.

Lines are compared after casefolding and collapsing white space (in the core:
``src/repeats.rs``, with the rapidfuzz crate); a line whose rapidfuzz ``ratio``
to an earlier kept line reaches ``threshold`` is removed and the first
occurrence stays. Short repeated lines (fewer than ``min_chars``
characters) are left alone: "Yes." twice in an interview is content; so are
lines of more than ``max_words`` words, which pages often repeat on purpose
(passage dedup reports those).
"""

from __future__ import annotations

from .. import _core
from ..document import Document, Removal


def strip(
    doc: Document, keep: list[bool], threshold: float = 95.0, min_chars: int = 12, max_words: int = 25,
    found: list[tuple[int, int, float]] | None = None,
) -> list[Removal]:
    """``found``: what :func:`cleaner._core.line_pass` found for this document (lines it skipped
    are those a rule took); without it the core looks at the lines ``keep`` leaves."""
    if found is None:
        found = _core.repeated_lines(doc.text, [not k for k in keep], threshold, min_chars, max_words)
    return [
        Removal(n + 1, n + 1, "repeated-headline", "repeated-line", f"repeats line {first + 1} (similarity {score:.0f})",
                f"line {first + 1}")
        for n, first, score in found if keep[n]
    ]
