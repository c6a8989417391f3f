"""Load, validate and compile rule files.

A rule file is TOML with one ``[[rule]]`` table per rule::

    [[rule]]
    id = "share-this"
    kind = "share-prompt"
    pattern = 'share\\s+this\\s+(?:post|article|story)'   # or: phrases = ["...", ...]
    max_words = 8                                          # optional guard
    examples.match = ["Share This Post"]
    examples.no_match = ["They share this view with the minister."]

Patterns match the whole line (stripped of surrounding white space) unless
``match = "search"``; matching ignores case unless ``case_sensitive = true``.
Rule files are data: nothing in them is ever executed.

Patterns are compiled by the native core with the Rust ``regex`` syntax, and all
rules of a set run as one automaton in time linear in the line's length: no
pattern can backtrack catastrophically, so none needs a time budget. Constructs of
Python's ``re`` that need backtracking (look-around, back-references, atomic
groups, possessive quantifiers) are refused when the file loads, naming the file,
the rule and the construct, with what to write instead. The first matching rule
in file order wins.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from . import _core

KINDS = frozenset(
    {
        "navigation",
        "share-prompt",
        "newsletter-promo",
        "channel-promo",
        "related-links",
        "separator",
        "copyright",
        "syndication-credit",
        "photo-caption",
        "server-error-artifact",
        "advertisement",
        "cookie-notice",
        "byline",
        "comments",
        "legal",
    }
)
_KEYS = {"id", "kind", "pattern", "phrases", "match", "case_sensitive", "max_words", "reason", "examples"}


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    regex: str
    source: str
    match: str = "line"
    case_sensitive: bool = False
    max_words: int | None = None
    reason: str = ""
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    compiled: _core.RuleSet = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Compile alone, so a pattern the core refuses is named with its rule
        (:class:`cleaner._core.PatternError`)."""
        object.__setattr__(self, "compiled", _core.RuleSet([self.spec]))

    @property
    def spec(self) -> tuple[str, bool, bool, int | None]:
        return self.regex, self.match == "line", self.case_sensitive, self.max_words

    def matches(self, line: str) -> bool:
        """Whether this rule alone removes ``line``."""
        return self.compiled.first_match(line) is not None

    def __reduce__(self):
        """Pickled (to worker processes, Ray tasks) without the compiled automaton, which is made again."""
        return Rule, tuple(getattr(self, f.name) for f in fields(self) if f.init)


def phrases_regex(phrases: list[str]) -> str:
    """Whole-line alternation of phrases, white-space tolerant, punctuation around allowed."""
    alts = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in sorted(phrases, key=len, reverse=True))
    return rf"[\W_]*(?:{alts})[\W_]*"


def default_rules_dir() -> Path:
    """The packaged rule folder, ``cleaner/rules`` (``rules/`` at the top of a checkout links to it)."""
    return Path(__file__).resolve().parent / "rules"


def default_rule_files() -> list[Path]:
    return sorted(default_rules_dir().glob("*.toml"))


def load_rule_file(path: str | Path) -> list[Rule]:
    """Read and validate one rule file; raise :class:`RuleError` naming file and rule."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleError(f"{path}: rule file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise RuleError(f"{path}: cannot read rule file: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise RuleError(f"{path}: not valid TOML: {err}") from None
    tables = data.get("rule")
    if not isinstance(tables, list) or not tables:
        raise RuleError(f"{path}: no [[rule]] tables found; see the rule file format in the README")
    rules, seen = [], set()
    for n, table in enumerate(tables, 1):
        rule = _parse_rule(path, n, table)
        if rule.id in seen:
            raise RuleError(f"{path}: rule {rule.id!r}: duplicate id")
        seen.add(rule.id)
        rules.append(rule)
    return rules


def _parse_rule(path: Path, n: int, table: dict) -> Rule:
    rid = table.get("id")
    where = f"{path}: rule {rid!r}" if isinstance(rid, str) and rid else f"{path}: rule #{n}"

    def fail(msg: str) -> RuleError:
        return RuleError(f"{where}: {msg}")

    if not isinstance(rid, str) or not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", rid):
        raise fail("needs an 'id' of lowercase letters, digits, '.', '_' or '-'")
    unknown = set(table) - _KEYS
    if unknown:
        raise fail(f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(_KEYS))}")
    kind = table.get("kind")
    if not isinstance(kind, str) or not re.fullmatch(r"[a-z][a-z-]*", kind):
        raise fail(f"needs a 'kind' such as {', '.join(sorted(KINDS)[:4])}, ...")
    pattern, phrases = table.get("pattern"), table.get("phrases")
    if (pattern is None) == (phrases is None):
        raise fail("needs exactly one of 'pattern' (a regex) or 'phrases' (a list of strings)")
    if phrases is not None:
        if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise fail("'phrases' must be a non-empty list of non-empty strings")
        regex = phrases_regex(phrases)
    else:
        if not isinstance(pattern, str) or not pattern:
            raise fail("'pattern' must be a non-empty string")
        regex = pattern
    match = table.get("match", "line")
    if match not in ("line", "search"):
        raise fail("'match' must be \"line\" (whole line, the default) or \"search\"")
    max_words = table.get("max_words")
    if max_words is not None and (not isinstance(max_words, int) or max_words < 1):
        raise fail("'max_words' must be a positive integer")
    examples = table.get("examples", {})
    if not isinstance(examples, dict) or set(examples) - {"match", "no_match"}:
        raise fail("'examples' takes 'match' and 'no_match' lists")
    ex_match, ex_no = examples.get("match", []), examples.get("no_match", [])
    if not ex_match:
        raise fail("needs at least one example in 'examples.match'")
    try:
        rule = Rule(
            id=rid,
            kind=kind,
            regex=regex,
            source=str(path),
            match=match,
            case_sensitive=bool(table.get("case_sensitive", False)),
            max_words=max_words,
            reason=str(table.get("reason", "")) or f"matches {kind} rule {rid}",
            examples_match=tuple(ex_match),
            examples_no_match=tuple(ex_no),
        )
    except _core.PatternError as err:
        raise fail(f"{err.args[1]}") from None
    if pattern is not None and re.search(r"(?<!\\)\(\?[aiLmsux]+\)", pattern):
        raise fail("inline global flags like (?i) are not allowed; use case_sensitive or a scoped group (?i:...)")
    return rule


def check_examples(rules: list[Rule]) -> list[str]:
    """Every example that does not behave as its rule says, as messages."""
    problems = []
    for rule in rules:
        for ex in rule.examples_match:
            if not rule.matches(ex):
                problems.append(f"{rule.source}: rule {rule.id!r}: example should match but does not: {ex!r}")
        for ex in rule.examples_no_match:
            if rule.matches(ex):
                problems.append(f"{rule.source}: rule {rule.id!r}: example should not match but does: {ex!r}")
    return problems


@dataclass
class RuleSet:
    """Rules compiled by the core into one automaton; the first matching rule in order wins."""

    rules: list[Rule]

    def __post_init__(self) -> None:
        self.compiled = _core.RuleSet([r.spec for r in self.rules])

    def __reduce__(self):
        return RuleSet, (self.rules,)

    def first_match(self, line: str) -> Rule | None:
        i = self.compiled.first_match(line)
        return None if i is None else self.rules[i]


def load_rules(default_rules: bool = True, rule_files: tuple[str, ...] | list[str] = ()) -> RuleSet:
    """The packaged rules (unless ``default_rules`` is false) and the user's rule files, in order."""
    files = [*(default_rule_files() if default_rules else []), *map(Path, rule_files)]
    rules: list[Rule] = []
    ids: dict[str, str] = {}
    for path in files:
        for rule in load_rule_file(path):
            if rule.id in ids:
                raise RuleError(f"{path}: rule {rule.id!r}: id already used in {ids[rule.id]}")
            ids[rule.id] = str(path)
            rules.append(rule)
    return RuleSet(rules)
