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

A pattern that backtracks catastrophically cannot hang the tool. When a user
rule file loads, each pattern runs on probe lines built from its own examples
(each example repeated to 2,000 characters, each of its characters repeated,
each followed by a character that breaks the match) within
:data:`PROBE_SECONDS`; a slower pattern is refused, naming the rule. While
cleaning, the rule pass over one document has a time budget
(``Config.rule_seconds``, plus as much again per MB); a pattern that overruns it
stops the run with a :class:`RuleError` naming the rule and the line.
"""

from __future__ import annotations

import re
import signal
import threading
import time
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

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
_WORD_RE = re.compile(r"\w+")
PROBE_SECONDS = 0.5  # all probe lines of one rule, at load
PROBE_CHARS = 2000


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
    compiled: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        flags = 0 if self.case_sensitive else re.IGNORECASE
        object.__setattr__(self, "compiled", re.compile(self.regex, flags))

    def matches(self, line: str) -> bool:
        """Whether this rule alone removes ``line``."""
        text = line.strip()
        if not text or (self.max_words is not None and len(_WORD_RE.findall(text)) > self.max_words):
            return False
        if self.match == "line":
            return self.compiled.fullmatch(text) is not None
        return self.compiled.search(text) is not None


def phrases_regex(phrases: list[str]) -> str:
    """Whole-line alternation of phrases, white-space tolerant, punctuation around allowed."""
    alts = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in sorted(phrases, key=len, reverse=True))
    return rf"[\W_]*(?:{alts})[\W_]*"


def default_rules_dir() -> Path:
    """The packaged rule folder (inside the wheel), or the checkout's ``rules/``."""
    packaged = resources.files("cleaner") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "rules"


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
    except re.error as err:
        raise fail(f"bad regex: {err}") from None
    if pattern is not None and re.search(r"(?<!\\)\(\?[aiLmsux]+\)", pattern):
        raise fail("inline global flags like (?i) are not allowed; use case_sensitive or a scoped group (?i:...)")
    return rule


class Timeout(Exception):
    """A time budget ran out."""


@contextmanager
def time_budget(seconds: float):
    """Raise :class:`Timeout` inside the block once ``seconds`` have passed.

    Uses SIGALRM, which interrupts a running regex; where that is not available
    (not Unix, not the main thread, or a timer already running) there is no limit.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return

    def expire(signum, frame):
        raise Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def probe_lines(rule: Rule) -> list[str]:
    """Lines that make a backtracking pattern show itself: examples and their
    characters repeated to :data:`PROBE_CHARS`, then a character that fails."""
    samples = [s.strip() for s in rule.examples_match + rule.examples_no_match if s.strip()]
    out = []
    for s in samples:
        out.append(((s + " ") * (PROBE_CHARS // (len(s) + 1) + 1))[:PROBE_CHARS] + "\x00")
        out.append(s[: len(s) // 2] * (PROBE_CHARS // max(1, len(s) // 2)) + "\x00")
    for c in sorted(set("".join(samples)) | set("a1 .-")):
        out.append(c * PROBE_CHARS + "\x00")
    return out


def check_backtracking(rule: Rule, seconds: float = PROBE_SECONDS) -> None:
    """Raise :class:`RuleError` if the rule's pattern is too slow on its probe lines."""
    run = _runner(rule)
    started = time.perf_counter()
    try:
        with time_budget(seconds):
            for line in probe_lines(rule):
                run(line)
    except Timeout:
        raise RuleError(
            f"{rule.source}: rule {rule.id!r}: pattern still running after {seconds:g} s on a "
            f"{PROBE_CHARS}-character probe line: it backtracks catastrophically; rewrite it without "
            "nested quantifiers such as (a+)+ or (\\w+\\s?)* and without overlapping alternatives under a repeat"
        ) from None
    if time.perf_counter() - started > seconds:  # no timer available here: judge afterwards
        raise RuleError(f"{rule.source}: rule {rule.id!r}: pattern too slow on probe lines ({seconds:g} s budget)")


def _runner(rule: Rule):
    """The bare pattern as first_match runs it (before any max_words guard)."""
    return rule.compiled.fullmatch if rule.match == "line" else rule.compiled.search


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
    """Rules compiled into as few regex passes as possible.

    Whole-line rules become one alternation of named groups tried with
    ``fullmatch``; search rules one alternation tried with ``search``.
    """

    rules: list[Rule]

    def __post_init__(self) -> None:
        self._line = self._combine([r for r in self.rules if r.match == "line"])
        self._search = self._combine([r for r in self.rules if r.match == "search"])

    @staticmethod
    def _combine(rules: list[Rule]):
        if not rules:
            return None
        flag = {True: "-i", False: "i"}
        parts = [f"(?P<r{i}>(?{flag[r.case_sensitive]}:{r.regex}))" for i, r in enumerate(rules)]
        return re.compile("|".join(parts)), rules

    def slowest(self, line: str, seconds: float) -> Rule | None:
        """The first rule whose pattern cannot finish on ``line`` within ``seconds``, if any."""
        for rule in self.rules:
            try:
                with time_budget(seconds):
                    _runner(rule)(line.strip())
            except Timeout:
                return rule
        return None

    def first_match(self, line: str) -> Rule | None:
        text = line.strip()
        if not text:
            return None
        for combined in (self._line, self._search):
            if combined is None:
                continue
            regex, rules = combined
            m = regex.fullmatch(text) if combined is self._line else regex.search(text)
            if m is None:
                continue
            rule = rules[int(m.lastgroup[1:])]
            if rule.matches(text):
                return rule
            # The first alternative that matched is held back by its guard:
            # fall back to trying the others one by one.
            for other in rules:
                if other is not rule and other.matches(text):
                    return other
        return None


def load_rules(default_rules: bool = True, rule_files: tuple[str, ...] | list[str] = ()) -> RuleSet:
    """The packaged rules (unless ``default_rules`` is false) and the user's rule
    files, in order; user patterns are probed for catastrophic backtracking."""
    files = [(p, False) for p in (default_rule_files() if default_rules else [])] + [(Path(f), True) for f in rule_files]
    rules: list[Rule] = []
    ids: dict[str, str] = {}
    for path, user in files:
        for rule in load_rule_file(path):
            if user:
                check_backtracking(rule)
            if rule.id in ids:
                raise RuleError(f"{path}: rule {rule.id!r}: id already used in {ids[rule.id]}")
            ids[rule.id] = str(path)
            rules.append(rule)
    return RuleSet(rules)
