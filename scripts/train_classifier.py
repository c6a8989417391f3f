"""Fit the line classifier on the WCXB dev pages and write rules/model/classifier.toml.

    pip install -e '.[train]'
    python scripts/train_classifier.py [--data ../shared/eval/wcxb-dev.jsonl.gz] [--folds 5] [--dry-run]

1. Labels: each page's tokens are aligned with its gold main content
   (difflib, token by token); a line is content when most of its words align.
2. Groups: pages sharing three or more lines of six or more words (a site's
   template) are put in one group, so that no fold is scored on a template it
   was trained on.
3. Cross-validation, folds grouped: stage one, a logistic model over each
   line's signals (cleaner.strip.classifier.features); stage two, a logistic
   model over the out-of-fold stage-one scores of the line and its neighbours.
   Both are fitted twice: on the training pages, then on the training pages
   plus the same pages reduced to the lines the first fit keeps, because the
   cleaner scores a page again once lines are gone (to a fixed point), and a
   model that has only seen whole pages erodes content round after round.
   Each fold's held-out pages are cleaned by the whole cleaner (rules, then
   the classifier with that fold's weights, to its fixed point) and scored by
   the benchmark's rule (word P/R/F1 per page, macro; snippet rates). The
   threshold with the best cross-validated F1 is written with the weights.
4. Refit on all pages the same way and write the weights as plain numbers, with the
   cross-validated scores in the file's header.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import score

from cleaner.clean import Cleaner
from cleaner.config import Config
from cleaner.strip import classifier

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "wcxb-dev.jsonl.gz"
OUT = ROOT / "rules" / "model" / "classifier.toml"
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def line_labels(page: dict) -> tuple[np.ndarray, np.ndarray]:
    """Tokens of each line that align with the gold, and tokens of each line."""
    lines = page["text"].split("\n")
    tokens, owner = [], []
    for i, line in enumerate(lines):
        for t in _TOKEN.findall(line.lower()):
            tokens.append(t)
            owner.append(i)
    gold = _TOKEN.findall(page["gold"].lower())
    matched = np.zeros(len(lines))
    total = np.zeros(len(lines))
    np.add.at(total, owner, 1)
    for block in difflib.SequenceMatcher(None, tokens, gold, autojunk=False).get_matching_blocks():
        if block.size >= 2 or (block.size == 1 and len(tokens) < 50):
            np.add.at(matched, owner[block.a : block.a + block.size], 1)
    return matched, total


def template_groups(pages: list[dict]) -> np.ndarray:
    """Union pages that share three or more lines of six or more words."""
    by_line = defaultdict(set)
    for k, page in enumerate(pages):
        for line in page["text"].split("\n"):
            words = _TOKEN.findall(line.lower())
            if len(words) >= 6:
                by_line[" ".join(words)].add(k)
    shared = defaultdict(int)
    for members in by_line.values():
        if 1 < len(members) < 200:
            m = sorted(members)
            for a in range(len(m)):
                for b in range(a + 1, len(m)):
                    shared[m[a], m[b]] += 1
    parent = list(range(len(pages)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), n in shared.items():
        if n >= 3:
            parent[find(a)] = find(b)
    return np.array([find(k) for k in range(len(pages))])


def standard(X: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return np.clip((X - mean) / scale, -classifier.CLIP, classifier.CLIP)


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, c: float = 1.0) -> tuple:
    """Standardise, then a weighted logistic regression (lines weighted by their words)."""
    mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-9
    model = LogisticRegression(C=c, max_iter=3000).fit(standard(X, mean, scale), y, sample_weight=w)
    return mean, scale, model


def logit(params, X: np.ndarray) -> np.ndarray:
    mean, scale, model = params
    return model.decision_function(standard(X, mean, scale))


def line_weights(words: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """A line weighs its share of its page's words: the score is per page, by words."""
    words = np.maximum(words, 1)
    return words / np.bincount(doc, weights=words)[doc] * 1000


@dataclass
class Lines:
    """The joined lines of some pages (whole, or reduced to the lines a model kept): features,
    labels, weights, and the page each line is from."""

    X: np.ndarray
    y: np.ndarray
    labelled: np.ndarray
    weight: np.ndarray
    page: np.ndarray  # index into the list of all pages
    doc: np.ndarray  # index into this set's pages


def lines_of(texts: list[str], labels: list[tuple[np.ndarray, np.ndarray]], pages: np.ndarray) -> Lines:
    """Features of the joined (unwrapped) lines; a joined line's label pools its lines' tokens."""
    table, group = classifier.merge_wrapped(classifier.line_table(texts))
    X, rows = classifier.features(table)
    doc = table.doc[rows]
    matched = np.bincount(group, weights=np.concatenate([m for m, _ in labels]))[rows]
    total = np.bincount(group, weights=np.concatenate([t for _, t in labels]))[rows]
    y = (matched >= 0.5 * np.maximum(total, 1)).astype(int)
    return Lines(X, y, total > 0, line_weights(np.expm1(X[:, 0]), doc), pages[doc], doc)


def stack(sets: list[Lines]) -> Lines:
    offsets = np.cumsum([0] + [s.doc.max() + 1 if len(s.doc) else 0 for s in sets])[:-1]
    return Lines(*(np.concatenate([getattr(s, f) for s in sets]) for f in ("X", "y", "labelled", "weight", "page")),
                 np.concatenate([s.doc + o for s, o in zip(sets, offsets)]))


def fit_stages(lines: Lines, groups: np.ndarray) -> tuple:
    """Stage one on the labelled lines; stage two on the smoothing features of stage one's
    scores from an inner split by page group, so it learns from scores as noisy as the
    ones it will see."""
    X, y, w, lab, page = lines.X, lines.y, lines.weight, lines.labelled, lines.page
    stage1 = fit(X[lab], y[lab], w[lab])
    inner = np.zeros(len(X))
    pages = np.unique(page)
    for itrain, itest in GroupKFold(n_splits=3).split(pages, groups=groups[pages]):
        a = np.isin(page, pages[itrain]) & lab
        b = np.isin(page, pages[itest])
        inner[b] = logit(fit(X[a], y[a], w[a]), X[b])
    S = classifier.smoothing_features(inner, X[:, 0], lines.doc)
    return stage1, fit(S[lab], y[lab], w[lab])


def kept_lines(texts: list[str], stages: tuple, threshold: float) -> list[np.ndarray]:
    """The lines of each text the two stages keep (blank lines included), scored by the
    cleaner's own inference on the weights as written."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.toml"
        write_model(*stages, threshold, [], 0, 0, path)
        scores = classifier.load_model(str(path)).scores(texts)
    return [np.flatnonzero(~(s < threshold)) for s in scores]  # NaN (blank) is kept


def fit_with_reduced(texts, labels, pages: np.ndarray, groups: np.ndarray) -> tuple:
    """Fit on the pages, then again on the pages and the same pages reduced to the lines the
    first fit keeps. The cleaner scores a page again after removing lines (to a fixed point);
    a model that has seen reduced pages keeps judging them as it judged the whole page,
    instead of eroding content round after round."""
    whole = lines_of([texts[i] for i in pages], [labels[i] for i in pages], pages)
    stages = fit_stages(whole, groups)
    reduced_texts, reduced_labels = [], []
    for i, keep in zip(pages, kept_lines([texts[i] for i in pages], stages, REDUCE_AT)):
        lines, (m, t) = texts[i].split("\n"), labels[i]
        if len(keep):
            reduced_texts.append("\n".join(lines[j] for j in keep))
            reduced_labels.append((m[keep], t[keep]))
        else:  # nothing kept: an empty page, one empty line
            reduced_texts.append("")
            reduced_labels.append((np.zeros(1), np.zeros(1)))
    return fit_stages(stack([whole, lines_of(reduced_texts, reduced_labels, pages)]), groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--dry-run", action="store_true", help="cross-validate only; do not write the weights")
    args = parser.parse_args()
    start = time.perf_counter()
    with gzip.open(args.data, "rt", encoding="utf-8") as f:
        pages = [json.loads(line) for line in f]
    with Pool() as pool:
        labels = pool.map(line_labels, pages, chunksize=16)
    groups = template_groups(pages)
    print(f"{len(pages)} pages, {len(set(groups))} template groups, labels in {time.perf_counter() - start:.0f} s")

    texts = [p["text"] for p in pages]
    folds = list(GroupKFold(n_splits=args.folds).split(np.arange(len(pages)), groups=groups))
    cleaned = {t: [None] * len(pages) for t in THRESHOLDS}
    with tempfile.TemporaryDirectory() as tmp:
        for k, (train, test) in enumerate(folds):
            stage1, stage2 = fit_with_reduced(texts, labels, train, groups)
            # The held-out pages go through the whole cleaner with this fold's weights.
            path = Path(tmp) / f"fold{k}.toml"
            write_model(stage1, stage2, 0.5, [], len(train), args.folds, path)
            for t in THRESHOLDS:
                cleaner = Cleaner(Config(classifier_model=str(path), classifier_threshold=t))
                for i, result in zip(test, cleaner.clean_many([texts[i] for i in test])):
                    cleaned[t][i] = result.text
            print(f"fold {k + 1}/{len(folds)} done at {time.perf_counter() - start:.0f} s", flush=True)
    rules = score(pages, [r.text for r in Cleaner(Config(classifier=False)).clean_many(texts)])
    table = {}
    for threshold in THRESHOLDS:
        table[threshold] = s = score(pages, cleaned[threshold])
        print(
            f"threshold {threshold}: P {s['all'][0]:.3f} R {s['all'][1]:.3f} F1 {s['all'][2]:.3f} "
            f"with {s['all'][3]:.4f} without {s['all'][4]:.4f} article F1 {s['article'][2]:.4f}"
        )
    # The threshold with the best cross-validated F1; its table goes in the file.
    best = max(THRESHOLDS, key=lambda t: table[t]["all"][2])
    lines = [f"{'pages':<14} {'n':>5} {'P':>6} {'R':>6} {'F1':>6} {'with':>6} {'without':>7}   rules-only F1"]
    for kind in ["all"] + sorted(k for k in table[best] if k != "all"):
        p, r, f1, w, wo, n = table[best][kind]
        lines.append(f"{kind:<14} {n:>5} {p:6.3f} {r:6.3f} {f1:6.3f} {w:6.3f} {wo:7.3f}   {rules[kind][2]:.3f}")
    print(f"\nthreshold {best}, cross-validated ({args.folds} folds grouped by site template):")
    print("\n".join(lines))
    if args.dry_run:
        return

    # Refit on every page, the same way as in each fold.
    stage1, stage2 = fit_with_reduced(texts, labels, np.arange(len(pages)), groups)
    write_model(stage1, stage2, best, lines, len(pages), args.folds)
    print(f"wrote {OUT}")


REDUCE_AT = 0.3  # the threshold at which training pages are reduced
THRESHOLDS = (0.25, 0.3, 0.35)


def _stage_toml(name: str, params, names: list[str]) -> str:
    """A stage as plain numbers: score = bias + sum(weight * (x - mean) / scale)."""
    mean, scale, model = params
    out = [f"[{name}]", f"bias = {model.intercept_[0]:.6g}", "", f"[{name}.features]", "# name = [weight, mean, scale]"]
    for feature, w, m, s in zip(names, model.coef_[0], mean, scale):
        out.append(f"{feature} = [{w:.6g}, {m:.6g}, {s:.6g}]")
    return "\n".join(out) + "\n"


def write_model(stage1, stage2, threshold: float, table: list[str], pages: int, folds: int, path: Path = OUT) -> None:
    header = [
        "# Line classifier weights: generated by scripts/train_classifier.py, do not edit by hand.",
        f"# Fitted on the {pages} WCXB dev pages (CC-BY-4.0, M. Foley, 2026). Cross-validated scores,",
        f"# {folds} folds grouped so that pages sharing a site template fall in one fold, with the rule lines:",
        *(f"#   {line}" for line in table),
        "#",
        "# score(line) = sigmoid(stage2 over smoothing features of stage1 scores); a line scoring below",
        "# `threshold` is boilerplate. Features: cleaner/strip/classifier.py.",
        "",
        f"threshold = {threshold}",
        "",
    ]
    body = _stage_toml("stage1", stage1, classifier.feature_names()) + "\n"
    body += _stage_toml("stage2", stage2, classifier.smoothing_names())
    path.write_text("\n".join(header) + body, encoding="utf-8")


if __name__ == "__main__":
    main()
