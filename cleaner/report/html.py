"""Render ``report.html``: one static file, no network, readable without a server.

The data goes into the page as JSON and a small script renders one page of
documents at a time, so the page stays usable for 100,000 documents. For each
document only its removed lines and one line of context on either side are kept,
so the file grows with what was removed, not with the corpus.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from ..document import Result

CONTEXT = 1  # lines of context around removed lines
CONTEXT_CHARS = 300  # a context line is cut to this many characters
MAX_PAIRS = 500  # pairs shown in the page; all of them are in duplicates.jsonl


@dataclass
class DocumentView:
    """What the report shows of one cleaned document."""

    doc: str
    path: str | None
    lines: list[list]  # [line number, text, kind or None, rule or None, reason or None]
    dropped: bool = False

    @classmethod
    def from_result(cls, key: str, result: Result) -> DocumentView | None:
        if not result.removals:
            return None
        lines = result.document.lines
        removed = result.removed_lines()
        show = sorted({n for r in result.removals for n in range(r.start - CONTEXT, r.end + CONTEXT + 1) if 1 <= n <= len(lines)})
        rows = []
        for n in show:
            r = removed.get(n)
            if not lines[n - 1].strip():
                continue  # blank lines, removed or kept, say nothing
            text = lines[n - 1] if r or len(lines[n - 1]) <= CONTEXT_CHARS else lines[n - 1][:CONTEXT_CHARS] + "…"
            rows.append([n, text, r.kind if r else None, r.rule if r else None, r.reason if r else None])
        return cls(key, result.document.path, rows)

    def as_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)


def render_html(summary: dict, documents: list[DocumentView], pairs: list[dict], texts: dict[str, str],
                pairs_total: int | None = None) -> str:
    """The report page. ``texts`` holds the cleaned text of every document in a pair, for the side-by-side
    view; the first :data:`MAX_PAIRS` pairs are shown, of ``pairs_total`` (default: all given)."""
    out = io.BytesIO()
    write_html(out, summary, (d.as_json() for d in documents), pairs, texts, pairs_total)
    return out.getvalue().decode("utf-8")


def write_html(stream, summary: dict, documents: Iterable[str], pairs: list[dict], texts: dict[str, str],
               pairs_total: int | None = None) -> None:
    """:func:`render_html` into a binary stream, one document at a time (each given as
    :meth:`DocumentView.as_json`): the page is never held in memory whole, however many
    documents had removals."""
    shown = ("documents", "changed", "lines_removed", "bytes_in", "bytes_out", "by_kind", "errors")
    head, tail = (resources.files(__package__) / "template.html").read_text(encoding="utf-8").split("/*DATA*/null")

    def put(text: str) -> None:
        stream.write(text.replace("</", "<\\/").encode("utf-8"))

    stream.write(head.encode("utf-8"))
    put('{"summary": ' + json.dumps({k: summary.get(k) for k in shown}, ensure_ascii=False) + ', "documents": [')
    for n, doc in enumerate(documents):
        put((", " if n else "") + doc)
    put('], "pairs": ' + json.dumps([_pair_view(p, texts) for p in pairs[:MAX_PAIRS]], ensure_ascii=False))
    put(', "pairs_total": ' + json.dumps(len(pairs) if pairs_total is None else pairs_total) + "}")
    stream.write(tail.encode("utf-8"))


def _pair_view(pair: dict, texts: dict[str, str]) -> dict:
    """A pair with some context around the shared span on each side."""
    view = dict(pair)
    for side in ("a", "b"):
        s = dict(pair[side])
        text = texts.get(s["doc"], "")
        c0, c1 = s["chars"]
        lo, hi = max(0, c0 - CONTEXT_CHARS), min(len(text), c1 + CONTEXT_CHARS)
        s["before"], s["shared"], s["after"] = text[lo:c0], text[c0:c1], text[c1:hi]
        view[side] = s
    return view
