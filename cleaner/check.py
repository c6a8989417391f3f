"""Check a corpus the way a linter checks code: what ``clean`` would remove, and
which documents near-duplicate each other, without changing anything (or, with
``fix``, rewriting the files in place, atomically).

A :class:`Finding` names a place (``path:line``), a kind, the rule or signal,
and a message. Near-duplicates are reported only for the documents being
checked; documents from ``against`` (the rest of the repository, say) and from
an index are compared with, never reported on. Of a pair of checked
documents, the copy that dedup would drop is the one reported.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from .clean import Cleaner
from .config import DedupConfig
from .corpus import CorpusCleaner, Output, read_documents
from .dedup import Deduper
from .dedup.index import Index
from .document import Result
from .io import InputError, Source


@dataclass(frozen=True)
class Finding:
    """One thing to fix: ``path:line: kind [rule] message``."""

    path: str
    line: int
    kind: str
    rule: str
    message: str
    doc: str | None = None  # the record id, for a JSONL record

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind} [{self.rule}] {self.message}"

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "kind": self.kind, "rule": self.rule,
                "message": self.message, "doc": self.doc}


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)  # files rewritten, in order
    errors: list[InputError] = field(default_factory=list)
    documents: int = 0

    def as_dict(self) -> dict:
        return {
            "findings": [f.as_dict() for f in self.findings],
            "fixed": self.fixed,
            "errors": [{"path": e.path, "line": e.line, "message": e.message} for e in self.errors],
            "documents": self.documents,
        }


def boilerplate_findings(result: Result) -> list[Finding]:
    """A finding per removal, at its first non-blank line (a JSONL record: at its line in the file)."""
    doc = result.document
    record_line = doc.meta.get("line")
    out = []
    for r in result.removals:
        n = doc.first_text_line(r)
        if record_line is None:
            out.append(Finding(doc.path or "-", n, r.kind, r.rule, r.reason))
        else:
            out.append(Finding(doc.path or "-", record_line, r.kind, r.rule, f"{r.reason} (record {doc.id}, text line {n})", doc.id))
    return out


def check_corpus(
    paths: list[str],
    cleaner: Cleaner | None = None,
    dedup: DedupConfig | None = None,
    *,
    fix: bool = False,
    against: list[str] = (),
    index: Index | None = None,
    glob: str = "*.txt",
    fmt: str = "auto",
    text_field: str = "text",
    id_field: str = "id",
    on_error: Callable[[InputError], None] | None = None,
    jobs: int = 1,
) -> CheckResult:
    """Check ``paths`` for boilerplate (with ``cleaner``) and near-duplicates (with ``dedup``).

    ``fix`` rewrites files that have boilerplate, in place; ``against`` and
    ``index`` add documents to compare with.
    """
    out = CheckResult()
    failed: set[tuple[str, int | None]] = set()

    def error(err: InputError) -> None:
        if (err.path, err.line) not in failed:  # the same bad line is met by both passes
            failed.add((err.path, err.line))
            out.errors.append(err)
            if on_error:
                on_error(err)

    if cleaner is not None:
        changed: dict[str, None] = {}

        def found(source: Source, result: Result, where) -> None:
            out.findings.extend(boilerplate_findings(result))
            if result.changed:
                changed[source.path] = None

        job = CorpusCleaner(cleaner, Output("in-place" if fix else "none"), text_field=text_field, id_field=id_field,
                            on_result=found, on_error=error, annotate=False, jobs=jobs)
        summary = job.run(list(paths), glob=glob, fmt=fmt)
        out.documents = summary.documents
        if fix:
            out.fixed = list(changed)
    if dedup is not None:
        out.findings.extend(_duplicates(paths, dedup, against, index, glob, fmt, text_field, id_field, error, out))
    return out


def _duplicates(paths, config, against, index, glob, fmt, text_field, id_field, error, out) -> list[Finding]:
    deduper = Deduper(config, index)
    checked: dict[str, tuple[str, int | None]] = {}  # key -> (path, record line)
    files: set[str] = set()
    batch = []
    for item in read_documents(list(paths), glob, fmt, text_field, id_field):
        if isinstance(item, InputError):
            error(item)
            continue
        source, doc, _ = item
        checked[doc.id] = (source.path, doc.meta.get("line"))
        if not source.is_stdin:
            files.add(os.path.realpath(source.path))
        batch.append(doc)
    if out.documents == 0:
        out.documents = len(batch)
    for item in read_documents(list(against), glob, fmt, text_field, id_field):
        if isinstance(item, InputError):
            continue  # only the checked files' own problems are reported
        source, doc, _ = item
        if os.path.realpath(source.path) not in files and doc.id not in checked:
            batch.append(doc)
    deduper.add_many(batch)
    dropped = set(deduper.dropped())
    findings = []
    for pair in deduper.pairs():
        sides = [s for s in (pair.b, pair.a) if s.doc in checked]
        if not sides:
            continue
        side = next((s for s in sides if s.doc in dropped), sides[0])
        other = pair.a if side is pair.b else pair.b
        path, record_line = checked[side.doc]
        where = f"{other.doc}" if other.doc == other.path else f"{other.path}[{other.doc}]" if other.path else other.doc
        if pair.level == "document":
            message = f"near-duplicate of {where} (Jaccard {pair.similarity:.2f}); shared text: lines {side.lines[0]}-{side.lines[1]}"
        else:
            message = (f"passage also in {where} lines {other.lines[0]}-{other.lines[1]} "
                       f"(overlap {pair.similarity:.2f}); here: lines {side.lines[0]}-{side.lines[1]}")
        if record_line is None:
            findings.append(Finding(path, side.lines[0], "near-duplicate", pair.level, message))
        else:
            findings.append(Finding(path, record_line, "near-duplicate", pair.level,
                                    f"record {side.doc}: {message}", side.doc))
    return findings
