"""Near-duplicate search: datasketch equivalence, seeds, determinism, keep policies, index, CLI."""

import json
import random

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash, MinHashLSH

from cleaner import DedupConfig, Deduper, Document
from cleaner.dedup.index import Index
from cleaner.dedup.lsh import BandIndex
from cleaner.dedup.minhash import band_layout, lean, permutations, signatures
from cleaner.dedup.shingle import shingle_hash, shingle_hashes, shingles, token_hashes, tokens
from conftest import SEEDS


def test_signatures_equal_datasketch_minhash(seed_texts):
    texts = list(seed_texts.values()) + ["", "one", "two words"]
    for num_perm, seed, ngram in [(128, 1, 3), (64, 7, 5), (16, 42, 1)]:
        toks = [tokens(t) for t in texts]
        sets = [np.unique(shingle_hashes(token_hashes(t), ngram)) for t in toks]
        ours = signatures(sets, num_perm, seed)
        for t, row in zip(toks, ours):
            ref = MinHash(num_perm=num_perm, seed=seed, hashfunc=shingle_hash, scheme="affine64")
            for s in shingles(t, ngram):
                ref.update(s)
            assert np.array_equal(ref.hashvalues, row)
            assert LeanMinHash(ref) == lean(row, seed)


def test_jaccard_estimates_and_lsh_work_with_our_signatures(seed_texts):
    a = tokens(seed_texts["004_c76d129d2dc45aae.txt"])
    b = a[: len(a) // 2] + ["edited"] + a[len(a) // 2 :]
    sa, sb = (np.unique(shingle_hashes(token_hashes(t), 3)) for t in (a, b))
    exact = len(np.intersect1d(sa, sb)) / len(np.union1d(sa, sb))
    ma, mb = (lean(s) for s in signatures([sa, sb], 256, 1))
    assert abs(ma.jaccard(mb) - exact) < 0.1
    lsh = MinHashLSH(threshold=0.8, num_perm=256)
    lsh.insert("a", ma)
    assert lsh.query(mb) == ["a"]


@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.8])
def test_band_index_gives_datasketch_lsh_candidates(seed_texts, threshold):
    """Our buckets hold what MinHashLSH's hold: the same candidates for every query."""
    words = " ".join(seed_texts.values()).split()
    rng = random.Random(threshold)
    docs, texts = [], []
    for n in range(60):  # windows of the seeds, and edited copies of them: every degree of overlap
        start = rng.randrange(len(words) - 200)
        doc = list(texts[-1]) if n % 2 else words[start : start + rng.randrange(40, 200)]
        for _ in range(rng.randrange(0, 30 if n % 4 == 1 else 3)):
            doc[rng.randrange(len(doc))] = rng.choice(["said", "the", "rose"])
        texts.append(doc)
        docs.append(np.unique(shingle_hashes(token_hashes(tokens(" ".join(doc))), 2)))
    sigs = signatures(docs, 128, 1)
    ours, theirs = BandIndex(threshold, 128), MinHashLSH(threshold=threshold, num_perm=128)
    found = set()
    for n, sig in enumerate(sigs):
        got, want = ours.query(sig), set(theirs.query(lean(sig)))
        assert got == want
        found |= {(m, n) for m in want}
        ours.insert(n, sig)
        theirs.insert(n, lean(sig))
        if n == 29:  # the batch path, on a corpus that grows: each pair once, when its later side arrives
            assert set(zip(*(x.tolist() for x in ours.candidates()))) == found
    assert len(found) > 0
    later = set(zip(*(x.tolist() for x in ours.candidates())))
    assert later == {(m, n) for m, n in found if n >= 30}


@pytest.mark.parametrize("num_perm", [64, 128, 256])
def test_band_layout_is_datasketchs(num_perm):
    from datasketch.lsh import _optimal_param

    for threshold in np.arange(0.05, 1.0, 0.05):
        assert band_layout(float(threshold), num_perm) == _optimal_param(float(threshold), num_perm, 0.5, 0.5)


def test_permutation_parameters_span_the_whole_range():
    a, b = permutations(256, 1)
    for num_perm, seed in [(256, 1), (128, 7), (16, 42)]:  # drawn as datasketch draws them
        ours, theirs = permutations(num_perm, seed), MinHash(num_perm=num_perm, seed=seed, scheme="affine64").permutations
        assert np.array_equal(ours[0], theirs[0]) and np.array_equal(ours[1], theirs[1])
    assert np.all(a & np.uint64(1) == 1)  # odd: a bijection
    assert a.min() > np.uint64(1 << 40) or np.median(a.astype(float)) > 2.0**62  # not small
    assert len(np.unique(a)) == 256 and len(np.unique(b)) == 256


def seed_pairs(gold_pairs):
    return {tuple(sorted(p)) for p in gold_pairs}


def reported(pairs, level):
    out = set()
    for p in pairs:
        if p.level != level:
            continue
        for la in range(p.a.lines[0], p.a.lines[1] + 1):
            for lb in range(p.b.lines[0], p.b.lines[1] + 1):
                out.add(tuple(sorted((f"{p.a.doc}:{la}", f"{p.b.doc}:{lb}"))))
    return out


def test_seeds_must_pairs_found_and_no_document_pair(gold, seed_texts):
    d = Deduper()
    d.add_many(Document(text, id=name) for name, text in seed_texts.items())
    pairs = d.pairs()
    assert not [p for p in pairs if p.level == "document"]
    found = reported(pairs, "passage")
    assert seed_pairs(gold["passages"]["must"]) <= found
    assert found <= seed_pairs(gold["passages"]["must"] + gold["passages"]["stretch"])
    texts = {p.text for p in pairs}
    assert "must be rebuilt and liberated” from any foreign presence" in texts


def corpus(seed_texts):
    """Seeds plus lightly edited copies: two clusters of three and two."""
    base = seed_texts["003_64dbccd4c86e1892.txt"]
    other = seed_texts["000_bc8268dc4ac8593a.txt"]
    return [
        Document(base, id="c"),
        Document("BEIRUT (Wire) - " + base.replace("Assad", "al-Assad", 2), id="a"),
        Document(base[: int(len(base) * 0.85)] + "\n\nReporting by the desk.", id="b"),
        Document(other, id="z"),
        Document(other.replace("Saturday", "Sunday") + "\n\nShare this.", id="y"),
        Document(seed_texts["004_c76d129d2dc45aae.txt"], id="m"),
    ]


def test_document_clusters_and_keep_policies(seed_texts):
    docs = corpus(seed_texts)
    d = Deduper(DedupConfig(level="document"))
    d.add_many(docs)
    assert d.clusters() == {"a": ["a", "b", "c"], "y": ["y", "z"]}
    assert sorted(d.kept()) == ["a", "y"] and d.dropped() == ["b", "c", "z"]
    longest = Deduper(DedupConfig(level="document", keep="longest"))
    longest.add_many(docs)
    assert sorted(longest.kept()) == ["a", "y"]
    newest = Deduper(DedupConfig(level="document", keep="newest"))
    newest.add_many([(doc, {"c": 3.0, "z": 9.0}.get(doc.id, 1.0)) for doc in docs])
    assert sorted(newest.kept()) == ["c", "z"]
    pair = next(p for p in d.pairs() if {p.a.doc, p.b.doc} == {"a", "c"})
    assert pair.similarity >= 0.5 and pair.a.lines[0] == 1 and pair.text


def test_same_clusters_and_kept_copies_in_any_order(seed_texts):
    docs = corpus(seed_texts)
    results = set()
    for trial in range(4):
        shuffled = docs[:]
        random.Random(trial).shuffle(shuffled)
        d = Deduper()
        for doc in shuffled:  # one at a time, in a different order each time
            d.add(doc)
        pairs = tuple(json.dumps(p.as_dict(), sort_keys=True) for p in d.pairs())
        results.add((json.dumps(d.clusters()), tuple(d.kept()), pairs))
    assert len(results) == 1


def test_query_does_not_add(seed_texts):
    docs = corpus(seed_texts)
    d = Deduper(DedupConfig(level="document"))
    d.add_many(docs[:1])
    found = d.query(docs[1])
    assert [(p.a.doc, p.b.doc) for p in found] == [("a", "c")]
    assert list(d.entries) == ["c"] and d.pairs() == []


def test_adding_the_same_key_twice_changes_nothing(seed_texts):
    d = Deduper()
    doc = Document(seed_texts["001_217565120cdcc0e0.txt"], id="x")
    assert d.add_many([doc, doc]) == ["x"]
    assert d.add(doc) == "x" and len(d.entries) == 1


def test_index_is_incremental_and_idempotent(tmp_path, seed_texts):
    docs = corpus(seed_texts)
    path = tmp_path / "index.sqlite"
    config = DedupConfig(level="document")
    first = Deduper(config, Index(path, config))
    first.add_many(docs[:3])
    assert first.save() == 3
    first.index.close()
    again = Deduper(config, Index(path, config))
    again.add_many(docs[:1])
    assert again.save() == 0  # already indexed
    later = Deduper(config, Index(path, config))
    later.add_many(docs[3:5] + [Document(seed_texts["003_64dbccd4c86e1892.txt"], id="new-copy")])
    pairs = {(p.a.doc, p.b.doc) for p in later.pairs()}
    assert ("c", "new-copy") in pairs and ("y", "z") in pairs  # against the index, without its files
    assert len(later.index) == 3 and later.save() == 3 and len(later.index) == 6
    with pytest.raises(ValueError, match="index built with"):
        Index(path, DedupConfig(num_perm=64))


def test_config_errors_are_raised_when_built():
    with pytest.raises(ValueError, match="threshold"):
        DedupConfig(threshold=1.5)
    with pytest.raises(ValueError, match="keep"):
        DedupConfig(keep="oldest")


# The command line.

def test_cli_dedup_report_and_output(cli, tmp_path, seed_texts):
    src = tmp_path / "corpus.jsonl"
    src.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in corpus(seed_texts)))
    report, out = tmp_path / "pairs.jsonl", tmp_path / "kept.jsonl"
    result = cli("dedup", src, "--report", report, "-o", out, "--level", "document")
    assert result.exit_code == 0, result.output
    pairs = [json.loads(line) for line in report.read_text().splitlines()]
    assert {(p["a"]["doc"], p["b"]["doc"]) for p in pairs} == {("a", "b"), ("a", "c"), ("b", "c"), ("y", "z")}
    assert set(pairs[0]) == {"level", "cluster", "similarity", "a", "b", "text"}
    assert set(pairs[0]["a"]) == {"doc", "path", "lines", "chars"}
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "y", "m"]


def test_cli_dedup_seeds_prints_passage_pairs(cli):
    result = cli("dedup", SEEDS)
    assert result.exit_code == 0
    pairs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(p["level"], p["a"]["lines"], p["b"]["lines"]) for p in pairs] == [
        ("passage", [17, 17], [9, 9]),
        ("passage", [19, 19], [17, 17]),
    ]
    assert result.stdout.count("seeds/0") >= 4


def test_cli_dedup_folder_output_and_index(cli, tmp_path, seed_texts):
    folder = tmp_path / "in"
    folder.mkdir()
    for doc in corpus(seed_texts):
        (folder / f"{doc.id}.txt").write_text(doc.text)
    index = tmp_path / "idx.sqlite"
    result = cli("dedup", folder, "-o", tmp_path / "out", "--index", index, "--level", "document")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "m.txt", "y.txt"]
    assert "6 document(s) added" in result.stderr
    new = tmp_path / "new"
    new.mkdir()
    (new / "copy.txt").write_text(seed_texts["000_bc8268dc4ac8593a.txt"])
    again = cli("dedup", new, "--index", index, "--level", "document")
    found = [json.loads(line) for line in again.stdout.splitlines()]
    assert [(p["a"]["doc"], p["b"]["doc"]) for p in found] == [
        (str(folder / name), str(new / "copy.txt")) for name in ("y.txt", "z.txt")
    ]


def test_cli_dedup_bad_inputs(cli, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Some text here for the corpus.")
    result = cli("dedup", good, tmp_path / "missing.txt")
    assert result.exit_code == 1 and "missing.txt: no such file or folder" in result.stderr
    assert cli("dedup", good, "--threshold", "1.5").exit_code == 2


def test_token_offsets_are_the_regex_matches(seed_texts):
    """The ASCII fast path (word-character edges) gives what ``\\w+`` matching gives, on every seed
    and on text of every ASCII character."""
    import re

    from cleaner.dedup.shingle import tokens_with_offsets

    every_ascii = "".join(chr(c) for c in range(128)) * 2
    for text in [*seed_texts.values(), every_ascii, "_under_score_ 2019-07-03 U.S. (Reuters)", "", "  "]:
        toks, offsets = tokens_with_offsets(text)
        matches = list(re.finditer(r"\w+", text))
        assert toks == [m.group().casefold() for m in matches]
        assert offsets.tolist() == [list(m.span()) for m in matches]
