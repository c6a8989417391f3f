"""The native core (Rust, ``src/``): batch functions over texts; every call releases the GIL.

Line indexes count from 0 over ``text.split("\\n")``; character offsets are code points, as
Python's string indices. ``jobs`` is the number of threads one call spreads its batch over;
results come back in input order, the same for any ``jobs``.
"""

import numpy as np
import numpy.typing as npt

class PatternError(ValueError):
    """A rule pattern the core cannot use; ``args`` are ``(rule index, message)``."""

class RuleSet:
    """All rules of a set in one automaton: ``(pattern, whole_line, case_sensitive, max_words)``
    per rule, in the order they win."""

    def __init__(self, rules: list[tuple[str, bool, bool, int | None]]) -> None: ...
    def __len__(self) -> int: ...
    def first_match(self, line: str) -> int | None:
        """The index of the first rule that removes ``line`` (stripped), or None."""

def line_pass(
    texts: list[str],
    rules: RuleSet | None,
    repeat_threshold: float | None,
    repeat_min_chars: int,
    repeat_max_words: int,
    jobs: int = 1,
) -> list[tuple[list[tuple[int, int]], list[tuple[int, int, float]]]]:
    """Per text: ``(line, rule)`` of each line a rule removes, and ``(line, first, similarity)`` of
    each other line that repeats an earlier one (none when ``repeat_threshold`` is None)."""

def repeated_lines(
    text: str, skip: list[bool], threshold: float, min_chars: int, max_words: int
) -> list[tuple[int, int, float]]:
    """``(line, first, similarity)`` of each repeated line, not looking at lines where ``skip`` holds."""

class Sketcher:
    """Tokens, shingles, passages and MinHash signatures for dedup."""

    def __init__(
        self,
        *,
        documents: bool,
        passages: bool,
        ngram: int,
        passage_ngram: int,
        passage_max_words: int,
        passage_window_words: int,
        passage_min_tokens: int,
        multipliers: list[int],
        a: list[int],
        b: list[int],
    ) -> None: ...
    def sketch(
        self, texts: list[str], jobs: int = 1
    ) -> list[
        tuple[
            npt.NDArray[np.uint64],
            npt.NDArray[np.uint64] | None,
            list[tuple[int, int, int, npt.NDArray[np.uint64]]],
            npt.NDArray[np.uint64],
        ]
    ]:
        """Per text: sorted distinct shingle hashes, signature (None without documents), passages
        ``(start, end, first token, shingle hashes)``, and their ``(passages, num_perm)`` signatures."""

def tokens_with_offsets(text: str) -> tuple[list[str], npt.NDArray[np.int64]]:
    """Normalised tokens and their ``(start, end)`` offsets, shape ``(tokens, 2)``."""

def jaccard_pairs(
    sets: list[npt.NDArray[np.uint64]], left: npt.NDArray[np.int64], right: npt.NDArray[np.int64], jobs: int = 1
) -> npt.NDArray[np.float64]:
    """Exact Jaccard of ``sets[left[k]]`` and ``sets[right[k]]`` (sorted distinct arrays)."""

def passage_hits(
    sets: list[npt.NDArray[np.uint64]],
    doc: npt.NDArray[np.int64],
    part: npt.NDArray[np.int64],
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    min_shared: int,
    threshold: float,
    jobs: int = 1,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Verified passage pairs among candidates ``(left[k], right[k])``: ``(first, second, overlap
    coefficient)``, each pair ordered by its passages' ``(doc, part)`` keys, pairs within one document
    left out, kept when at least ``min_shared`` hashes are shared and the coefficient reaches ``threshold``."""

def line_signals(
    texts: list[str], function_words: npt.NDArray[np.uint64], weights: list[int], jobs: int = 1
) -> dict[str, np.ndarray]:
    """The line classifier's per-line signals (``cleaner.strip.classifier.LineTable``'s fields)."""

def word_hashes(text: str, weights: list[int]) -> npt.NDArray[np.uint64]:
    """The classifier's hash of every ``\\w+`` word of ``text``."""

def corpus_line_keys(texts: list[str], max_words: int, jobs: int = 1) -> list[npt.NDArray[np.uint64]]:
    """The sorted distinct corpus-line keys of each text."""

def corpus_line_keys_by_line(text: str, max_words: int) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint64]]:
    """``(line indexes, keys)`` of the lines of one text that have a corpus-line key."""
