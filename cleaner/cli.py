"""The command line: a thin shell over the library. The only module that prints or exits."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time
import tomllib
from dataclasses import replace

import click

from .check import check_corpus
from .clean import Cleaner
from .config import Config, DedupConfig
from .corpus import CorpusCleaner, Output, read_documents, write_kept
from .dedup import Deduper
from .dedup.index import Index, IndexError_
from .io import InputError, OutputError, Source, atomic_writer, find_sources, is_jsonl_name
from .pipeline import run_corpus
from .rules import RuleError, check_examples, load_rules
from .settings import SettingsError, default_map, find_settings
from .workers import default_jobs

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2


def run() -> None:
    """The console script: ``main`` with a quiet exit when the reader of our output goes away (``| head``).

    SIGTERM (and SIGHUP) unwind like an exception, so an atomic write in progress
    removes its temporary file and the original stays as it was.
    """
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, _exit_on_signal)
    try:
        main()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


def _exit_on_signal(signum, frame) -> None:
    sys.exit(128 + signum)


def _err(message: str) -> None:
    click.echo(f"cleaner: {message}", err=True)


def _build_cleaner(rules: tuple[str, ...], no_default_rules: bool, classifier: bool = True,
                   corpus_lines: bool = True, classifier_threshold: float | None = None,
                   classifier_model: str | None = None) -> Cleaner:
    config = replace(Config(), rule_files=tuple(rules), default_rules=not no_default_rules, classifier=classifier,
                     corpus_lines=corpus_lines, classifier_threshold=classifier_threshold,
                     classifier_model=classifier_model)
    try:
        ruleset = load_rules(config.default_rules, config.rule_files)
    except RuleError as err:
        raise click.UsageError(str(err)) from None
    problems = check_examples(ruleset.rules)
    if problems:
        raise click.UsageError("; ".join(problems[:3]) + (f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""))
    try:
        return Cleaner(config, ruleset)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as err:
        if classifier_model is None:  # the packaged weights: a broken install, not a usage error
            raise
        raise click.UsageError(
            f"{classifier_model}: not classifier weights ({type(err).__name__}: {err}); "
            "write them with scripts/train_classifier.py, or leave out --classifier-model"
        ) from None


def _engine_options(command):
    """--engine and --address: where the pipeline runs."""
    command = click.option("--address", help="With --engine ray: the cluster's address (host:port or ray://host:port); "
                           "default RAY_ADDRESS, else a Ray started on this machine.")(command)
    return click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                        help="local: processes on this machine (--jobs). ray: Ray Data on a cluster; needs "
                        "pip install 'cleaner[ray]', an output folder, and inputs every node can read.")(command)


def _run_on_ray(paths, output, cleaner, dedup_config, glob, fmt, text_field, id_field, address, quiet,
                time_field=None) -> None:
    """Run the pipeline on Ray; print the closing line and the errors; exit 1 if an input failed."""
    from .engine.ray import RayEngineError, run_ray

    if not output or output == "-" or is_jsonl_name(output):
        raise click.UsageError("--engine ray writes a folder: pass -o FOLDER")
    try:
        result = run_ray(list(paths), output, cleaner, dedup_config, glob, fmt, text_field, id_field, time_field,
                         address=address, progress=not quiet and sys.stderr.isatty())
    except RayEngineError as err:
        raise click.UsageError(str(err)) from None
    except InputError as err:
        _err(str(err))
        sys.exit(EXIT_USAGE)
    for e in result.summary.errors:
        _err(f"{e['path']}:{e['line']}: {e['message']}" if e["line"] else f"{e['path']}: {e['message']}")
    _close_run(result.summary, result.pairs, result.dropped, f"written to {output}", quiet)


def _close_run(s, pairs: int, dropped: int, where: str, quiet: bool) -> None:
    """The closing line of a run; exit 1 if an input failed."""
    if not quiet:
        _err(f"{s.documents} document(s), {s.lines_removed} line(s) removed, {pairs} duplicate pair(s), "
             f"{dropped} copy(ies) dropped; {where}")
    if s.errors:
        _err(f"{len(s.errors)} input(s) failed")
        sys.exit(EXIT_FOUND)


def _cleaning_options(command):
    """The options of every command that cleans: rule files, the classifier, worker processes."""
    options = [
        click.option("--rules", "rules", multiple=True, type=click.Path(dir_okay=False),
                     help="A rule file (TOML) to add; repeatable."),
        click.option("--no-default-rules", is_flag=True, help="Use only the rule files given with --rules."),
        click.option("--classifier/--no-classifier", default=True, show_default=True,
                     help="Also remove lines the line classifier scores as boilerplate (rules/model/classifier.toml)."),
        click.option("--classifier-threshold", type=click.FloatRange(0, 1), default=None,
                     show_default="the model's threshold",
                     help="Remove lines whose content score is below this. Lower keeps more text (more recall, "
                     "more boilerplate left): the README shows the trade-off."),
        click.option("--classifier-model", type=click.Path(exists=True, dir_okay=False),
                     help="Classifier weights to use instead of the packaged ones (scripts/train_classifier.py)."),
        click.option("--corpus-lines/--no-corpus-lines", default=True, show_default=True,
                     help="Also remove short lines found in many documents of the inputs (at least 3, and 0.2% of "
                     "them; inputs of 100 documents or more): a first pass counts them."),
        click.option("-j", "--jobs", type=click.IntRange(1, None), default=default_jobs, show_default="all cores",
                     help="Worker processes that clean; the output is the same for any number."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cleaner", prog_name="cleaner")  # looked up only when asked
@click.pass_context
def main(ctx: click.Context) -> None:
    """Strip boilerplate from text corpora and find near-duplicates; every removal explained.

    Options can also come from cleaner.toml or [tool.cleaner] in pyproject.toml,
    found from the current folder upward; flags win. `cleaner config` shows them.
    """
    try:
        path, data = find_settings()
        ctx.default_map = default_map(path, data, _option_names())
    except SettingsError as err:
        raise click.UsageError(str(err)) from None
    ctx.meta["settings_path"] = path


def _option_names() -> dict[str, dict[str, str]]:
    """Per command: long option name (without --) -> parameter name."""
    out = {}
    for name, command in main.commands.items():
        out[name] = {
            opt[2:]: p.name
            for p in command.params
            if isinstance(p, click.Option)
            for opt in p.opts
            if opt.startswith("--") and opt not in ("--help",)
        }
    return out


def _progress(paths, glob: str, quiet: bool, label: str = "cleaning"):
    """A progress bar on standard error when it is a terminal: share done, MB/s and time left.

    Its length is the size of the input files, found only when a bar is shown.
    """
    if quiet or not sys.stderr.isatty():
        return None
    total_bytes = _total_bytes(paths, glob)
    if total_bytes <= 0:
        return None
    started = time.perf_counter()

    def rate(_):
        done = bar.pos / 1e6
        return f"{done:.1f}/{total_bytes / 1e6:.1f} MB, {done / max(1e-9, time.perf_counter() - started):.1f} MB/s"

    bar = click.progressbar(length=total_bytes, label=label, file=sys.stderr, show_eta=True, width=30,
                            item_show_func=rate)
    return bar


@contextlib.contextmanager
def _maybe(bar):
    """Show ``bar`` (if any) while the block runs; fill it when the block ends well.

    Repair can shorten a text, so the bytes counted may fall short of the file sizes.
    """
    if bar is None:
        yield
        return
    with bar:
        yield
        bar.update(max(0, bar.length - bar.pos))


@contextlib.contextmanager
def _stops_on_errors(output_status: int = EXIT_FOUND):
    """What stops a run: an input error (usage, 2), a rule over its time budget (2),
    an output that cannot be written (``output_status``); each with its message."""
    try:
        yield
    except InputError as err:
        raise click.UsageError(str(err)) from None
    except RuleError as err:  # a pattern over its time budget: stop, nothing half-written
        _err(str(err))
        sys.exit(EXIT_USAGE)
    except OutputError as err:
        _err(str(err))
        sys.exit(output_status)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", help="A folder that mirrors the input tree, or a .jsonl(.gz) file. Default: standard output.")
@click.option("--in-place", is_flag=True, help="Rewrite each input file (atomically: temporary file, then rename).")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "jsonl"]), default="auto", show_default=True,
              help="Input format; auto goes by file name (.jsonl, .jsonl.gz) and, on standard input, by the first line.")
@click.option("--glob", default="*.txt", show_default=True, help="Which files to take from folders.")
@click.option("--text-field", default="text", show_default=True, help="JSONL field that holds the text.")
@click.option("--id-field", default="id", show_default=True, help="JSONL field that holds the record id.")
@_cleaning_options
@click.option("--explain", is_flag=True, help="One line per removal on standard error: path:line: kind [rule] reason.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write a JSON summary: counts per kind, rule and file; errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@_engine_options
def clean(paths, output, in_place, fmt, glob, text_field, id_field, rules, no_default_rules, classifier,
          classifier_threshold, classifier_model, corpus_lines, explain, report, jobs,
          quiet, engine, address):
    """Clean PATHS: text files, folders, .jsonl(.gz) files, or - for standard input.

    Exit status: 0 when every input was cleaned, 1 when some input failed
    (the others are still cleaned and written), 2 on a usage error.
    """
    if in_place and output:
        raise click.UsageError("--in-place and -o/--output do not go together")
    cleaner = _build_cleaner(rules, no_default_rules, classifier, corpus_lines, classifier_threshold, classifier_model)
    if engine == "ray":
        if in_place or explain or report:
            raise click.UsageError("--engine ray writes a folder (-o); --in-place, --explain and --report are local only")
        return _run_on_ray(paths, output, cleaner, None, glob, fmt, text_field, id_field, address, quiet)

    # No bar while cleaned text goes to a terminal: the two would mix.
    bar = _progress(paths, glob, quiet or (output is None and not in_place and sys.stdout.isatty()))

    def on_result(source, result, where):
        doc = result.document
        if bar is not None:
            bar.update(len(doc.text.encode("utf-8")))
        if explain:
            for r in result.removals:
                click.echo(f"{doc.label}:{doc.first_text_line(r)}: {r.kind} [{r.rule}] {r.reason}", err=True)

    job = CorpusCleaner(
        cleaner,
        Output.for_path(output, in_place),
        text_field=text_field,
        id_field=id_field,
        on_result=on_result,
        on_error=lambda e: _err(str(e)),
        on_warning=lambda m: _err(f"warning: {m}"),
        jobs=jobs,
    )
    with _stops_on_errors(), _maybe(bar):
        summary = job.run(list(paths), glob=glob, fmt=fmt)
    if report:
        with atomic_writer(report, compress=False) as stream:
            stream.write(json.dumps(summary.as_dict(), indent=2, ensure_ascii=False).encode("utf-8"))
    if summary.errors:
        _err(f"{len(summary.errors)} input(s) failed, {summary.documents} document(s) cleaned")
        sys.exit(EXIT_FOUND)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--level", type=click.Choice(["document", "passage", "both"]), default="both", show_default=True,
              help="Report near-duplicate documents, reused passages, or both.")
@click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=DedupConfig.threshold, show_default=True,
              help="Documents: the exact Jaccard of the shingle sets that makes a pair.")
@click.option("--passage-threshold", type=click.FloatRange(0, 1, min_open=True), default=DedupConfig.passage_threshold,
              show_default=True, help="Passages: the exact overlap coefficient that makes a pair.")
@click.option("--num-perm", type=click.IntRange(2, 1024), default=DedupConfig.num_perm, show_default=True,
              help="MinHash permutations.")
@click.option("--ngram", type=click.IntRange(1, 32), default=DedupConfig.ngram, show_default=True,
              help="Words per shingle.")
@click.option("--seed", type=int, default=DedupConfig.seed, show_default=True, help="MinHash seed (same on every run and index).")
@click.option("--keep", type=click.Choice(["first", "longest", "newest"]), default="first", show_default=True,
              help="Which copy of a cluster to keep: id or path sorting first, most characters, or newest.")
@click.option("--time-field", help="JSONL field with a number or ISO date, for --keep newest (files: modification time).")
@click.option("-o", "--output", help="Write the corpus minus dropped copies: a folder, or a .jsonl(.gz) file.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write the pairs as JSONL (default: standard output).")
@click.option("--index", "index_path", type=click.Path(dir_okay=False),
              help="A SQLite index: check inputs against it, then add them to it.")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "jsonl"]), default="auto", show_default=True)
@click.option("--glob", default="*.txt", show_default=True, help="Which files to take from folders.")
@click.option("--text-field", default="text", show_default=True)
@click.option("--id-field", default="id", show_default=True)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no closing lines.")
@_engine_options
def dedup(paths, level, threshold, passage_threshold, num_perm, ngram, seed, keep, time_field, output, report,
          index_path, fmt, glob, text_field, id_field, quiet, engine, address):
    """Find near-duplicate documents and passages reused across PATHS.

    Every pair is verified with the exact similarity of the shingle sets and
    aligned to report the shared span (file:line ranges and text). Exit status:
    0 when nothing failed, 1 when some input failed, 2 on a usage error.
    """
    try:
        config = DedupConfig(level=level, threshold=threshold, passage_threshold=passage_threshold,
                             num_perm=num_perm, ngram=ngram, seed=seed, keep=keep)
        index = Index(index_path, config) if index_path else None
    except (ValueError, IndexError_) as err:
        raise click.UsageError(str(err)) from None
    if engine == "ray":
        if index_path or report:
            raise click.UsageError("--engine ray writes its pairs to OUT/duplicates/; --index and --report are local only")
        _warn_passages_local(level)
        return _run_on_ray(paths, output, None, replace(config, level="document"), glob, fmt, text_field, id_field,
                           address, quiet, time_field)
    deduper = Deduper(config, index)
    errors = 0
    reread = "-" not in paths
    kept_docs = []

    def docs():
        nonlocal errors
        for item in read_documents(list(paths), glob, fmt, text_field, id_field, time_field):
            if isinstance(item, InputError):
                errors += 1
                _err(str(item))
                continue
            if not reread:
                kept_docs.append(item)
            yield item

    batch = []
    bar = _progress(paths, glob, quiet, "hashing")
    with _maybe(bar):
        for _, doc, _ in docs():
            batch.append((doc, doc.meta.get("time", 0.0)))
            if bar is not None:
                bar.update(len(doc.text.encode("utf-8")))
            if len(batch) >= 256:
                deduper.add_many(batch)
                batch = []
        deduper.add_many(batch)
    pairs = deduper.pairs()
    if report:
        with atomic_writer(report, compress=False) as stream:
            for pair in pairs:
                stream.write(json.dumps(pair.as_dict(), ensure_ascii=False).encode("utf-8") + b"\n")
    elif sys.stdout.isatty():
        _print_pairs(pairs)
    else:
        for pair in pairs:
            click.echo(json.dumps(pair.as_dict(), ensure_ascii=False))
    dropped = set(deduper.dropped())
    if output:
        source_docs = (d for d in read_documents(list(paths), glob, fmt, text_field, id_field)
                       if not isinstance(d, InputError)) if reread else kept_docs
        written, skipped = write_kept(source_docs, dropped, Output.for_path(output))
        if not quiet:
            _err(f"wrote {written} document(s) to {output}, dropped {skipped} duplicate(s)")
    if index is not None:
        added = deduper.save()
        index.close()
        if not quiet:
            _err(f"index {index_path}: {added} document(s) added")
    if errors:
        _err(f"{errors} input(s) failed")
        sys.exit(EXIT_FOUND)


def _print_pairs(pairs) -> None:
    if not pairs:
        click.echo("no near-duplicates found")
    for p in pairs:
        a, b = p.a, p.b
        click.echo(f"{p.level:<9} {p.similarity:5.2f}  {a.doc}:{a.lines[0]}-{a.lines[1]}  ~  {b.doc}:{b.lines[0]}-{b.lines[1]}"
                   f"  [{p.cluster}]")
        text = " ".join(p.text.split())
        click.echo(f"          {text[:150]}{'…' if len(text) > 150 else ''}")


@main.command("run")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, help="The output folder: cleaned corpus, duplicates.jsonl, summary.json, report.html.")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "jsonl"]), default="auto", show_default=True)
@click.option("--glob", default="*.txt", show_default=True, help="Which files to take from folders.")
@click.option("--text-field", default="text", show_default=True)
@click.option("--id-field", default="id", show_default=True)
@_cleaning_options
@click.option("--level", type=click.Choice(["document", "passage", "both"]), default="both", show_default=True)
@click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=DedupConfig.threshold, show_default=True)
@click.option("--keep", type=click.Choice(["first", "longest", "newest"]), default="first", show_default=True)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no closing line.")
@_engine_options
def run_command(paths, output, fmt, glob, text_field, id_field, rules, no_default_rules, classifier,
                classifier_threshold, classifier_model, corpus_lines, level, threshold, keep, jobs,
                quiet, engine, address):
    """Clean PATHS, deduplicate them, and write everything to OUT.

    OUT receives the cleaned corpus (same layout and formats as the input, less
    the dropped duplicate copies), duplicates.jsonl, summary.json and report.html.
    """
    cleaner = _build_cleaner(rules, no_default_rules, classifier, corpus_lines, classifier_threshold, classifier_model)
    try:
        dedup_config = DedupConfig(level=level, threshold=threshold, keep=keep)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    if engine == "ray":
        _warn_passages_local(level)
        return _run_on_ray(paths, output, cleaner, replace(dedup_config, level="document"), glob, fmt, text_field,
                           id_field, address, quiet)
    bar = _progress(paths, glob, quiet)

    def advance(source, result):
        if bar is not None:
            bar.update(len(result.document.text.encode("utf-8")))

    with _stops_on_errors(), _maybe(bar):
        result = run_corpus(list(paths), output, cleaner, dedup_config, glob, fmt, text_field, id_field,
                            on_error=lambda e: _err(str(e)), on_warning=lambda m: _err(f"warning: {m}"),
                            on_document=advance, jobs=jobs)
    _close_run(result.summary, result.pairs, len(result.dropped), f"report: {result.outputs['report.html']}", quiet)


def _warn_passages_local(level: str) -> None:
    if level != "document":
        _err("warning: --engine ray finds near-duplicate documents; reused passages are found by --engine local only")


def _total_bytes(paths, glob) -> int:
    """Bytes in the input files (standard input counts nothing): the progress bar's length."""
    return sum(os.path.getsize(s.path) for s in find_sources(list(paths), glob) if isinstance(s, Source) and not s.is_stdin)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--fix", is_flag=True, help="Rewrite files with boilerplate in place (atomically) and print `Fixing PATH`.")
@click.option("--clean/--no-clean", "do_clean", default=True, show_default=True, help="Check for boilerplate.")
@click.option("--dedup/--no-dedup", "do_dedup", default=True, show_default=True, help="Check for near-duplicates.")
@click.option("--against", multiple=True, type=click.Path(exists=True),
              help="Files or folders to compare with, not reported on (e.g. `.` for the whole repository); repeatable.")
@click.option("--index", "index_path", type=click.Path(dir_okay=False, exists=True),
              help="A SQLite index made by `cleaner dedup --index`, to compare with (read only).")
@click.option("--level", type=click.Choice(["document", "passage", "both"]), default="document", show_default=True,
              help="Near-duplicate documents, reused passages, or both.")
@click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=DedupConfig.threshold, show_default=True)
@click.option("--format", "out_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: `path:line: kind [rule] message` lines; json: one JSON object.")
@click.option("--input-format", "fmt", type=click.Choice(["auto", "text", "jsonl"]), default="auto", show_default=True)
@click.option("--glob", default="*.txt", show_default=True, help="Which files to take from folders.")
@click.option("--text-field", default="text", show_default=True)
@click.option("--id-field", default="id", show_default=True)
@_cleaning_options
def check(paths, fix, do_clean, do_dedup, against, index_path, level, threshold, out_format, fmt, glob, text_field,
          id_field, rules, no_default_rules, classifier, classifier_threshold, classifier_model, corpus_lines, jobs):
    """Report what `clean` would remove from PATHS and which of them near-duplicate
    each other (or the --against files, or an --index), without changing anything.

    Exit status: 0 when nothing was found, 1 when something was found (or fixed),
    2 on a usage or input error. Made for pre-commit: see .pre-commit-hooks.yaml.
    """
    cleaner = _build_cleaner(rules, no_default_rules, classifier, corpus_lines, classifier_threshold, classifier_model) if do_clean or fix else None
    index = None
    try:
        config = DedupConfig(level=level, threshold=threshold) if do_dedup else None
        if config is not None and index_path:
            index = Index(index_path, config)
    except (ValueError, IndexError_) as err:
        raise click.UsageError(str(err)) from None
    json_out = out_format == "json"
    try:
        with _stops_on_errors(output_status=EXIT_USAGE):
            result = check_corpus(list(paths), cleaner, config, fix=fix, against=list(against), index=index, glob=glob,
                                  fmt=fmt, text_field=text_field, id_field=id_field, jobs=jobs,
                                  on_error=None if json_out else lambda e: _err(str(e)))
    finally:
        if index is not None:
            index.close()
    # Fixed boilerplate is reported as fixed; what is left (near-duplicates) as found.
    findings = [f for f in result.findings if not fix or f.kind == "near-duplicate"]
    if json_out:
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            click.echo(str(finding))
        for path in result.fixed:
            click.echo(f"Fixing {path}")
        if result.fixed:
            click.echo(f"Fixed {len(result.findings) - len(findings)} problem(s) in {len(result.fixed)} file(s).")
        if findings:
            click.echo(f"Found {len(findings)} problem(s) in {len({f.path for f in findings})} file(s).")
        elif not result.fixed and not result.errors:
            click.echo(f"All clean: {result.documents} document(s) checked.")
    if result.errors:
        if not json_out:
            _err(f"{len(result.errors)} input(s) could not be checked")
        sys.exit(EXIT_USAGE)
    if findings or result.fixed:
        sys.exit(EXIT_FOUND)


@main.command("config")
@click.pass_context
def config_command(ctx):
    """Print the effective configuration: the config file found, and each command's options."""
    path = ctx.parent.meta.get("settings_path")
    click.echo(f"# config file: {path or 'none (cleaner.toml or [tool.cleaner] in pyproject.toml, from here upward)'}")
    defaults = ctx.parent.default_map or {}
    for name, command in sorted(main.commands.items()):
        options = [p for p in command.params if isinstance(p, click.Option) and p.name not in ("help",)]
        if not options:
            continue
        click.echo(f"[{name}]")
        for p in options:
            value = defaults.get(name, {}).get(p.name, p.default)
            if not isinstance(value, (str, int, float, bool, tuple, list)):
                continue
            long = next((o[2:] for o in p.opts if o.startswith("--")), p.name)
            click.echo(f"{long} = {json.dumps(list(value) if isinstance(value, tuple) else value)}")


@main.group()
def rules() -> None:
    """Inspect rule files."""


@rules.command("list")
@click.option("--rules", "extra", multiple=True, type=click.Path(dir_okay=False), help="A rule file to add.")
@click.option("--no-default-rules", is_flag=True)
def rules_list(extra, no_default_rules):
    """List every rule: id, kind and the file it comes from."""
    for rule in _build_cleaner(extra, no_default_rules).rules.rules:
        click.echo(f"{rule.id}\t{rule.kind}\t{rule.source}")


@rules.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def rules_check(files):
    """Validate rule files and run their examples."""
    try:
        ruleset = load_rules(default_rules=False, rule_files=files)
    except RuleError as err:
        raise click.UsageError(str(err)) from None
    problems = check_examples(ruleset.rules)
    for p in problems:
        _err(p)
    if problems:
        sys.exit(EXIT_FOUND)
    click.echo(f"{len(ruleset.rules)} rule(s) OK")
