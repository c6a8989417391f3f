"""Lines repeated across the documents of a corpus: a site's own menu and footer, which no rule knows."""

import json
import re

import pytest

from cleaner import Cleaner
from cleaner.strip.corpus_lines import KIND, LineCounts

HEADER = ["Skip to the weekend edition", "Lakeside Courier – independent since 1911"]
FOOTER = ["Got a story tip? Write to the newsroom", "Lakeside Courier on the radio, weekdays at noon"]


def sentences(seed_texts) -> list[str]:
    text = " ".join(" ".join(seed_texts.values()).split())
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6]


def site_pages(seed_texts, n: int = 120) -> list[str]:
    """Pages of one site: its header and footer around a story of two seed sentences, told
    with the page's own dateline (so the same sentence is not the same line on two pages)."""
    s = sentences(seed_texts)
    return ["\n".join([*HEADER, "", f"Day {i}: {s[i % len(s)]}", s[(i + 1) % len(s)] + f" ({i})", "", *FOOTER])
            for i in range(n)]


def test_template_lines_go_with_their_count(seed_texts):
    pages = site_pages(seed_texts)
    cleaner = Cleaner().with_corpus(pages)
    for page in pages[:10]:
        r = cleaner.clean(page)
        lines = page.split("\n")
        gone = {lines[n - 1] for x in r.removals if x.kind == KIND for n in range(x.start, x.end + 1) if lines[n - 1]}
        assert gone == set(HEADER + FOOTER)
        assert {x.evidence for x in r.removals if x.kind == KIND} == {"in 120 of 120 documents"}
        # The story stays.
        assert r.text.split("\n") == page.split("\n")[3:5]


def test_threshold_grows_with_the_corpus():
    counts = LineCounts()
    assert counts.threshold == float("inf")  # no corpus: nothing is boilerplate
    counts.add_many(["a line on three pages"] * 3 + [f"page {n} of a corpus with some words" for n in range(97)])
    assert counts.threshold == 3 and counts.count(counts.keys("A  line on THREE pages")).tolist() == [3]
    counts.add_many(f"another page {n} here" for n in range(1900))
    assert counts.threshold == 4.0  # 0.2% of 2,000 documents
    assert Cleaner(corpus=counts).clean("a line on three pages\nA real sentence of the story.").removals == []


def test_small_corpus_and_long_lines_are_left_alone(seed_texts):
    pages = site_pages(seed_texts, 99)
    assert not any(r.kind == KIND for p in pages for r in Cleaner().with_corpus(pages).clean(p).removals)
    long_line = "This paragraph of more than fifteen words is on every page, as syndicated stories are, and stays."
    pages = [f"{long_line}\n{s}" for s in sentences(seed_texts)[:60]] * 2
    assert Cleaner().with_corpus(pages).clean(pages[0]).text.startswith(long_line)


def test_cli_folder_jsonl_and_stdin_count_the_whole_corpus(cli, tmp_path, seed_texts):
    pages = site_pages(seed_texts)
    folder = tmp_path / "site"
    folder.mkdir()
    for n, page in enumerate(pages):
        (folder / f"{n:03}.txt").write_text(page, encoding="utf-8")
    result = cli("clean", folder, "-o", tmp_path / "out", "--explain", "-q")
    assert result.exit_code == 0
    assert f"site/000.txt:1: {KIND} [{KIND}] a line found in 120 of 120 documents of the corpus" in result.output
    assert (tmp_path / "out" / "005.txt").read_text(encoding="utf-8") == "\n".join(pages[5].split("\n")[3:5])

    jsonl = "".join(json.dumps({"id": n, "text": p}) + "\n" for n, p in enumerate(pages))
    (tmp_path / "site.jsonl").write_text(jsonl, encoding="utf-8")
    from_file = cli("clean", tmp_path / "site.jsonl", "--jobs", "2")
    from_stdin = cli("clean", "-", "--jobs", "1", input=jsonl)
    assert from_file.exit_code == from_stdin.exit_code == 0
    records = [json.loads(line) for line in from_stdin.output.splitlines()]
    assert from_file.output == from_stdin.output and len(records) == 120
    assert sum(r["kind"] == KIND for r in records[0]["cleaner"]["removed"]) == 4


def test_no_corpus_lines_flag(cli, tmp_path, seed_texts):
    pages = site_pages(seed_texts)
    jsonl = "".join(json.dumps({"id": n, "text": p}) + "\n" for n, p in enumerate(pages))
    result = cli("clean", "-", "--no-corpus-lines", input=jsonl)
    assert all(r["kind"] != KIND for line in result.output.splitlines() for r in json.loads(line)["cleaner"]["removed"])


@pytest.mark.parametrize("width", [3, 1 << 10])
def test_sketch_shape_is_checked(width):
    if width & (width - 1):
        with pytest.raises(ValueError, match="power of two"):
            LineCounts(width=width)
    else:
        assert LineCounts(width=width).table.shape == (4, width)


def test_pieces_of_wrapped_paragraphs_are_not_template_lines(seed_texts):
    """News wires wrap paragraphs at a fixed width: "said." alone on a line, or a line that
    stops mid-sentence, recurs across a corpus but is part of the story."""
    s = sentences(seed_texts)
    pages = [f"Story {n}: {s[n % len(s)]} The minister\nsaid.\nIn a statement to parliament,\nthe ministry added "
             f"that talks would go on ({n}).\n\nLakeside Courier on the radio, weekdays at noon" for n in range(150)]
    r = Cleaner().with_corpus(pages).clean(pages[3])
    assert "\nsaid.\nIn a statement to parliament,\n" in r.text
    assert [x.kind for x in r.removals] == [KIND] and "radio" not in r.text
