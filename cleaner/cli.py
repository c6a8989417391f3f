"""The command line: a thin shell over the library. The only module that prints or exits."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

import click

from . import __version__
from .clean import Cleaner
from .config import Config
from .corpus import CorpusCleaner, Output
from .io import InputError, atomic_writer
from .rules import RuleError, check_examples, load_rules

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    click.echo(f"cleaner: {message}", err=True)


def _build_cleaner(rules: tuple[str, ...], no_default_rules: bool) -> Cleaner:
    config = replace(Config(), rule_files=tuple(rules), default_rules=not no_default_rules)
    try:
        ruleset = load_rules(config.default_rules, config.rule_files)
    except RuleError as err:
        raise click.UsageError(str(err)) from None
    problems = check_examples(ruleset.rules)
    if problems:
        raise click.UsageError("; ".join(problems[:3]) + (f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""))
    return Cleaner(config, ruleset)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Strip boilerplate from text corpora; every removal explained."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", help="A folder that mirrors the input tree, or a .jsonl(.gz) file. Default: standard output.")
@click.option("--in-place", is_flag=True, help="Rewrite each input file (atomically: temporary file, then rename).")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "jsonl"]), default="auto", show_default=True,
              help="Input format; auto goes by file name (.jsonl, .jsonl.gz) and, on standard input, by the first line.")
@click.option("--glob", default="*.txt", show_default=True, help="Which files to take from folders.")
@click.option("--text-field", default="text", show_default=True, help="JSONL field that holds the text.")
@click.option("--id-field", default="id", show_default=True, help="JSONL field that holds the record id.")
@click.option("--rules", "rules", multiple=True, type=click.Path(dir_okay=False), help="A rule file (TOML) to add; repeatable.")
@click.option("--no-default-rules", is_flag=True, help="Use only the rule files given with --rules.")
@click.option("--explain", is_flag=True, help="One line per removal on standard error: path:line: kind [rule] reason.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write a JSON summary: counts per kind, rule and file; errors.")
def clean(paths, output, in_place, fmt, glob, text_field, id_field, rules, no_default_rules, explain, report):
    """Clean PATHS: text files, folders, .jsonl(.gz) files, or - for standard input.

    Exit status: 0 when every input was cleaned, 1 when some input failed
    (the others are still cleaned and written), 2 on a usage error.
    """
    if in_place and output:
        raise click.UsageError("--in-place and -o/--output do not go together")
    cleaner = _build_cleaner(rules, no_default_rules)

    def on_result(doc, result):
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
    )
    try:
        summary = job.run(list(paths), glob=glob, fmt=fmt)
    except InputError as err:
        raise click.UsageError(str(err)) from None
    except OSError as err:
        _err(f"cannot write output: {err}")
        sys.exit(EXIT_FOUND)
    if report:
        with atomic_writer(report, compress=False) as stream:
            stream.write(json.dumps(summary.as_dict(), indent=2, ensure_ascii=False).encode("utf-8"))
    if summary.errors:
        _err(f"{len(summary.errors)} input(s) failed, {summary.documents} document(s) cleaned")
        sys.exit(EXIT_FOUND)


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
