"""Run the strippers in order and build the result.

The order, fixed and documented:

1. ``repair``: line endings, trailing white space, ftfy where text looks damaged;
2. ``patterns``: rule lines from ``rules/`` and ``--rules`` files;
3. ``repeats``: lines that repeat an earlier line (repeated headlines);
   then ``corpus_lines``: lines found in many documents of the corpus, when the
   cleaner was given the corpus's line counts (:meth:`Cleaner.with_corpus`);
4. ``classifier``: lines the line classifier scores as boilerplate (scores are
   computed for a batch of documents at once, see :meth:`Cleaner.clean_many`);
5. ``offtopic``: paragraphs whose vocabulary the rest of the document does not share.

A line removed by an earlier stripper is not seen by later ones. Blank lines
left at the start or end of the text, or doubled, by a removal are removed with
it, so the cleaned text reads as a whole.

>>> r = clean("Navigation\\n\\nThe talks resumed on Monday.\\n\\nShare this article")
>>> r.text
'The talks resumed on Monday.'
>>> [(x.start, x.end, x.kind) for x in r.removals]
[(1, 2, 'navigation'), (4, 5, 'share-prompt')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache, partial

import numpy as np

from . import _core
from .config import Config
from .document import Document, Removal, Result, build_result
from .rules import RuleSet, load_rules
from .strip import classifier, corpus_lines, offtopic, patterns, repair, repeats

FIXED_POINT_ROUNDS = 8
BATCH = 256  # documents whose lines the classifier scores in one numpy pass


class Cleaner:
    """Clean documents with one configuration; rules are loaded and compiled once.

    >>> cleaner = Cleaner()
    >>> [r.text for r in cleaner.clean_many(["Menu\\nA real sentence here.", "Plain text."])]
    ['A real sentence here.', 'Plain text.']
    """

    def __init__(self, config: Config | None = None, rules: RuleSet | None = None,
                 corpus: corpus_lines.LineCounts | None = None):
        self.config = config or Config()
        self.rules = rules if rules is not None else load_rules(self.config.default_rules, self.config.rule_files)
        self.corpus = corpus
        c = self.config
        self.corpus_lines = corpus is not None and c.corpus_lines
        # Page strippers judge a line by the rest of the page.
        self.page_strippers = []
        if c.offtopic:
            self.page_strippers.append(
                partial(
                    offtopic.strip,
                    threshold=c.offtopic_threshold,
                    min_words=c.offtopic_min_words,
                    min_context=c.offtopic_min_context,
                )
            )
        self.model = classifier.load_model(c.classifier_model) if c.classifier else None
        self.classifier_threshold = (
            c.classifier_threshold if c.classifier_threshold is not None or not self.model else self.model.threshold
        )

    def line_counts(self) -> corpus_lines.LineCounts:
        """An empty count of lines across documents, with this configuration's thresholds."""
        c = self.config
        return corpus_lines.LineCounts(max_words=c.corpus_lines_max_words, min_corpus=c.corpus_lines_min_corpus,
                                       min_docs=c.corpus_lines_min_docs, ratio=c.corpus_lines_ratio)

    def with_corpus(self, texts: Iterable[str] | corpus_lines.LineCounts) -> Cleaner:
        """This cleaner, also removing lines repeated across ``texts`` (a corpus, read once
        here to count its lines; or counts made before). Clean the same corpus with it:

        >>> pages = [f"Weather where you live\\nStory {n}: the river rose {n} cm overnight." for n in range(120)]
        >>> cleaner = Cleaner().with_corpus(pages)
        >>> r = cleaner.clean(pages[7])
        >>> r.text, r.removals[0].kind, r.removals[0].evidence
        ('Story 7: the river rose 7 cm overnight.', 'repeated-across-documents', 'in 120 of 120 documents')
        """
        counts = texts
        if not isinstance(texts, corpus_lines.LineCounts):
            counts = self.line_counts()
            counts.add_many(texts)
        return Cleaner(self.config, self.rules, counts)

    def clean(self, doc: Document | str) -> Result:
        return next(self.clean_many([doc]))

    def clean_many(self, docs: Iterable[Document | str]) -> Iterator[Result]:
        """Clean documents in order, scoring the lines of each batch together."""
        batch = []
        for doc in docs:
            batch.append(self._repair(doc))
            if len(batch) == BATCH:
                yield from self._clean_batch(batch)
                batch = []
        if batch:
            yield from self._clean_batch(batch)

    def _repair(self, doc: Document | str) -> tuple[Document, list]:
        if isinstance(doc, str):
            doc = Document(doc)
        text, repairs = repair.repair(doc.text, use_ftfy=self.config.repair) if self.config.repair else (doc.text, [])
        if repairs:
            doc = Document(text, doc.id, doc.path, doc.meta)
        return doc, repairs

    def _line_strippers(self, found: tuple[list, list]) -> list:
        """The line-local strippers of one document, given what the core's line pass found in it.
        A line they keep stays kept when other lines go, so the fixed-point rounds below need
        not run them again."""
        c = self.config
        hits, repeated = found
        out = [
            partial(patterns.strip, rules=self.rules, hits=hits),
            partial(repeats.strip, threshold=c.repeat_threshold, min_chars=c.repeat_min_chars,
                    max_words=c.repeat_max_words, found=repeated),
        ]  # fmt: skip
        if self.corpus_lines:
            out.append(partial(corpus_lines.strip, counts=self.corpus))
        return out

    def _clean_batch(self, batch: list[tuple[Document, list]]) -> Iterator[Result]:
        docs = [doc for doc, _ in batch]
        texts = [doc.text for doc in docs]
        scores = self.model.scores(texts) if self.model else [None] * len(batch)
        c = self.config
        found = _core.line_pass(texts, self.rules.compiled, c.repeat_threshold, c.repeat_min_chars, c.repeat_max_words)
        owners = [self._owners(doc, line_scores, self._line_strippers(f)) for doc, line_scores, f in zip(docs, scores, found)]
        # The classifier judges a line by its page, and any removal changes the
        # page: clean what is kept again until nothing more goes (at most
        # FIXED_POINT_ROUNDS rounds), so that cleaning a cleaned text changes
        # nothing. The pages of a round are scored together; a page's scores do
        # not depend on the others.
        pending = [i for i, s in enumerate(scores) if s is not None and any(owners[i])]
        for _ in range(FIXED_POINT_ROUNDS):
            if not pending:
                break
            kept = [[j for j, o in enumerate(owners[i]) if o is None] for i in pending]
            again = [Document("\n".join(docs[i].lines[j] for j in rows)) for i, rows in zip(pending, kept)]
            still = []
            for i, rows, page, line_scores in zip(pending, kept, again, self.model.scores([d.text for d in again])):
                more = self._owners(page, line_scores, [])
                if not any(more):
                    continue
                for j, o in zip(rows, more):
                    if o is not None:
                        owners[i][j] = o
                _tidy_blank_lines(docs[i].lines, owners[i])
                still.append(i)
            pending = still
        for (doc, repairs), owner in zip(batch, owners):
            yield build_result(doc, owner, repairs)

    def _owners(self, doc: Document, scores, line_strippers: list) -> list[Removal | None]:
        """Which removal takes each line (``None``: kept), blank lines tidied."""
        owner: list[Removal | None] = [None] * len(doc.lines)
        strippers = list(line_strippers)
        # Blank lines score NaN: the classifier runs on texts with enough non-blank lines.
        if scores is not None and np.count_nonzero(~np.isnan(scores)) >= self.config.classifier_min_lines:
            strippers.append(partial(classifier.strip, scores=scores, threshold=self.classifier_threshold))
        for stripper in strippers + self.page_strippers:
            keep = [o is None for o in owner]
            for removal in stripper(doc, keep):
                for i in range(removal.start - 1, removal.end):
                    if owner[i] is None:
                        owner[i] = removal
        _tidy_blank_lines(doc.lines, owner)
        return owner


def _tidy_blank_lines(lines: list[str], owner: list[Removal | None]) -> None:
    """Give blank lines made redundant by a removal to the nearest removal before them.

    A kept blank line goes when a removal separates it from the previous kept
    line and that line is blank (or there is none); and blank lines after the
    last kept non-blank line go when a removal follows that line. The empty
    last line of a text ending in a newline stays, so the newline does too.
    """
    if not any(owner):
        return
    blank = [not line.strip() for line in lines]
    last_removal = None
    prev_kept_blank, gap = True, False
    for i, o in enumerate(owner):
        if o is not None:
            last_removal, gap = o, True
        elif blank[i] and gap and prev_kept_blank:
            owner[i] = last_removal or _next_removal(owner, i)
        else:
            prev_kept_blank, gap = blank[i], False
    kept_text = [i for i, o in enumerate(owner) if o is None and not blank[i]]
    tail_start = kept_text[-1] + 1 if kept_text else 0
    end = len(lines) - 1 if lines[-1] == "" and owner[-1] is None else len(lines)
    if any(owner[tail_start:end]):
        for i in range(tail_start, end):
            if owner[i] is None:
                owner[i] = _next_removal(owner, i) or _prev_removal(owner, i)


def _prev_removal(owner: list[Removal | None], i: int) -> Removal | None:
    return next((o for o in reversed(owner[:i]) if o is not None), None)


def _next_removal(owner: list[Removal | None], i: int) -> Removal | None:
    return next((o for o in owner[i + 1 :] if o is not None), None)


@lru_cache(maxsize=1)
def _default_cleaner() -> Cleaner:
    return Cleaner()


def clean(text: str | Document, config: Config | None = None) -> Result:
    """Clean one text with the default rules (or ``config``)."""
    return (Cleaner(config) if config is not None else _default_cleaner()).clean(text)
