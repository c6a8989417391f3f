"""Line classifier: content or boilerplate, from the text alone.

Every line of a batch of documents gets a vector of text-only signals (length,
function-word density, capitals, digits, symbols, separators, terminal
punctuation, indentation, bullets, position in the page, repetition in the
page, whether it is or follows a comments or related-links heading, and the
same signals for its neighbours). A logistic model turns them
into a score; a second logistic model smooths the scores over the sequence of
lines (main content is mostly one run of long lines). The weights are fitted by
``scripts/train_classifier.py`` on the WCXB dev pages and shipped as readable
data in ``rules/model/classifier.toml``.

The per-line counts and hashes come from the native core, one pass over the
characters of a batch; the features built from them (page, block and window
statistics) and the two stages are numpy array passes over the batch.

>>> page = ["Home", "News", "Sport", "Weather", "Contact us", ""]
>>> page += ["The council said on Monday that it would rebuild the old bridge, which was closed in May.", ""]
>>> page += ["Work is to start in the spring, and the road should open again before the end of next year.", ""]
>>> page += ["Share on Facebook", "Share on X", "Privacy policy", "Terms of use"]
>>> scores = load_model().scores(["\\n".join(page)])[0]  # blank lines score NaN
>>> content = [s for line, s in zip(page, scores) if line.startswith(("The council", "Work is"))]
>>> others = [s for line, s in zip(page, scores) if line and not line.startswith(("The council", "Work is"))]
>>> bool(min(content) > max(others))
True
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import _core
from ..document import Document, Removal
from ..rules import default_rules_dir

_MAX_POS = 24  # characters of a word that take part in its hash
HEADING_MAX_WORDS = 8  # longer lines are not section headings (rules/lexicon/section-headings.toml); as src/signals.rs


@lru_cache(maxsize=1)
def _weights() -> list[int]:
    """The random weight of each position in a word, for word hashes (fixed by the seed)."""
    weights = np.random.default_rng(20261121).integers(1, 2**63, size=_MAX_POS + 1, dtype=np.uint64) | np.uint64(1)
    return [int(w) for w in weights]


@dataclass
class LineTable:
    """Per-line signals of a batch of texts, one row per line (all arrays of equal length)."""

    doc: np.ndarray  # which text of the batch
    chars: np.ndarray  # non-space characters
    words: np.ndarray
    stop: np.ndarray  # function words
    caps: np.ndarray  # words starting with a capital
    alpha: np.ndarray
    digits: np.ndarray
    cjk: np.ndarray
    seps: np.ndarray  # separator characters
    indent: np.ndarray  # leading white space
    terminal: np.ndarray  # ends with sentence or quote punctuation
    bullet: np.ndarray  # starts with a bullet or "1."
    lower_start: np.ndarray  # starts with a lower-case letter
    line_hash: np.ndarray  # hash of the line's lower-cased words
    heading_hash: np.ndarray  # the same without words starting with a digit, on short lines (else 0)


@lru_cache(maxsize=1)
def function_word_hashes() -> np.ndarray:
    data = tomllib.loads((default_rules_dir() / "lexicon" / "function-words.toml").read_text(encoding="utf-8"))
    words = sorted({w for lang, ws in data.items() for w in ws})
    return np.unique(_core.word_hashes(" ".join(words), _weights()))


@lru_cache(maxsize=1)
def section_heading_hashes() -> np.ndarray:
    """``heading_hash`` of every phrase in ``rules/lexicon/section-headings.toml``."""
    data = tomllib.loads((default_rules_dir() / "lexicon" / "section-headings.toml").read_text(encoding="utf-8"))
    phrases = sorted({p for lang, ps in data.items() for p in ps})
    hashes = line_table(phrases).heading_hash
    return np.unique(hashes[hashes != 0])


def line_table(texts: list[str]) -> LineTable:
    """Signals for every line of every text (texts split on ``\\n``, as :class:`Document` does),
    worked out by the core in one pass over the characters (``src/signals.rs``).

    A line's words are its runs of ``\\w``; a word's hash is the sum of its lower-cased code
    points times a random weight per position; ``line_hash`` sums the words' mixed hashes plus
    their count, and ``heading_hash`` the same over the words that do not start with a digit, on
    lines of at most :data:`HEADING_MAX_WORDS` words ("12 Comments" hashes as "comments").
    """
    return LineTable(**_core.line_signals(texts, function_word_hashes(), _weights()))


WRAP_MIN_CHARS = 30


def merge_wrapped(table: LineTable) -> tuple[LineTable, np.ndarray]:
    """Join hard-wrapped lines into the paragraph lines they were cut from.

    Line ``i`` continues on line ``i + 1`` when it holds at least
    ``WRAP_MIN_CHARS`` non-space characters, does not end with sentence
    punctuation, and the next line of the same text starts with a lower-case
    letter. Returns the table of joined lines and, for each original line, the
    row of its joined line: every line of a paragraph gets the paragraph's score.
    """
    n = len(table.doc)
    same_doc = np.concatenate((table.doc[1:] == table.doc[:-1], [False]))
    nxt_lower = np.concatenate((table.lower_start[1:], [False]))
    joins = same_doc & nxt_lower & (table.chars >= WRAP_MIN_CHARS) & ~table.terminal
    group = np.concatenate(([0], np.cumsum(~joins[:-1]))) if n else np.zeros(0, dtype=np.int64)
    if not joins.any():
        return table, group
    starts = np.flatnonzero(np.concatenate(([True], ~joins[:-1])))
    ends = np.concatenate((starts[1:], [n])) - 1

    def total(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, starts)

    return LineTable(
        doc=table.doc[starts], chars=total(table.chars), words=total(table.words), stop=total(table.stop),
        caps=total(table.caps), alpha=total(table.alpha), digits=total(table.digits), cjk=total(table.cjk),
        seps=total(table.seps), indent=table.indent[starts], terminal=table.terminal[ends],
        bullet=table.bullet[starts], lower_start=table.lower_start[starts], line_hash=total(table.line_hash),
        heading_hash=total(table.heading_hash),
    ), group  # fmt: skip


class _Pages:
    """Rows grouped by document: each row's first and last row, and per-document reductions."""

    def __init__(self, doc: np.ndarray):
        n = len(doc)
        self.starts = np.concatenate(([0], np.flatnonzero(np.diff(doc)) + 1))
        self.sizes = np.diff(np.concatenate((self.starts, [n])))
        self.lo = np.repeat(self.starts, self.sizes)
        self.hi = self.lo + np.repeat(self.sizes, self.sizes) - 1

    def reduce(self, ufunc, values: np.ndarray) -> np.ndarray:
        """``ufunc.reduceat`` of ``values`` over each row's document, broadcast back to the rows."""
        if ufunc is np.add:
            per_doc = np.add.reduceat(_fixed(values), self.starts) / _FIXED
        else:
            per_doc = ufunc.reduceat(values, self.starts)
        return np.repeat(per_doc, self.sizes)


_FIXED = float(2**24)


def _fixed(values: np.ndarray) -> np.ndarray:
    """Values as exact integers (24 fractional bits), so that sums over a document do not
    depend on which other documents share its batch: same output on one core or many."""
    return np.rint(np.asarray(values, dtype=np.float64) * _FIXED).astype(np.int64)


def _window_mean(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, before: int, after: int) -> np.ndarray:
    """Mean of ``values[i - before .. i + after]`` clipped to each row's document ``lo..hi``."""
    i = np.arange(len(values))
    a, b = np.maximum(i - before, lo), np.minimum(i + after, hi)
    cs = np.concatenate(([0], np.cumsum(_fixed(values))))
    return (cs[b + 1] - cs[a]) / _FIXED / (b - a + 1)


def _shift(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, by: int, fill: float = 0.0) -> np.ndarray:
    """``values[i + by]`` within each row's document, ``fill`` past its edges."""
    i = np.arange(len(values)) + by
    out = values[np.clip(i, 0, len(values) - 1)].astype(np.float64)
    out[(i < lo) | (i > hi)] = fill
    return out


LINE_FEATURES = (
    "log_words", "log_chars", "function_words", "capitalised", "digits", "letters", "cjk", "symbols",
    "separators", "terminal", "bullet", "indent_deeper", "indent_shallower", "repeated_in_page",
    "blank_before", "blank_after", "position", "position_sq", "first_tenth", "last_tenth",
    "words_below_page_max", "page_log_lines", "page_long_share",
    "indent_same", "indent_mass", "block_log_lines", "block_mean_words", "words_before", "words_before_sq",
    "section_heading", "after_section_heading",
)  # fmt: skip
CONTEXT = (("prev", -1), ("next", 1), ("prev2", -2), ("next2", 2))
CONTEXT_FEATURES = ("log_words", "function_words", "terminal", "bullet", "separators")
WINDOWS = ((3, 3), (10, 10), (10, 0), (0, 10))


def feature_names() -> list[str]:
    names = list(LINE_FEATURES)
    names += [f"{side}_{name}" for side, _ in CONTEXT for name in CONTEXT_FEATURES]
    names += [f"mean{b}_{a}_{name}" for b, a in WINDOWS for name in ("log_words", "function_words", "terminal")]
    return names


def _groups(doc: np.ndarray, key: np.ndarray) -> np.ndarray:
    """For each row, a group number shared by the rows with the same ``(doc, key)``."""
    order = np.lexsort((key, doc))
    d, k = doc[order], key[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (d[1:] != d[:-1]) | (k[1:] != k[:-1])
    group = np.empty(len(order), dtype=np.int64)
    group[order] = np.cumsum(new) - 1
    return group


def features(table: LineTable) -> tuple[np.ndarray, np.ndarray]:
    """The feature matrix of the non-blank lines of a batch, and which lines they are."""
    rows = np.flatnonzero(table.chars > 0)
    n = len(rows)
    if not n:
        return np.zeros((0, len(feature_names()))), rows
    doc = table.doc[rows]
    words = table.words[rows].astype(np.float64)
    chars = table.chars[rows].astype(np.float64)
    per_word = np.maximum(words, 1.0)
    lw = np.log1p(words)
    stop = table.stop[rows] / per_word
    terminal = table.terminal[rows].astype(np.float64)
    bullet = table.bullet[rows].astype(np.float64)
    seps = np.log1p(table.seps[rows])
    letters = table.alpha[rows] / chars
    digits = table.digits[rows] / chars
    pages = _Pages(doc)
    lo, hi = pages.lo, pages.hi
    size = hi - lo + 1
    position = (np.arange(n) - lo) / np.maximum(size - 1, 1)
    indent = table.indent[rows]
    # The page's main indentation: that of its line with the most words.
    key = words * 1e6 - np.arange(n)  # most words, first such line
    main = np.repeat(indent[key == pages.reduce(np.maximum, key)], pages.sizes)
    # Lines repeated in their page (menus printed twice, "Read more" on every teaser).
    same_line = _groups(doc, table.line_hash[rows])
    repeated = np.log(np.minimum(np.bincount(same_line)[same_line], 16)) * (words > 0)
    raw_prev = np.concatenate(([0], table.chars[:-1]))[rows]
    raw_next = np.concatenate((table.chars[1:], [0]))[rows]
    same_doc_prev = np.concatenate(([-1], table.doc[:-1]))[rows] == doc
    same_doc_next = np.concatenate((table.doc[1:], [-1]))[rows] == doc
    long_line = (words >= 10).astype(np.float64)
    cols = [
        lw, np.log1p(chars), stop, table.caps[rows] / per_word, digits, letters, table.cjk[rows] / chars,
        np.clip(1.0 - letters - digits, 0.0, 1.0), seps, terminal, bullet,
        (indent > main).astype(np.float64), (indent < main).astype(np.float64), repeated,
        ((raw_prev == 0) & same_doc_prev).astype(np.float64), ((raw_next == 0) & same_doc_next).astype(np.float64),
        position, position**2, (position < 0.1).astype(np.float64), (position > 0.9).astype(np.float64),
        pages.reduce(np.maximum, lw) - lw, np.log1p(size), pages.reduce(np.add, long_line) / size,
    ]  # fmt: skip
    # Main content sits at one indentation: the share of the page's words at this line's.
    indent_of = _groups(doc, indent)
    page_words = np.maximum(pages.reduce(np.add, words), 1.0)
    indent_mass = np.bincount(indent_of, weights=words)[indent_of] / page_words
    # Blocks: runs of lines with no blank line between them (menus are long runs of short lines).
    block_start = ~(same_doc_prev & (raw_prev > 0))
    block = np.cumsum(block_start) - 1
    block_lines = np.bincount(block)[block]
    block_words = np.bincount(block, weights=words)[block] / block_lines
    words_so_far = np.cumsum(words) - words
    words_before = (words_so_far - pages.reduce(np.minimum, words_so_far)) / page_words
    # A comments or related-links heading, and the lines after one in the page.
    known = section_heading_hashes()  # sorted
    found = np.minimum(np.searchsorted(known, table.heading_hash[rows]), len(known) - 1)
    heading = (known[found] == table.heading_hash[rows]).astype(np.int64)
    headings_before = np.cumsum(heading) - heading
    after_heading = headings_before > pages.reduce(np.minimum, headings_before)
    cols += [
        (indent == main).astype(np.float64), indent_mass, np.log(block_lines), np.log1p(block_words),
        words_before, words_before**2, heading.astype(np.float64), after_heading.astype(np.float64),
    ]  # fmt: skip
    context = {"log_words": lw, "function_words": stop, "terminal": terminal, "bullet": bullet, "separators": seps}
    for _, by in CONTEXT:
        cols += [_shift(context[name], lo, hi, by) for name in CONTEXT_FEATURES]
    for before, after in WINDOWS:
        cols += [_window_mean(context[name], lo, hi, before, after) for name in ("log_words", "function_words", "terminal")]
    return np.column_stack(cols), rows


def smoothing_features(z: np.ndarray, lw: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Second stage: a line's first-stage score among its neighbours' scores."""
    pages = _Pages(doc)
    cols = [z, lw]
    for before, after in SMOOTHING_WINDOWS:
        cols.append(_window_mean(z, pages.lo, pages.hi, before, after))
    cols.append(pages.reduce(np.add, z) / (pages.hi - pages.lo + 1))
    return np.column_stack(cols)


SMOOTHING_WINDOWS = ((1, 1), (2, 2), (4, 4), (8, 8), (16, 16), (8, 0), (0, 8), (32, 32))


def smoothing_names() -> list[str]:
    return ["score", "log_words"] + [f"mean{b}_{a}_score" for b, a in SMOOTHING_WINDOWS] + ["page_mean_score"]


CLIP = 4.0
RULE = "line-classifier"


@dataclass(frozen=True)
class _Stage:
    bias: float
    weights: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def from_table(cls, data: dict, names: list[str], where: str) -> _Stage:
        features = data["features"]
        if sorted(features) != sorted(names):
            missing, extra = sorted(set(names) - set(features)), sorted(set(features) - set(names))
            raise ValueError(f"{where}: features do not match the code (missing {missing}, unknown {extra})")
        w, m, s = (np.array([features[n][k] for n in names], dtype=np.float64) for k in range(3))
        return cls(float(data["bias"]), w, m, s)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        # Column by column: element-wise arithmetic gives each row the same result
        # whatever else is in the batch (a matrix product need not).
        # Standardised values are clipped to CLIP, as in training, so that a page
        # unlike any seen in training cannot push one signal to an extreme.
        z = np.full(len(X), self.bias)
        for j in range(X.shape[1]):
            z += np.clip((X[:, j] - self.mean[j]) / self.scale[j], -CLIP, CLIP) * self.weights[j]
        return z


@dataclass(frozen=True)
class Model:
    """The two logistic stages and the threshold, as read from a weights file."""

    stage1: _Stage
    stage2: _Stage
    threshold: float
    path: str

    def scores(self, texts: list[str]) -> list[np.ndarray]:
        """Content score in [0, 1] for every line of every text; NaN for blank lines."""
        lines = line_table(texts)
        table, group = merge_wrapped(lines)
        X, rows = features(table)
        out = np.full(len(table.doc), np.nan)
        if len(rows):
            z = self.stage1(X)
            out[rows] = 1.0 / (1.0 + np.exp(-self.stage2(smoothing_features(z, X[:, 0], table.doc[rows]))))
        out = out[group]
        return np.split(out, np.cumsum(np.bincount(lines.doc, minlength=len(texts)))[:-1])


def load_model(path: str | None = None) -> Model:
    """Read the classifier's weights (default: the packaged ``rules/model/classifier.toml``)."""
    path = path or str(default_rules_dir() / "model" / "classifier.toml")
    return _load_model(path)


@lru_cache(maxsize=4)
def _load_model(path: str) -> Model:
    with open(path, "rb") as f:
        data = tomllib.load(f)
    return Model(
        _Stage.from_table(data["stage1"], feature_names(), f"{path} [stage1]"),
        _Stage.from_table(data["stage2"], smoothing_names(), f"{path} [stage2]"),
        float(data["threshold"]),
        path,
    )


def strip(doc: Document, keep: list[bool], scores: np.ndarray, threshold: float) -> list[Removal]:
    """Remove runs of kept lines scoring below ``threshold``; the evidence is their scores."""
    removals = []
    low = [k and s < threshold for k, s in zip(keep, scores)]  # NaN (blank) compares False
    i, n = 0, len(low)
    while i < n:
        if not low[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and (low[j + 1] or (keep[j + 1] and not doc.lines[j + 1].strip() and j + 2 < n and low[j + 2])):
            j += 1
        run = [float(s) for s in scores[i : j + 1] if not np.isnan(s)]
        removals.append(
            Removal(
                i + 1,
                j + 1,
                "low-content",
                RULE,
                f"content score below {threshold:g}",
                f"score {max(run):.2f}" if len(run) == 1 else f"scores {min(run):.2f}-{max(run):.2f}",
            )
        )
        i = j + 1
    return removals
