"""The same clean + document-dedup pipeline on a Ray cluster, with Ray Data.

The stages, each a Ray Data operation, so no step gathers the corpus (or all
its pairs) on one node:

1. **read**: one task per input file (JSONL, JSONL.gz or text), streaming
   batches of records; a broken line or an unreadable file becomes an error
   row, reported in the summary, never lost;
   Lines repeated across documents (:mod:`cleaner.strip.corpus_lines`) are
   counted exactly, by a ``groupby`` on line keys; only the lines that reach
   the threshold come back to the driver, and go to the clean tasks;
2. **clean**: ``map_batches`` with :meth:`Cleaner.clean_many` (the cleaned
   corpus is materialised in the object store, which spills to disk);
3. **signatures**: word shingles and MinHash signatures per document
   (:mod:`cleaner.dedup.minhash`, the same parameters as the local engine);
4. **candidates**: one row per (band, bucket hash, document); a shuffle by
   band key (``groupby``) puts documents that share a band in one group, and
   every pair in a group is a candidate: datasketch's ``MinHashLSH`` rule with
   its band layout, so the candidates are the local engine's;
5. **verify**: each distinct candidate pair is joined with both shingle sets
   and kept when the exact Jaccard reaches the threshold;
6. **clusters**: connected components by alternating large-star and
   small-star rounds (Kiveris et al., "Connected Components in MapReduce and
   Beyond", 2014), each round a ``groupby``, until a round changes nothing;
   every node ends up pointing at the smallest key of its component, which is
   the cluster id the local union-find gives;
7. **keep**: a ``groupby`` per cluster applies the keep policy
   (:func:`cleaner.dedup.clusters.choose`); the dropped copies are taken out
   of the cleaned corpus with an anti-join;
8. **write**: one task per input file writes its output file (the same
   relative path as the input, records in input order) atomically; pairs and
   clusters are written as JSONL shards; ``summary.json`` last.

Passages are found by the local engine only. Inputs and the output folder
must be on a file system every node sees (NFS, a mounted bucket), at the same
path. Record ids (``--id-field``) must be unique across the corpus: records
without one are named ``path:line``.
"""

from __future__ import annotations

import json
import logging
import math
import os
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..clean import Cleaner
from ..config import DedupConfig
from ..corpus import Summary, check_output_dir, contract_field
from ..corpus import _time as parse_time
from ..dedup.clusters import choose
from ..dedup.deduper import Deduper, jaccard
from ..dedup.lsh import BandIndex
from ..document import Document
from ..io import InputError, Source, atomic_writer, dump_record, find_sources, read_jsonl, read_text
from ..strip.corpus_lines import LineCounts, texts_keys

READ_BATCH = 1024  # records per batch a read task yields
CLEAN_BATCH = 256  # documents per clean task batch (the classifier's batch)
MAX_ROUNDS = 64  # connected-component rounds: log2 of the longest chain is far less


class RayEngineError(RuntimeError):
    """Ray is missing or the cluster cannot be reached."""


@dataclass
class RayResult:
    summary: Summary
    pairs: int = 0
    clusters: int = 0
    dropped: int = 0
    rounds: int = 0
    outputs: dict[str, str] = field(default_factory=dict)


def run_ray(
    paths: list[str],
    out_dir: str | Path,
    cleaner: Cleaner | None,
    dedup: DedupConfig | None,
    glob: str = "*.txt",
    fmt: str = "auto",
    text_field: str = "text",
    id_field: str = "id",
    time_field: str | None = None,
    address: str | None = None,
    progress: bool = False,
) -> RayResult:
    """Clean (when ``cleaner``) and deduplicate documents (when ``dedup``) on Ray; write OUT.

    OUT mirrors the input tree (cleaned, less dropped copies), with
    ``duplicates/`` (verified pairs), ``clusters/`` (members and the kept copy)
    and ``summary.json``. Connects to ``address`` (or ``RAY_ADDRESS``), else
    starts Ray on this machine; a Ray already started in this process is used as is.
    """
    ray, rd = _ray(address, progress)
    out = Path(out_dir)
    check_output_dir(paths, out)
    out.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    sources = []
    for s in find_sources(paths, glob, fmt):
        if isinstance(s, InputError):
            summary.error(s)
        elif s.is_stdin:
            summary.error(InputError("-", "--engine ray reads files, not standard input"))
        else:
            sources.append(s)
    outputs = {"summary.json": str(out / "summary.json")}
    result = RayResult(summary, outputs=outputs)
    if sources:
        parts = _partitions(ray)
        items = [{"path": s.path, "format": s.format, "relpath": s.relpath} for s in sources]
        read = rd.from_items(items, override_num_blocks=len(items)).map_batches(
            _read, batch_size=1, batch_format="pyarrow",
            fn_kwargs={"text_field": text_field, "id_field": id_field, "time_field": time_field})
        if cleaner is not None and cleaner.config.corpus_lines and cleaner.corpus is None:
            cleaner = cleaner.with_corpus(count_lines(read, cleaner.line_counts(), parts))
        docs = read.map_batches(_clean, batch_size=CLEAN_BATCH, batch_format="pyarrow",
                                fn_kwargs={"cleaner": cleaner, "text_field": text_field}).materialize()
        _summarise(docs, summary)
        dropped = None
        if dedup is not None:
            dropped = _dedup(rd, docs, dedup, parts, out, result)
        kept = docs if dropped is None else docs.join(dropped, "left_anti", parts, on=("key",))
        kept.groupby("relpath", num_partitions=parts).map_groups(
            _write, batch_format="pyarrow", fn_kwargs={"out": str(out)}).materialize()
    data = summary.as_dict() | {
        "engine": "ray",
        "dedup": {"level": "document", "pairs": result.pairs, "clusters": result.clusters, "dropped": result.dropped,
                  "rounds": result.rounds},
    }
    with atomic_writer(outputs["summary.json"], compress=False) as f:
        f.write(json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
    return result


def _ray(address: str | None, progress: bool):
    try:
        import ray
        import ray.data as rd
    except ImportError:
        raise RayEngineError("--engine ray needs Ray: pip install 'cleaner[ray]'") from None
    if not ray.is_initialized():
        try:
            ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False,
                     include_dashboard=False, configure_logging=True)
        except (ConnectionError, RuntimeError, ValueError) as err:
            raise RayEngineError(f"cannot start or reach Ray at {address or 'this machine'}: {err}") from None
    context = rd.DataContext.get_current()
    context.enable_progress_bars = progress
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    return ray, rd


def _partitions(ray) -> int:
    return max(2, int(ray.cluster_resources().get("CPU", 2)))


# -- 1. read ------------------------------------------------------------------------------

_DOC_COLUMNS = ("key", "relpath", "line", "kind", "raw", "text", "time", "error")


def _read(batch, text_field: str, id_field: str, time_field: str | None):
    """Rows of one source: kind "record" / "text" (documents), "broken" (a bad line, written
    back as is) or "error" (the source failed; its output is not written)."""
    import pyarrow as pa

    (item,) = batch.to_pylist()
    source = Source(item["path"], item["format"], item["relpath"])
    rows: list[dict] = []

    def row(key, line, kind, raw=b"", text="", time=0.0, error=""):
        rows.append({"key": key, "relpath": source.relpath, "line": line, "kind": kind, "raw": raw, "text": text,
                     "time": time, "error": error})

    def flush():
        table = pa.Table.from_pylist(rows, schema=_DOC_SCHEMA(pa))
        rows.clear()
        return table

    try:
        if source.format == "text":
            time = os.stat(source.path).st_mtime if time_field else 0.0
            row(source.path, 0, "text", text=read_text(source), time=time)
        else:
            for rec in read_jsonl(source, text_field):
                if rec.error is not None:
                    row(f"{source.path}:{rec.line}", rec.line, "broken", raw=rec.raw, error=_error(rec.error))
                else:
                    rid = rec.data.get(id_field)
                    key = str(rid) if rid is not None else f"{source.path}:{rec.line}"
                    time = parse_time(rec.data.get(time_field), source, rec.line) if time_field else 0.0
                    row(key, rec.line, "record", raw=rec.raw, text=rec.data[text_field], time=time)
                if len(rows) >= READ_BATCH:
                    yield flush()
    except InputError as err:
        row(f"{source.path}:error", -1, "error", error=_error(err))
    if rows:
        yield flush()


def _error(err: InputError) -> str:
    return json.dumps([err.path, err.line, err.message])


def _DOC_SCHEMA(pa):
    return pa.schema([("key", pa.string()), ("relpath", pa.string()), ("line", pa.int64()), ("kind", pa.string()),
                      ("raw", pa.binary()), ("text", pa.string()), ("time", pa.float64()), ("error", pa.string())])


# -- 1b. lines repeated across documents ---------------------------------------------------


def count_lines(read, template: LineCounts, parts: int) -> LineCounts:
    """Documents per line over the corpus, counted exactly by a group-by on line keys; only
    the lines that reach the threshold come back to the driver."""
    per_line = read.map_batches(_line_keys, batch_format="pyarrow", fn_kwargs={"max_words": template.max_words})
    totals = per_line.groupby("line", num_partitions=parts).sum("n").rename_columns({"sum(n)": "n"}).materialize()
    documents = sum(r["n"] for r in totals.filter(expr="line == 0").take_all())
    params = {"max_words": template.max_words, "min_corpus": template.min_corpus, "min_docs": template.min_docs,
              "ratio": template.ratio}
    counts = LineCounts.from_counts({}, documents, **params)
    if math.isfinite(counts.threshold):
        frequent = totals.filter(expr=f"n >= {math.ceil(counts.threshold)} and line != 0").take_all()
        counts = LineCounts.from_counts({int(r["line"]) % (1 << 64): int(r["n"]) for r in frequent}, documents, **params)
    return counts


def _line_keys(batch, max_words: int):
    """One row (line key, 1) per distinct counted line of each document, and one row
    (0, documents in this batch)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = batch.filter(pc.is_in(batch.column("kind"), pa.array(["record", "text"])))
    keys = [k for found in texts_keys(rows.column("text").to_pylist(), max_words) for k in found.tolist()]
    signed = np.array([0, *keys], dtype=np.uint64).view(np.int64)  # Ray's expressions take signed integers
    return pa.table({"line": pa.array(signed, pa.int64()), "n": pa.array([rows.num_rows] + [1] * len(keys), pa.int64())})


# -- 2. clean -----------------------------------------------------------------------------


def _clean(batch, cleaner: Cleaner | None, text_field: str):
    """Clean the documents of a batch; ``raw`` becomes what the output file gets, ``stats``
    this row's share of the summary."""
    import pyarrow as pa

    rows = batch.to_pylist()
    docs = [i for i, r in enumerate(rows) if r["kind"] in ("record", "text")]
    results = cleaner.clean_many([Document(rows[i]["text"], id=rows[i]["key"]) for i in docs]) if cleaner else None
    stats = [""] * len(rows)
    for i in docs:
        r = rows[i]
        if results is None:  # dedup only: the document as it came
            stats[i] = json.dumps([len(r["text"].encode("utf-8"))] * 2 + [0, 0, {}, {}])
            if r["kind"] == "text":
                r["raw"] = r["text"].encode("utf-8")
            continue
        result = next(results)
        one = Summary()
        one.add(r["relpath"], result)
        stats[i] = json.dumps([one.bytes_in, one.bytes_out, one.changed, one.lines_removed, one.by_kind, one.by_rule])
        r["text"] = result.text
        if r["kind"] == "text":
            r["raw"] = result.text.encode("utf-8")
        else:
            data = json.loads(r["raw"])
            data[text_field] = result.text
            data["cleaner"] = contract_field(result)
            r["raw"] = dump_record(data)
    table = pa.Table.from_pylist(rows, schema=_DOC_SCHEMA(pa))
    return table.append_column("stats", pa.array(stats, pa.string()))


def _summarise(docs, summary: Summary) -> None:
    """Fold the rows' stats into ``summary`` (per-batch totals are all the driver sees), and
    record errors."""
    partial = docs.map_batches(_batch_stats, batch_format="pyarrow").take_all()
    for part in sorted(partial, key=lambda p: (p["relpath"], p["kind"], p["stats"])):
        s = json.loads(part["stats"])
        if part["kind"] == "error":
            path, line, message = s
            summary.error(InputError(path, message, line))
            continue
        bytes_in, bytes_out, changed, lines, by_kind, by_rule, documents = s
        summary.documents += documents
        summary.changed += changed
        summary.lines_removed += lines
        summary.bytes_in += bytes_in
        summary.bytes_out += bytes_out
        summary.by_kind.update(by_kind)
        summary.by_rule.update(by_rule)
        entry = summary.by_file.setdefault(part["relpath"], {"documents": 0, "lines_removed": 0, "errors": 0})
        entry["documents"] += documents
        entry["lines_removed"] += lines


def _batch_stats(batch):
    from collections import Counter

    import pyarrow as pa

    per_file: dict[str, list] = {}
    errors = []
    for r in batch.select(["relpath", "kind", "error", "stats"]).to_pylist():
        if r["kind"] in ("broken", "error"):
            errors.append({"relpath": r["relpath"], "kind": "error", "stats": r["error"]})
            continue
        bytes_in, bytes_out, changed, lines, by_kind, by_rule = json.loads(r["stats"])
        acc = per_file.setdefault(r["relpath"], [0, 0, 0, 0, Counter(), Counter(), 0])
        acc[0] += bytes_in
        acc[1] += bytes_out
        acc[2] += changed
        acc[3] += lines
        acc[4].update(by_kind)
        acc[5].update(by_rule)
        acc[6] += 1
    rows = [{"relpath": k, "kind": "stats", "stats": json.dumps(v)} for k, v in per_file.items()] + errors
    return pa.Table.from_pylist(rows, schema=pa.schema([("relpath", pa.string()), ("kind", pa.string()),
                                                        ("stats", pa.string())]))


# -- 3-7. dedup ---------------------------------------------------------------------------


def _dedup(rd, docs, config: DedupConfig, parts: int, out: Path, result: RayResult):
    """Verified pairs, clusters and the keep policy; returns the dropped keys (a dataset)."""
    config = replace(config, level="document")  # passages are the local engine's
    shingled = docs.map_batches(_sketch, batch_format="pyarrow", fn_kwargs={"config": config}).materialize()
    bands = shingled.map_batches(_bands, batch_format="pyarrow", fn_kwargs={"config": config})
    candidates = bands.groupby(["band", "bucket"], num_partitions=parts).map_groups(_bucket_pairs, batch_format="pyarrow")
    distinct = candidates.groupby(["a", "b"], num_partitions=parts).map_groups(_first, batch_format="pyarrow")
    sets = shingled.select_columns(["key", "shingles"])
    with_a = distinct.join(sets.rename_columns({"key": "a", "shingles": "sa"}), "inner", parts, on=("a",))
    with_b = with_a.join(sets.rename_columns({"key": "b", "shingles": "sb"}), "inner", parts, on=("b",))
    pairs = with_b.map_batches(_verify, batch_format="pyarrow", fn_kwargs={"threshold": config.threshold}).materialize()
    result.pairs = pairs.count()
    if result.pairs == 0:
        return None
    roots, result.rounds = connected_components(pairs.select_columns(["a", "b"]), parts)
    meta = shingled.select_columns(["key", "length", "time"])
    members = roots.join(meta, "inner", parts, on=("key",))
    clusters = members.groupby("root", num_partitions=parts).map_groups(
        _keep, batch_format="pyarrow", fn_kwargs={"policy": config.keep}).materialize()
    result.clusters = clusters.count()
    clusters.write_json(str(out / "clusters"))
    labelled = pairs.select_columns(["a", "b", "similarity"]).join(
        roots.rename_columns({"key": "a", "root": "cluster"}), "inner", parts, on=("a",))
    labelled.write_json(str(out / "duplicates"))
    result.outputs |= {"duplicates": str(out / "duplicates"), "clusters": str(out / "clusters")}
    dropped = clusters.map_batches(_dropped_keys, batch_format="pyarrow").materialize()
    result.dropped = dropped.count()
    return dropped


def _sketch(batch, config: DedupConfig):
    """Shingle set and signature of each document, made as the local engine makes them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    batch = batch.filter(pc.is_in(batch.column("kind"), pa.array(["record", "text"])))
    texts = batch.column("text").to_pylist()
    sketches = Deduper(config).sketches(texts)
    return pa.table({"key": batch.column("key"), "shingles": pa.array([s.shingles.tobytes() for s in sketches], pa.binary()),
                     "signature": pa.array([s.signature.tobytes() for s in sketches], pa.binary()),
                     "length": pa.array([len(t) for t in texts], pa.int64()), "time": batch.column("time")})


def _bands(batch, config: DedupConfig):
    """One row per (band, document) with the document's bucket in that band (the local
    engine's :class:`BandIndex` buckets)."""
    import pyarrow as pa

    index = BandIndex(config.threshold, config.num_perm)
    keys = batch.column("key").to_pylist()
    signatures = [np.frombuffer(s, dtype=np.uint64) for s in batch.column("signature").to_pylist()]
    buckets = index.buckets(np.stack(signatures)) if signatures else np.zeros((0, index.bands), dtype=np.uint64)
    return pa.table({"band": pa.array(np.tile(np.arange(index.bands, dtype=np.int32), len(keys))),
                     "bucket": pa.array(buckets.ravel().view(np.int64)),
                     "key": pa.array([k for k in keys for _ in range(index.bands)], pa.string())})


def _bucket_pairs(group):
    """Every pair of documents sharing one band bucket, smaller key first."""
    import pyarrow as pa

    keys = sorted(set(group.column("key").to_pylist()))
    a = [x for i, x in enumerate(keys) for _ in keys[i + 1 :]]
    b = [y for i in range(len(keys)) for y in keys[i + 1 :]]
    return pa.table({"a": pa.array(a, pa.string()), "b": pa.array(b, pa.string())})


def _first(group):
    return group.slice(0, 1)


def _verify(batch, threshold: float):
    import pyarrow as pa

    a, b, sims = [], [], []
    for x, y, sa, sb in zip(*(batch.column(c).to_pylist() for c in ("a", "b", "sa", "sb"))):
        j = jaccard(np.frombuffer(sa, dtype=np.uint64), np.frombuffer(sb, dtype=np.uint64))
        if j >= threshold:
            a.append(x)
            b.append(y)
            sims.append(round(j, 4))
    return pa.table({"a": pa.array(a, pa.string()), "b": pa.array(b, pa.string()),
                     "similarity": pa.array(sims, pa.float64())})


def connected_components(edges, parts: int):
    """Rows (key, root) for every node of ``edges`` (columns a, b), root = the smallest key of
    its component; and the rounds it took. Large-star and small-star alternate until a round
    leaves the edge set as it was; no node ever holds more than its own neighbours."""
    fingerprint, rounds = None, 0
    while rounds < MAX_ROUNDS:
        rounds += 1
        edges = _star(edges, parts, large=True)
        edges = _star(edges, parts, large=False).materialize()
        now = _fingerprint(edges)
        if now == fingerprint:
            break
        fingerprint = now
    # Converged: every edge is (member, root).
    roots = edges.groupby("a", num_partitions=parts).map_groups(_member_root, batch_format="pyarrow")
    tops = edges.groupby("b", num_partitions=parts).map_groups(_root_root, batch_format="pyarrow")
    return roots.union(tops).materialize(), rounds


def _star(edges, parts: int, large: bool):
    """Large-star: each node u links its larger neighbours to the smallest of u and its
    neighbours. Small-star: each node u links its smaller neighbours and itself to the
    smallest of them. Edges come out as (larger, smaller)."""
    if large:
        both = edges.map_batches(_both_ways, batch_format="pyarrow")
        return both.groupby("a", num_partitions=parts).map_groups(_large_star, batch_format="pyarrow")
    return edges.groupby("a", num_partitions=parts).map_groups(_small_star, batch_format="pyarrow")


def _both_ways(batch):
    import pyarrow as pa

    a, b = batch.column("a"), batch.column("b")
    return pa.table({"a": pa.concat_arrays([a.combine_chunks(), b.combine_chunks()]),
                     "b": pa.concat_arrays([b.combine_chunks(), a.combine_chunks()])})


def _edges(pairs):
    import pyarrow as pa

    return pa.table({"a": pa.array([p[0] for p in pairs], pa.string()), "b": pa.array([p[1] for p in pairs], pa.string())})


def _large_star(group):
    u = group.column("a")[0].as_py()
    neighbours = set(group.column("b").to_pylist())
    m = min(neighbours | {u})
    return _edges([(v, m) for v in sorted(neighbours) if v > u])


def _small_star(group):
    # Edges arrive as (larger, smaller): the group of u holds its smaller neighbours.
    u = group.column("a")[0].as_py()
    neighbours = set(group.column("b").to_pylist())
    m = min(neighbours | {u})
    return _edges([(v, m) for v in sorted(neighbours | {u}) if v != m])


def _fingerprint(edges) -> tuple[int, int]:
    """(edges, sum of their CRC-32s): the same for the same multiset of edges, on any node."""
    parts = edges.map_batches(_crc, batch_format="pyarrow").take_all()
    return sum(p["n"] for p in parts), sum(p["crc"] for p in parts)


def _crc(batch):
    import pyarrow as pa

    total = sum(zlib.crc32(f"{a}\0{b}".encode()) for a, b in zip(batch.column("a").to_pylist(), batch.column("b").to_pylist()))
    return pa.table({"n": [batch.num_rows], "crc": [total]})


def _member_root(group):
    import pyarrow as pa

    return pa.table({"key": group.column("a").slice(0, 1), "root": pa.array([min(group.column("b").to_pylist())])})


def _root_root(group):
    import pyarrow as pa

    root = group.column("b").slice(0, 1)
    return pa.table({"key": root, "root": root})


def _keep(group, policy: str):
    import pyarrow as pa

    rows = group.to_pylist()
    members = sorted(r["key"] for r in rows)
    kept = choose(members, policy, {r["key"]: r["length"] for r in rows}, {r["key"]: r["time"] for r in rows})
    return pa.table({"cluster": [rows[0]["root"]], "members": [members], "kept": [kept]})


def _dropped_keys(batch):
    import pyarrow as pa

    keys = [m for members, kept in zip(batch.column("members").to_pylist(), batch.column("kept").to_pylist())
            for m in members if m != kept]
    return pa.table({"key": pa.array(keys, pa.string())})


# -- 8. write -----------------------------------------------------------------------------


def _write(group, out: str):
    """Write one source's output file, records in input order, atomically; a source that
    failed to read is not written (its earlier output, if any, stays as it was)."""
    import pyarrow as pa

    relpath = group.column("relpath")[0].as_py()
    rows = sorted(group.select(["line", "kind", "raw", "key"]).to_pylist(), key=lambda r: r["line"])
    if any(r["kind"] == "error" for r in rows):
        return pa.table({"relpath": [relpath], "written": [0]})
    target = Path(out) / relpath
    text = rows[0]["kind"] == "text"
    with atomic_writer(target, compress=None if not text else False) as f:
        for r in rows:
            raw = r["raw"]
            f.write(raw if text or raw.endswith(b"\n") else raw + b"\n")
    return pa.table({"relpath": [relpath], "written": [len(rows)]})
