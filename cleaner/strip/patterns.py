"""Rule lines: every line that a rule from ``rules/`` matches."""

from __future__ import annotations

from ..document import Document, Removal
from ..rules import RuleSet


def strip(doc: Document, keep: list[bool], rules: RuleSet) -> list[Removal]:
    out = []
    for n, (line, k) in enumerate(zip(doc.lines, keep), 1):
        if not k or not line or line.isspace():
            continue
        rule = rules.first_match(line)
        if rule is not None:
            out.append(Removal(n, n, rule.kind, rule.id, rule.reason, line.strip()[:200]))
    return out
