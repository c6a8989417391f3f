"""Each stripper alone, on real text."""

from cleaner import Document
from cleaner.rules import load_rules
from cleaner.strip import offtopic, patterns, repair, repeats

SEED_002 = "002_63d5fec23f6ba681.txt"


def keep_all(doc):
    return [True] * len(doc.lines)


def test_repeats_keeps_first_and_removes_near_exact_copies(seed_texts):
    doc = Document(seed_texts[SEED_002])
    removed = repeats.strip(doc, keep_all(doc))
    assert [(r.start, r.kind) for r in removed] == [(3, "repeated-headline"), (5, "repeated-headline")]
    near = Document("Moscow demands withdrawal of all troops\n\nMoscow demands withdrawal of all troops.\nBody")
    assert [r.start for r in repeats.strip(near, keep_all(near))] == [3]
    assert repeats.strip(near, keep_all(near), threshold=100.0) == []


def test_repeats_leaves_short_lines_and_removed_lines_alone():
    doc = Document("Yes.\nNo.\nYes.\nA longer repeated line\nA longer repeated line")
    assert [r.start for r in repeats.strip(doc, keep_all(doc))] == [5]
    assert repeats.strip(doc, [True, True, True, False, True]) == []


def test_offtopic_removes_the_spliced_paragraph_only(seed_texts):
    doc = Document(seed_texts[SEED_002])
    keep = keep_all(doc)
    for r in patterns.strip(doc, keep, load_rules()) + repeats.strip(doc, keep):
        keep[r.start - 1] = False
    removed = offtopic.strip(doc, keep)
    assert [(r.start, r.end, r.kind) for r in removed] == [(21, 22, "off-topic-insert")]
    assert "cosine" in removed[0].evidence


def test_offtopic_keeps_every_paragraph_of_on_topic_seeds(seed_texts):
    for name in ("000_bc8268dc4ac8593a.txt", "001_217565120cdcc0e0.txt", "003_64dbccd4c86e1892.txt"):
        doc = Document(seed_texts[name])
        assert offtopic.strip(doc, keep_all(doc)) == [], name


def test_patterns_report_rule_and_evidence(seed_texts):
    doc = Document(seed_texts["004_c76d129d2dc45aae.txt"])
    found = {r.start: (r.kind, r.rule, r.evidence) for r in patterns.strip(doc, keep_all(doc), load_rules())}
    assert found[43] == ("copyright", "copyright-line", "© 2018 Arab News (Jeddah, Saudi Arabia)")
    assert found[7][0] == "photo-caption"


def test_repair_fixes_mojibake_and_keeps_curly_quotes():
    text, steps = repair.repair("The minister\u00e2\u20ac\u2122s \u201cplan\u201d \r\nwas caf\u00c3\u00a9  ")
    assert text == "The minister’s “plan”\nwas café"
    assert steps == ["line-endings", "trailing-space", "ftfy"]


def test_repair_never_changes_the_number_of_lines():
    text = "a\u2028b\x85c\nd &amp; e\n"
    fixed, _ = repair.repair(text)
    assert fixed.count("\n") == text.count("\n")


def test_ftfy_guard_keeps_ftfy_results(seed_texts):
    """Where the guard skips ftfy, ftfy would not have changed the text."""
    import ftfy

    samples = list(seed_texts.values()) + [
        "Plain ASCII news text.",
        "Zürich, São Paulo, Kraków — “quoted” ‘text’ … ½ 𝄞 日本語 한국어 العربية",
        "Ĳssel and ﬁne ligatures and ｆｕｌｌｗｉｄｔｈ stay as they are",
    ]
    for text in samples:
        if not repair.looks_damaged(text):
            assert ftfy.fix_text(text, repair.FTFY_CONFIG) == text
    assert repair.looks_damaged("caf\u00c3\u00a9") and repair.looks_damaged("AT&amp;T")


def test_repeats_leaves_long_repeated_paragraphs_to_passage_dedup():
    para = "Receive 20% off your purchase of three to five qualifying skincare products when you order online " * 2
    doc = Document(f"{para}\n\n{para}\n\nShort repeated headline here\nShort repeated headline here")
    assert [r.start for r in repeats.strip(doc, keep_all(doc))] == [6]


def test_offtopic_skips_tables_of_figures():
    rows = " | ".join(f"{m}/1/2014 +{m}.4%" for m in range(1, 13))
    body = "The rebel fighters in southern Syria rejected the regime reconciliation offer on Saturday. " * 4
    doc = Document(f"{body}\n\n{rows}\n\n{body}")
    assert offtopic.strip(doc, keep_all(doc), min_context=20) == []
