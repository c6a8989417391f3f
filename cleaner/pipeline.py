"""The main job: clean a corpus, deduplicate it, and write the cleaned corpus with its reports.

OUT receives the cleaned corpus in the same layout and formats as the input,
less the copies dedup drops; ``duplicates.jsonl`` (one verified pair per line);
``summary.json`` (counts per kind, rule and file, bytes in and out, dedup
counts, timings); and ``report.html``. It streams: each cleaned document is
written as soon as it is cleaned and goes to the deduper in batches; dropped
copies are taken out of OUT at the end (atomically, file by file).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .clean import Cleaner
from .config import DedupConfig
from .corpus import CorpusCleaner, Output, Summary, check_output_dir
from .dedup import Deduper
from .dedup.deduper import Sketcher
from .document import Document, Result
from .io import InputError, Source, atomic_writer, dump_record, open_binary
from .report import DocumentView, write_html
from .report.html import MAX_PAIRS
from .workers import Pool

BATCH = 256


@dataclass
class RunResult:
    summary: Summary
    pairs: int  # written to duplicates.jsonl
    dropped: list[str]
    outputs: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def run_corpus(
    paths: list[str],
    out_dir: str | Path,
    cleaner: Cleaner,
    dedup: DedupConfig | None = None,
    glob: str = "*.txt",
    fmt: str = "auto",
    text_field: str = "text",
    id_field: str = "id",
    on_error: Callable[[InputError], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
    on_document: Callable[[Source, Result], None] | None = None,
    jobs: int = 1,
) -> RunResult:
    out = Path(out_dir)
    check_output_dir(paths, out)
    out.mkdir(parents=True, exist_ok=True)
    # Processes that align the pairs at the end, started now while this one is small.
    with Pool(jobs) if jobs > 1 else contextlib.nullcontext() as aligners:
        deduper = Deduper(dedup or DedupConfig())
        # What the report shows of each document, spooled to disk; closed once the report is written.
        views = tempfile.TemporaryFile()  # noqa: SIM115
        where: dict[str, tuple[str | None, int | None]] = {}
        batch: list[Document] = []
        started = time.perf_counter()

        def collect(source: Source, result: Result, target: tuple[str | None, int | None]) -> None:
            doc = result.document
            key = doc.meta.get("key", doc.path)  # the record id, else path:line; a text file by its path
            if key in where:  # a repeated record id: name it by place instead
                key = f"{doc.path}:{doc.meta['line']}"
            where[key] = target
            view = DocumentView.from_result(key, result)
            if view is not None:
                views.write(f"{json.dumps(key)}\t{view.as_json()}\n".encode())
            batch.append((Document(result.text, id=key, path=doc.path), 0.0, doc.meta.pop("sketch")))
            if len(batch) >= BATCH:
                deduper.add_sketched(batch)
                batch.clear()
            if on_document:
                on_document(source, result)

        job = CorpusCleaner(
            cleaner, Output("folder", str(out)), text_field=text_field, id_field=id_field,
            on_result=collect, on_error=on_error, on_warning=on_warning, jobs=jobs, after=Sketcher(deduper.config),
        )
        summary = job.run(paths, glob=glob, fmt=fmt)
        deduper.add_sketched(batch)
        cleaned = time.perf_counter()
        dropped = deduper.dropped()
        _remove_dropped(dropped, where, id_field)
        where.clear()

        # Pairs are aligned and written one at a time; the report keeps the first MAX_PAIRS.
        outputs = {name: str(out / name) for name in ("duplicates.jsonl", "summary.json", "report.html")}
        by_level: dict[str, int] = defaultdict(int)
        shown: list[dict] = []
        with atomic_writer(outputs["duplicates.jsonl"], compress=False) as f:
            for pair in deduper.iter_pairs(aligners):
                record = pair.as_dict()
                f.write(dump_record(record))
                by_level[pair.level] += 1
                if len(shown) < MAX_PAIRS:
                    shown.append(record)
        deduped = time.perf_counter()
        timings = {"clean_seconds": round(cleaned - started, 3), "dedup_seconds": round(deduped - cleaned, 3)}
        data = summary.as_dict() | {
            "dedup": {
                "pairs": dict(sorted(by_level.items())),
                "clusters": len(deduper.clusters()),
                "dropped": dropped,
                "kept": deduper.kept(),
            },
            "timings": timings,
        }
        with atomic_writer(outputs["summary.json"], compress=False) as f:
            f.write(json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
        texts = {k: deduper.entries[k].text for p in shown for k in (p["a"]["doc"], p["b"]["doc"])}
        with views, atomic_writer(outputs["report.html"], compress=False) as f:
            write_html(f, data, _views(views, set(dropped)), shown, texts, pairs_total=sum(by_level.values()))
        timings["report_seconds"] = round(time.perf_counter() - deduped, 3)
        return RunResult(summary, sum(by_level.values()), dropped, outputs, timings)


def _views(spool, dropped: set[str]) -> Iterator[str]:
    """The spooled views (``key<TAB>view JSON`` lines), dropped copies marked; the others as written."""
    spool.seek(0)
    for line in spool:
        key, view = line.decode("utf-8").rstrip("\n").split("\t", 1)
        if json.loads(key) in dropped:
            view = DocumentView(**json.loads(view) | {"dropped": True}).as_json()
        yield view


def _remove_dropped(dropped: list[str], where: dict, id_field: str) -> None:
    """Take dropped copies out of OUT: delete text files, rewrite JSONL files without those records."""
    by_file: dict[str, set[int]] = defaultdict(set)
    for key in dropped:
        target, ordinal = where.get(key, (None, None))
        if target is None:
            continue
        if ordinal is None:
            os.unlink(target)
        else:
            by_file[target].add(ordinal)
    for target, ordinals in by_file.items():
        source = Source(target, "jsonl", Path(target).name)
        with atomic_writer(target + ".dedup", compress=target.lower().endswith(".gz")) as f:
            with open_binary(source) as lines:
                for n, line in enumerate(lines, 1):
                    if n not in ordinals:
                        f.write(line)
        os.replace(target + ".dedup", target)


