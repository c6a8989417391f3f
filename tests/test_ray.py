"""The Ray engine gives the local engine's clusters, kept copies and output files.

A local Ray instance with 2 CPUs runs the whole pipeline (read, clean,
signatures, shuffle by band key, verify, connected components, keep, write)
on a small corpus built from the seeds: JSONL files and text files, records
with and without ids, a broken line, and near-duplicate chains where a ~ b and
b ~ c but not a ~ c, so the components need more than one star round.
"""

import json
from pathlib import Path

import pytest
from test_corpus_lines import site_pages

from cleaner.clean import Cleaner
from cleaner.config import DedupConfig
from cleaner.pipeline import run_corpus

ray = pytest.importorskip("ray", reason="the Ray engine needs the ray extra: pip install '.[ray]'")
from cleaner.engine.ray import connected_components, run_ray


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


KEEP_APART = "003_64dbccd4c86e1892.txt"  # goes in whole, with an edited copy


def words(seed_texts) -> list[str]:
    return " ".join(t for name, t in seed_texts.items() if name != KEEP_APART).split()


def chain(words: list[str], length: int, step: int) -> list[str]:
    """Four documents over a sliding window of words: neighbours share two thirds of their
    text, the ends of the chain share none."""
    return [" ".join(words[i * step : i * step + length]) for i in range(4)]


def build_corpus(root: Path, seed_texts) -> list[str]:
    w = words(seed_texts)
    assert len(w) >= 1560
    records = [{"id": f"chain1-{n}", "text": "Home | News | Sport\n\n" + text} for n, text in enumerate(chain(w, 240, 80))]
    # No ids: these are named path:line.
    records += [{"text": text + "\n\nShare this article"} for text in chain(w[560:], 160, 56)]
    singles = [{"id": f"single-{n}", "text": " ".join(w[960 + 100 * n : 1060 + 100 * n])} for n in range(6)]
    a = root / "a.jsonl"
    a.write_text("".join(json.dumps(r) + "\n" for r in records[:6]) + "{broken\n", encoding="utf-8")
    b = root / "b.jsonl"
    b.write_text("".join(json.dumps(r) + "\n" for r in records[6:] + singles), encoding="utf-8")
    texts = root / "texts"
    texts.mkdir()
    original = seed_texts[KEEP_APART]
    (texts / KEEP_APART).write_text(original, encoding="utf-8")
    (texts / "copy.txt").write_text("BEIRUT (Wire) - " + original.replace("Assad", "al-Assad"), encoding="utf-8")
    (texts / "empty.txt").write_text("", encoding="utf-8")
    # Enough pages of one site for its header and footer to count as repeated across documents.
    site = root / "site.jsonl"
    site.write_text("".join(json.dumps({"id": f"site-{n}", "text": p}) + "\n" for n, p in enumerate(site_pages(seed_texts))),
                    encoding="utf-8")
    return [str(a), str(b), str(texts), str(site)]


def local_clusters(pairs: list[dict]) -> dict[str, list[str]]:
    members: dict[str, set] = {}
    for p in pairs:
        if p["level"] == "document":
            members.setdefault(p["cluster"], set()).update((p["a"]["doc"], p["b"]["doc"]))
    return {k: sorted(v) for k, v in sorted(members.items())}


def read_shards(folder: Path) -> list[dict]:
    return [json.loads(line) for f in sorted(folder.glob("*.json*")) for line in f.read_text().splitlines() if line]


def outputs(folder: Path) -> dict[str, bytes]:
    skip = {"summary.json", "report.html", "duplicates.jsonl"}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in skip and p.parent.name not in ("duplicates", "clusters")}


def test_ray_engine_matches_local(local_ray, tmp_path, seed_texts):
    (tmp_path / "in").mkdir()
    paths = build_corpus(tmp_path / "in", seed_texts)
    cleaner, config = Cleaner(), DedupConfig(level="document")
    local = run_corpus(paths, tmp_path / "local", cleaner, config)
    result = run_ray(paths, tmp_path / "ray", cleaner, config)

    clusters = {c["cluster"]: c for c in read_shards(tmp_path / "ray" / "clusters")}
    local_records = [json.loads(line) for line in (tmp_path / "local" / "duplicates.jsonl").read_text().splitlines()]
    assert len(local_records) == local.pairs
    expected = local_clusters(local_records)
    assert {k: c["members"] for k, c in sorted(clusters.items())} == expected
    assert len(expected) >= 3 and any(len(m) >= 4 for m in expected.values())
    assert sorted(m for c in clusters.values() for m in c["members"] if m != c["kept"]) == local.dropped
    assert result.dropped == len(local.dropped) and result.rounds >= 2

    ray_pairs = {(p["a"], p["b"]): (p["similarity"], p["cluster"]) for p in read_shards(tmp_path / "ray" / "duplicates")}
    local_pairs = {(p["a"]["doc"], p["b"]["doc"]): (p["similarity"], p["cluster"]) for p in local_records
                   if p["level"] == "document"}
    assert ray_pairs == local_pairs
    # The chains: neighbours pair up, the ends do not, and still form one cluster.
    assert ("chain1-0", "chain1-1") in ray_pairs and ("chain1-0", "chain1-3") not in ray_pairs
    chain = next(c["members"] for c in clusters.values() if "chain1-0" in c["members"])
    assert {f"chain1-{n}" for n in range(4)} <= set(chain)

    # The same files, byte for byte: cleaned records, the broken line kept as it was, dropped copies gone.
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    summary = json.loads((tmp_path / "ray" / "summary.json").read_text())
    local_summary = json.loads((tmp_path / "local" / "summary.json").read_text())
    for name in ("documents", "changed", "lines_removed", "bytes_in", "bytes_out", "by_kind", "by_rule", "errors"):
        assert summary[name] == local_summary[name], name
    assert summary["errors"][0]["line"] == 7
    assert summary["by_kind"]["repeated-across-documents"] == 4 * 120


def test_connected_components_on_ray(local_ray):
    import ray.data as rd

    # Two paths given backwards (the worst case for one star round) and a triangle.
    edges = [(f"n{i:02}", f"n{i + 1:02}") for i in range(20)][::-1] + [("x", "y"), ("y", "z"), ("x", "z")]
    ds = rd.from_items([{"a": a, "b": b} for a, b in edges])
    roots, rounds = connected_components(ds, 2)
    got = {r["key"]: r["root"] for r in roots.take_all()}
    assert got == {**{f"n{i:02}": "n00" for i in range(21)}, "x": "x", "y": "x", "z": "x"}
    assert rounds <= 8


def test_cli_engine_ray(local_ray, tmp_path, seed_texts, cli):
    (tmp_path / "in").mkdir()
    paths = build_corpus(tmp_path / "in", seed_texts)
    result = cli("run", *paths, "-o", tmp_path / "out", "--engine", "ray", "--level", "document")
    assert result.exit_code == 1  # the broken line is reported, the rest written
    assert "a.jsonl:7" in result.output and "copy(ies) dropped" in result.output
    assert (tmp_path / "out" / "a.jsonl").exists() and (tmp_path / "out" / "summary.json").exists()
    result = cli("dedup", paths[2], "-o", tmp_path / "dedup", "--engine", "ray", "--level", "document")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "dedup").glob("*.txt"))
    assert names == ["003_64dbccd4c86e1892.txt", "empty.txt"]  # the copy is dropped
