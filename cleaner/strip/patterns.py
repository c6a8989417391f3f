"""Rule lines: every line that a rule from ``rules/`` matches.

The pass over one document runs under a time budget, so a user pattern that
backtracks catastrophically stops the run with a message naming it instead
of hanging (see :mod:`cleaner.rules`).
"""

from __future__ import annotations

from ..config import Config
from ..document import Document, Removal
from ..rules import RuleError, RuleSet, Timeout, time_budget


def strip(doc: Document, keep: list[bool], rules: RuleSet, seconds: float = Config.rule_seconds) -> list[Removal]:
    out = []
    n = 0
    budget = seconds * (1 + len(doc.text) / 1e6)
    try:
        with time_budget(budget):
            for n, (line, k) in enumerate(zip(doc.lines, keep), 1):
                if not k or not line or line.isspace():
                    continue
                rule = rules.first_match(line)
                if rule is not None:
                    out.append(Removal(n, n, rule.kind, rule.id, rule.reason, line.strip()[:200]))
    except Timeout:
        line = doc.lines[n - 1]
        rule = rules.slowest(line, budget)
        who = f"{rule.source}: rule {rule.id!r}" if rule is not None else "the rules together"
        raise RuleError(
            f"{who}: pattern still running after {budget:g} s on {doc.label}:{n} ({len(line)} characters): "
            "it backtracks catastrophically; rewrite it without nested quantifiers such as (a+)+"
        ) from None
    return out
