"""Clean a corpus: sources in, cleaned outputs and a summary out.

This is the loop the ``clean`` command runs: it streams every source through
a :class:`~cleaner.clean.Cleaner`, writes each result where the output mode
says, and keeps going past bad inputs, which it reports through callbacks and
counts in the :class:`Summary`. It never prints.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from .clean import Cleaner
from .document import Document, Result
from .io import (
    InputError,
    Source,
    atomic_writer,
    decode,
    dump_record,
    find_sources,
    is_jsonl_name,
    parse_record,
    read_jsonl,
    read_text,
)
from .strip.corpus_lines import LineCounts, texts_keys
from .workers import CHUNK_DOCS, CleanPool, batched, map_chunks


def contract_field(result: Result) -> dict:
    """The ``cleaner`` field of the JSONL contract."""
    removed = [{"start": r.start, "end": r.end, "kind": r.kind, "rule": r.rule, "reason": r.reason} for r in result.removals]
    return {"removed": removed, "changed": result.changed}


@dataclass
class Summary:
    """Counts for a run: documents, removals per kind, rule and file, bytes, errors."""

    documents: int = 0
    changed: int = 0
    lines_removed: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    by_kind: Counter = field(default_factory=Counter)
    by_rule: Counter = field(default_factory=Counter)
    by_file: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def add(self, path: str, result: Result) -> None:
        self.documents += 1
        self.changed += result.changed
        self.bytes_in += len(result.document.text.encode("utf-8"))
        self.bytes_out += len(result.text.encode("utf-8"))
        entry = self.by_file.setdefault(path, {"documents": 0, "lines_removed": 0, "errors": 0})
        entry["documents"] += 1
        doc_lines = result.document.lines
        for r in result.removals:  # count lines of text, not the blank lines that go with them
            lines = sum(1 for n in range(r.start - 1, r.end) if doc_lines[n].strip())
            self.lines_removed += lines
            entry["lines_removed"] += lines
            self.by_kind[r.kind] += lines
            self.by_rule[r.rule] += lines

    def error(self, err: InputError) -> None:
        self.errors.append({"path": err.path, "line": err.line, "message": err.message})
        self.by_file.setdefault(err.path, {"documents": 0, "lines_removed": 0, "errors": 0})["errors"] += 1

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "changed": self.changed,
            "lines_removed": self.lines_removed,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "by_kind": dict(sorted(self.by_kind.items())),
            "by_rule": dict(sorted(self.by_rule.items())),
            "by_file": self.by_file,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class Output:
    """Where results go: ``"stdout"``, ``"jsonl"`` (one file), ``"folder"`` (mirror), ``"in-place"``,
    or ``"none"`` (nothing written: a check)."""

    mode: str = "stdout"
    path: str | None = None

    @classmethod
    def for_path(cls, path: str | None, in_place: bool = False) -> Output:
        if in_place:
            return cls("in-place")
        if path is None or path == "-":
            return cls("stdout")
        return cls("jsonl" if is_jsonl_name(path) else "folder", path)


@dataclass
class CorpusCleaner:
    """Stream sources through a cleaner into an output, reporting as it goes."""

    cleaner: Cleaner
    output: Output = field(default_factory=Output)
    text_field: str = "text"
    id_field: str = "id"
    # Called with each result and where it went: (target path or None, record ordinal in it or None).
    on_result: Callable[[Source, Result, tuple[str | None, int | None]], None] | None = None
    on_error: Callable[[InputError], None] | None = None
    on_warning: Callable[[str], None] | None = None
    # Add the ``cleaner`` field (the removals) to JSONL records; without it, an
    # unchanged record is written back byte for byte.
    annotate: bool = True
    # Worker processes that clean; the output is the same for any number.
    jobs: int = 1
    # Run on each chunk of results where it was cleaned (see CleanPool).
    after: Callable[[list[Result]], None] | None = None
    summary: Summary = field(default_factory=Summary)
    _stdin: object = field(default=None, repr=False)  # standard input, kept for a second read

    def run(self, paths: list[str], glob: str = "*.txt", fmt: str = "auto") -> Summary:
        self.paths = paths
        sources = [s for s in find_sources(paths, glob, fmt) if not self._failed(s)]
        if self.output.mode == "in-place":
            sources = [s for s in sources if not self._failed(_not_a_link(s))]
        self._check_output(sources)
        self._multi = len(sources) > 1
        self._jsonl_count = 0
        self._target: _Target | None = None  # the open per-source JSONL output
        with ExitStack() as stack:
            cleaner = self.cleaner
            if cleaner.config.corpus_lines and cleaner.corpus is None:
                if any(s.is_stdin for s in sources):  # read twice: keep a copy
                    self._stdin = stack.enter_context(tempfile.TemporaryFile())
                    shutil.copyfileobj(sys.stdin.buffer, self._stdin)
                cleaner = cleaner.with_corpus(self.count_lines(sources, cleaner.line_counts()))
            self._jsonl_out = stack.enter_context(self._open(self.output.path)) if self.output.mode == "jsonl" else None
            pool = stack.enter_context(CleanPool(cleaner, self.jobs, self.after))
            try:
                for item, doc, result in pool.map(self._items(sources)):
                    self._consume(item, doc, result)
            finally:
                self._abort()
        return self.summary

    def count_lines(self, sources: list[Source], counts: LineCounts) -> LineCounts:
        """The first pass: count lines across every document, the records parsed and the keys
        worked out on ``jobs`` processes (what cannot be read is reported by the cleaning pass)."""
        batches = batched(self._unparsed(sources), CHUNK_DOCS)
        work = partial(_line_keys, text_field=self.text_field, max_words=counts.max_words)
        for keys in map_chunks(work, batches, self.jobs):
            counts.add_documents(keys)
        return counts

    def _unparsed(self, sources: list[Source]) -> Iterator[str | bytes]:
        """Each document's text, or the JSONL line it is still to be parsed from."""
        for source in sources:
            try:
                for item, doc in self._source_items(source, parse=False):
                    if item[0] in ("text", "record"):
                        yield doc.text if doc is not None else item[2].raw
            except InputError:
                continue

    def _stdin_lines(self) -> Iterator[bytes]:
        if self._stdin is None:
            return sys.stdin.buffer
        self._stdin.seek(0)
        return self._stdin

    def _failed(self, item) -> bool:
        if isinstance(item, InputError):
            self.summary.error(item)
            if self.on_error:
                self.on_error(item)
            return True
        return False

    def _check_output(self, sources: list[Source]) -> None:
        if self.output.mode == "in-place" and any(s.is_stdin for s in sources):
            raise InputError("-", "--in-place needs files, not standard input")
        if self.output.mode == "folder":
            check_output_dir(self.paths, Path(self.output.path))
        if self.output.mode in ("folder", "jsonl"):
            out = Path(self.output.path).resolve()
            for s in sources:
                if not s.is_stdin and Path(s.path).resolve() == out:
                    raise InputError(s.path, "the output would overwrite this input; use --in-place or another -o")

    @contextmanager
    def _open(self, path: str | None):
        if path is None:
            yield sys.stdout.buffer
        else:
            with atomic_writer(path) as stream:
                yield stream

    def target(self, source: Source) -> str | None:
        """The file a source's results go to (None: standard output)."""
        mode = self.output.mode
        if mode == "in-place":
            return source.path
        if mode == "folder":
            return str(Path(self.output.path) / source.relpath)
        return self.output.path

    # -- reading: a stream of items, in input order --------------------------------------
    # ("text", source, None) + a document; ("begin" | "end", source, None);
    # ("record", source, Record) + a document; ("broken", source, Record); ("error", source, InputError).

    def _items(self, sources: list[Source]) -> Iterator[tuple[tuple, Document | None]]:
        for source in sources:
            try:
                yield from self._source_items(source)
            except InputError as err:
                yield ("error", source, err), None

    def _source_items(self, source: Source, parse: bool = True):
        fmt, lines = source.format, None
        if source.is_stdin:
            lines = self._stdin_lines()
            if fmt == "auto":  # a JSON object on the first line means JSONL
                first = lines.readline()
                fmt = "jsonl" if first.lstrip().startswith(b"{") else "text"
                lines = itertools.chain([first], lines)
            if fmt == "text":
                yield ("text", source, None), Document(decode(b"".join(lines), source.path), path=source.path)
                return
        if fmt == "text":
            yield ("text", source, None), Document(read_text(source), path=source.path)
            return
        yield ("begin", source, None), None
        for rec in read_jsonl(source, self.text_field, lines, parse):
            if not parse:
                yield ("record", source, rec), None
                continue
            if rec.error is not None:
                yield ("broken", source, rec), None
                continue
            rid = rec.data.get(self.id_field)
            doc = Document(rec.data[self.text_field], id=str(rid) if rid is not None else str(rec.line), path=source.path,
                           meta={"line": rec.line, "key": document_key(source, rec.data, rec.line, self.id_field)})
            yield ("record", source, rec), doc
        yield ("end", source, None), None

    # -- writing: each item as it comes back, cleaned ---------------------------------------

    def _consume(self, item: tuple, doc: Document | None, result: Result | None) -> None:
        kind, source, extra = item
        if kind == "text":
            self._text(source, result)
        elif kind == "begin":
            self._begin(source)
        elif kind == "record":
            self._record(source, extra, result)
        elif kind == "broken":
            self._failed(extra.error)
            raw = extra.raw
            self._write_line(raw if raw.endswith(b"\n") else raw + b"\n")
        elif kind == "end":
            self._end()
        elif kind == "error":
            self._abort()
            self._failed(extra)

    def _text(self, source: Source, result: Result) -> None:
        if not result.document.text:
            message = f"{source.path}: empty file, nothing to clean"
            self.summary.warnings.append(message)
            if self.on_warning:
                self.on_warning(message)
        self.summary.add(source.path, result)
        mode = self.output.mode
        if mode == "jsonl":
            record = {"id": source.relpath, "path": source.path, "text": result.text, "cleaner": contract_field(result)}
            self._jsonl_out.write(dump_record(record))
            self._jsonl_count += 1
            return self._report(source, result, self.output.path, self._jsonl_count)
        if mode == "stdout":
            out = sys.stdout.buffer
            if self._multi:
                out.write(f"==> {source.path} <==\n".encode())
            out.write(result.text.encode("utf-8"))
            if not result.text.endswith("\n"):
                out.write(b"\n")
            out.flush()
        elif mode == "folder" or (mode == "in-place" and result.changed):  # an unchanged file is not rewritten
            with atomic_writer(self.target(source), compress=False) as stream:
                stream.write(result.text.encode("utf-8"))
        self._report(source, result, self.target(source) if mode != "none" else None, None)

    def _begin(self, source: Source) -> None:
        mode = self.output.mode
        if mode == "jsonl":
            self._target = _Target(self._jsonl_out, self.output.path, self._jsonl_count)
        elif mode == "stdout":
            self._target = _Target(sys.stdout.buffer)
        elif mode == "none":
            self._target = _Target(_Discard())
        else:
            target = self.target(source)
            context = atomic_writer(target)
            self._target = _Target(context.__enter__(), target, context=context)

    def _write_line(self, data: bytes) -> None:
        self._target.stream.write(data)
        self._target.lines += 1

    def _record(self, source: Source, rec, result: Result) -> None:
        self.summary.add(source.path, result)
        data = rec.data
        self._target.changed += result.changed
        if self.annotate or result.changed:
            data[self.text_field] = result.text
            if self.annotate:
                data["cleaner"] = contract_field(result)
            self._write_line(dump_record(data))
        else:
            self._write_line(rec.raw if rec.raw.endswith(b"\n") else rec.raw + b"\n")
        self._report(source, result, self._target.path, self._target.lines)

    def _end(self) -> None:
        target, self._target = self._target, None
        if self.output.mode == "jsonl":
            self._jsonl_count = target.lines
        if target.context is None:
            return
        if target.changed == 0 and self.output.mode == "in-place":  # in place, a file with no change is left alone
            target.context.__exit__(_Unchanged, _Unchanged(), None)
        else:
            target.context.__exit__(None, None, None)

    def _abort(self) -> None:
        """Drop a half-written per-source output: its temporary file goes, the target stays as it was."""
        target, self._target = self._target, None
        if target is None:
            return
        if target.context is not None:
            target.context.__exit__(_Unchanged, _Unchanged(), None)
        elif self.output.mode == "jsonl":  # the shared output keeps the lines written so far
            self._jsonl_count = target.lines

    def _report(self, source: Source, result: Result, target: str | None, ordinal: int | None) -> None:
        if self.on_result:
            self.on_result(source, result, (target, ordinal))


@dataclass
class _Target:
    """Where one JSONL source's records go: a stream, the file it writes (for reports),
    the lines it holds, the records changed, and the atomic write to finish (if any)."""

    stream: object
    path: str | None = None
    lines: int = 0
    changed: int = 0
    context: object = None


class _Unchanged(Exception):
    """Raised inside an atomic write to abandon it: nothing changed."""


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)


def _line_keys(items: list[str | bytes], text_field: str, max_words: int) -> list:
    """The corpus-line keys of each document: a text, or a JSONL line parsed here (a broken
    record has none; the cleaning pass reports it)."""
    texts = []
    for item in items:
        if isinstance(item, bytes):
            rec = parse_record("", 0, item, text_field)
            if rec.error is not None:
                continue
            item = rec.data[text_field]
        texts.append(item)
    return texts_keys(texts, max_words)


def _not_a_link(source: Source) -> Source | InputError:
    if Path(source.path).is_symlink():
        return InputError(source.path, "a symbolic link; --in-place rewrites regular files only (pass the file it points to)")
    return source


def check_output_dir(paths: list[str], out: Path) -> None:
    """Refuse an output folder that is an input, or lies inside an input folder
    (a second run would read its own output)."""
    out = out.resolve()
    for raw in paths:
        if raw == "-":
            continue
        p = Path(raw).resolve()
        if out == p or (p.is_dir() and p in out.parents):
            raise InputError(raw, f"the output folder {out} is inside this input; choose an output folder outside it")


def document_key(source: Source, record: dict | None, line: int, id_field: str) -> str:
    """How dedup names a document: the record id, else ``path:line``; a text file by its path."""
    if record is None:
        return source.path
    rid = record.get(id_field)
    return str(rid) if rid is not None else f"{source.path}:{line}"


def read_documents(
    paths: list[str],
    glob: str = "*.txt",
    fmt: str = "auto",
    text_field: str = "text",
    id_field: str = "id",
    time_field: str | None = None,
) -> Iterator[tuple[Source, Document, bytes | None] | InputError]:
    """Every document of every source, in a stable order, with the raw JSONL line it came from.

    A document's ``meta["time"]`` is the record's ``time_field`` (a number or an
    ISO date) or the file's modification time, for the ``newest`` keep policy.
    """
    seen: set[str] = set()
    for source in find_sources(paths, glob, fmt):
        if isinstance(source, InputError):
            yield source
            continue
        try:
            if source.format == "jsonl":
                for rec in read_jsonl(source, text_field):
                    if rec.error is not None:
                        yield rec.error
                        continue
                    key = document_key(source, rec.data, rec.line, id_field)
                    if key in seen:
                        key = f"{source.path}:{rec.line}"
                    seen.add(key)
                    time = _time(rec.data.get(time_field) if time_field else None, source, rec.line)
                    yield source, Document(rec.data[text_field], id=key, path=source.path, meta={"time": time, "line": rec.line}), rec.raw
            else:
                text = read_text(source)
                time = 0.0 if source.is_stdin else os.stat(source.path).st_mtime
                yield source, Document(text, id=source.path, path=source.path, meta={"time": time}), None
        except InputError as err:
            yield err


def _time(value, source: Source, line: int) -> float:
    if value is None:
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return datetime.fromisoformat(str(value)).timestamp()
    except ValueError:
        raise InputError(source.path, f"time field {value!r} is neither a number nor an ISO date", line) from None


def write_kept(
    documents: Iterable[tuple[Source, Document, bytes | None]], dropped: set[str], output: Output
) -> tuple[int, int]:
    """Write every document not in ``dropped``, in the same formats as ``clean``; (written, dropped)."""
    written = skipped = 0
    with ExitStack() as stack:
        streams: dict[str, object] = {}

        def stream(target: str):
            if target not in streams:
                streams[target] = stack.enter_context(atomic_writer(target))
            return streams[target]

        for source, doc, raw in documents:
            if doc.id in dropped:
                skipped += 1
                continue
            written += 1
            if output.mode == "jsonl":
                record = raw if raw is not None else dump_record({"id": doc.id, "path": doc.path, "text": doc.text})
                stream(output.path).write(record if record.endswith(b"\n") else record + b"\n")
            elif raw is not None:
                stream(str(Path(output.path) / source.relpath)).write(raw if raw.endswith(b"\n") else raw + b"\n")
            else:
                with atomic_writer(Path(output.path) / source.relpath, compress=False) as f:
                    f.write(doc.text.encode("utf-8"))
    return written, skipped
