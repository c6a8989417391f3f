"""One frozen configuration object with documented defaults.

Override with :func:`dataclasses.replace`, never with globals:

>>> from dataclasses import replace
>>> replace(Config(), repeat_threshold=90.0).repeat_threshold
90.0
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    # Rule lines: the packaged rule files, plus any user files, in order.
    default_rules: bool = True
    rule_files: tuple[str, ...] = ()

    # Text repair: run ftfy only on text that shows a sign of damage.
    repair: bool = True

    # Repeated lines: a line whose rapidfuzz ``ratio`` to an earlier line of the
    # same document is at least this (0-100, after casefolding and collapsing
    # white space) is removed; the first occurrence stays.
    repeat_threshold: float = 95.0
    repeat_min_chars: int = 12
    # Only lines of up to this many words: repeated headlines, labels and menu
    # items. A repeated long paragraph is left to passage dedup.
    repeat_max_words: int = 25

    # Lines repeated across documents (site menus and footers): when a corpus is
    # cleaned together, a line of at most ``corpus_lines_max_words`` words found in
    # at least max(``corpus_lines_min_docs``, ``corpus_lines_ratio`` x documents)
    # documents is removed, with its count as evidence; corpora of fewer than
    # ``corpus_lines_min_corpus`` documents are left alone (cleaner.strip.corpus_lines).
    corpus_lines: bool = True
    corpus_lines_max_words: int = 15
    corpus_lines_min_corpus: int = 100
    corpus_lines_min_docs: int = 3
    corpus_lines_ratio: float = 0.002

    # Off-topic paragraphs: a paragraph of at least ``offtopic_min_words`` words,
    # with content before and after it, is removed when the TF-IDF cosine of its
    # content words against the rest of the document is below
    # ``offtopic_threshold`` and the rest holds at least ``offtopic_min_context``
    # words.
    offtopic: bool = True
    offtopic_threshold: float = 0.03
    offtopic_min_words: int = 20
    offtopic_min_context: int = 150

    # Line classifier: a line whose content score (weights in
    # ``classifier_model``, default the packaged rules/model/classifier.toml) is below
    # ``classifier_threshold`` is removed, with its score as evidence. By default
    # the threshold is the model file's, chosen by cross-validation when it was fitted.
    classifier: bool = True
    classifier_model: str | None = None
    classifier_threshold: float | None = None
    # It judges a line against its page: texts with fewer non-blank lines than
    # this are left to the rules.
    classifier_min_lines: int = 8

    def __post_init__(self) -> None:
        if not 0.0 <= self.repeat_threshold <= 100.0:
            raise ValueError("repeat_threshold must be in [0, 100]")
        if not 0.0 <= self.offtopic_threshold <= 1.0:
            raise ValueError("offtopic_threshold must be in [0.0, 1.0]")


@dataclass(frozen=True)
class DedupConfig:
    """Near-duplicate search. ``seed`` and ``num_perm`` must be the same on every worker and index."""

    level: str = "both"  # "document", "passage" or "both"
    # Documents: word n-gram shingles; a pair is reported when the exact Jaccard
    # of the shingle sets is at least ``threshold`` (LSH is tuned to it too).
    # Word bigrams at 0.3 keep syndicated copies with 5-15% of tokens edited,
    # a new header and footer and a trimmed paragraph together, while distinct
    # stories on one subject stay apart (benchmarks/dedup_quality.py).
    ngram: int = 2
    threshold: float = 0.3
    num_perm: int = 128
    seed: int = 1
    keep: str = "first"  # "first", "longest" or "newest": see cleaner.dedup.clusters
    # Passages: paragraphs, long ones cut into windows of sentences.
    passage_ngram: int = 3
    passage_threshold: float = 0.3  # exact overlap coefficient |A & B| / min(|A|, |B|)
    passage_lsh_threshold: float = 0.1  # candidate step: LSH on Jaccard, set low
    passage_min_shared: int = 5  # shingles two passages must share
    passage_min_tokens: int = 8
    passage_max_words: int = 80
    passage_window_words: int = 50
    min_block: int = 3  # aligned runs shorter than this many tokens are noise
    max_gap: int = 8  # matched runs further apart than this are separate spans

    def __post_init__(self) -> None:
        if self.level not in ("document", "passage", "both"):
            raise ValueError("level must be one of document, passage, both")
        for name in ("threshold", "passage_threshold", "passage_lsh_threshold"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0.0, 1.0]")
        if self.num_perm < 2:
            raise ValueError("num_perm must be at least 2")
        if not 1 <= self.ngram <= 32 or not 1 <= self.passage_ngram <= 32:
            raise ValueError("ngram must be between 1 and 32")
        if self.keep not in ("first", "longest", "newest"):
            raise ValueError("keep must be one of first, longest, newest")
