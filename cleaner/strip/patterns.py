"""Rule lines: every line that a rule from ``rules/`` matches.

The core runs all rules of the set as one automaton over each line (linear time,
so no pattern can hang the run; see :mod:`cleaner.rules`). A batch of documents is
matched in one call (:func:`cleaner._core.line_pass`); ``hits`` are its
``(line index, rule index)`` pairs for one document.
"""

from __future__ import annotations

from .. import _core
from ..document import Document, Removal
from ..rules import RuleSet


def strip(doc: Document, keep: list[bool], rules: RuleSet, hits: list[tuple[int, int]] | None = None) -> list[Removal]:
    if hits is None:
        ((hits, _),) = _core.line_pass([doc.text], rules.compiled, None, 0, 0)
    out = []
    for n, i in hits:
        if keep[n]:
            rule = rules.rules[i]
            out.append(Removal(n + 1, n + 1, rule.kind, rule.id, rule.reason, doc.lines[n].strip()[:200]))
    return out
