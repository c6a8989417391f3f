"""The document model every stage shares: documents, removals and results.

A document's lines are its text split on ``"\\n"`` and numbered from 1. A
stripper returns :class:`Removal` objects over those line numbers; cleaning
turns them into a :class:`Result` whose kept lines and removed lines rebuild
the (repaired) text exactly.

>>> doc = Document("Title\\n\\nBody line.\\nShare this")
>>> doc.lines
['Title', '', 'Body line.', 'Share this']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Removal:
    """Lines ``start``..``end`` (1-based, inclusive) removed by one rule or signal."""

    start: int
    end: int
    kind: str
    rule: str
    reason: str
    evidence: str = ""

    def as_dict(self) -> dict:
        out = {"start": self.start, "end": self.end, "kind": self.kind, "rule": self.rule, "reason": self.reason}
        if self.evidence:
            out["evidence"] = self.evidence
        return out


@dataclass
class Document:
    """A text with an optional record id and the path it came from."""

    text: str
    id: str | None = None
    path: str | None = None
    meta: dict = field(default_factory=dict, repr=False)

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def __getstate__(self) -> dict:
        """Pickle (to and from worker processes) without the cached lines."""
        state = self.__dict__.copy()
        state.pop("lines", None)
        return state

    def first_text_line(self, removal: Removal) -> int:
        """The first non-blank line a removal covers (its blank neighbours ride along)."""
        for n in range(removal.start, removal.end + 1):
            if self.lines[n - 1].strip():
                return n
        return removal.start

    @property
    def label(self) -> str:
        """How messages name this document: ``path``, ``path[id]`` or ``id``."""
        if self.path and self.id is not None and self.id != self.path:
            return f"{self.path}[{self.id}]"
        return self.path or (str(self.id) if self.id is not None else "<text>")


@dataclass
class Result:
    """What cleaning one document produced.

    ``document`` holds the repaired text the line numbers refer to; ``text`` is
    the cleaned text; ``removals`` are sorted by line and never overlap.
    """

    document: Document
    text: str
    removals: list[Removal]
    repairs: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.removals or self.repairs)

    def removed_lines(self) -> dict[int, Removal]:
        """Map each removed line number to the removal that covers it."""
        return {n: r for r in self.removals for n in range(r.start, r.end + 1)}

    def rebuild(self) -> str:
        """Put the removed lines back: the repaired input, exactly.

        >>> from cleaner import clean
        >>> text = "Headline\\n\\nHeadline\\n\\nBody."
        >>> clean(text).rebuild() == text
        True
        """
        removed = self.removed_lines()
        kept = iter(self.text.split("\n"))
        lines = self.document.lines
        return "\n".join(lines[n - 1] if n in removed else next(kept) for n in range(1, len(lines) + 1))


def build_result(document: Document, owner: list[Removal | None], repairs: list[str]) -> Result:
    """Turn a per-line owner list (``None`` = kept) into a :class:`Result`.

    Consecutive lines owned by the same removal become one range.
    """
    lines = document.lines
    kept = [line for line, o in zip(lines, owner) if o is None]
    removals: list[Removal] = []
    run_start = None
    for i, o in enumerate(owner + [None]):
        prev = owner[i - 1] if i else None
        if run_start is not None and o is not prev:
            removals.append(_ranged(prev, run_start + 1, i))
            run_start = None
        if o is not None and run_start is None:
            run_start = i
    return Result(document, "\n".join(kept), removals, repairs)


def _ranged(r: Removal, start: int, end: int) -> Removal:
    if (r.start, r.end) == (start, end):
        return r
    return Removal(start, end, r.kind, r.rule, r.reason, r.evidence)
