"""The line classifier: weights as data, batch-independent scores, real page shapes."""

from __future__ import annotations

import re
import textwrap
import tomllib

import numpy as np
import pytest

from cleaner import Cleaner
from cleaner.config import Config
from cleaner.rules import default_rules_dir
from cleaner.strip import classifier
from conftest import SEEDS

# A site's header and footer around a real article (seed 004), as inscriptis renders a page:
# menu items indented under a list marker, a breadcrumb, footer links.
MENU = ["Search", "  * Subscribe", "  * My Bookmarks", "  * Health", "  * Fitness", "  * Food & Nutrition",
        "  * Beauty", "  * Newsletter", "  * About Us", "Skip to Content", "   1. Weight Loss", "   2. Diets"]  # fmt: skip
FOOTER = ["  * About Us", "  * Contact", "  * Careers", "  * Privacy Notice", "  * Terms Of Use",
          "  * Site Map", "  * Advertise Online", "  * Customer Service"]  # fmt: skip


def article_paragraphs() -> list[str]:
    text = (SEEDS / "004_c76d129d2dc45aae.txt").read_text(encoding="utf-8")
    return [p for p in text.split("\n") if len(p.split()) >= 25]


def page() -> str:
    body = [p for para in article_paragraphs() for p in ("        " + para, "")]
    return "\n".join(MENU + [""] + body + FOOTER)


def test_weights_are_readable_data_matching_the_code():
    path = default_rules_dir() / "model" / "classifier.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert 0 < data["threshold"] < 1
    assert sorted(data["stage1"]["features"]) == sorted(classifier.feature_names())
    assert sorted(data["stage2"]["features"]) == sorted(classifier.smoothing_names())
    for stage in ("stage1", "stage2"):
        for name, (weight, mean, scale) in data[stage]["features"].items():
            assert np.isfinite([weight, mean, scale]).all() and scale > 0, name


def test_a_model_file_that_does_not_match_the_code_is_refused(tmp_path):
    path = default_rules_dir() / "model" / "classifier.toml"
    bad = tmp_path / "model.toml"
    bad.write_text(path.read_text(encoding="utf-8").replace("\nlog_words = ", "\nlog_wordz = ", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"model\.toml \[stage1\].*missing \['log_words'\].*unknown \['log_wordz'\]"):
        classifier.load_model(str(bad))


def test_menus_and_footers_go_the_article_stays_with_scores_as_evidence():
    result = Cleaner().clean(page())
    for para in article_paragraphs():
        assert para in result.text
    by_classifier = [r for r in result.removals if r.rule == classifier.RULE]
    assert by_classifier, "the classifier removes something on this page"
    assert all(r.kind == "low-content" and re.fullmatch(r"scores? [01]\.\d\d(-[01]\.\d\d)?", r.evidence) for r in by_classifier)
    kept = set(result.text.split("\n"))
    assert sum(line in kept for line in MENU + FOOTER) <= 2, "menus and footer links are nearly all gone"


def test_cleaning_a_cleaned_page_changes_nothing():
    cleaner = Cleaner()
    once = cleaner.clean(page())
    assert cleaner.clean(once.text).removals == []


def test_scores_do_not_depend_on_the_batch():
    model = classifier.load_model()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    alone = [model.scores([t])[0] for t in [page(), *seeds]]
    together = model.scores([page(), *seeds])
    for a, b in zip(alone, together):
        np.testing.assert_array_equal(a, b)


def test_hard_wrapped_news_is_scored_as_paragraphs_and_kept():
    paragraphs = article_paragraphs()
    wrapped = "\n".join("    " + "\n".join(textwrap.wrap(p, 68)) for p in paragraphs)
    table, _ = classifier.merge_wrapped(classifier.line_table([wrapped]))
    assert len(table.doc) < wrapped.count("\n") + 1  # wrapped lines were joined
    result = Cleaner().clean(wrapped)
    assert [r for r in result.removals if r.rule == classifier.RULE] == []


def test_short_texts_are_left_to_the_rules():
    text = "Home\nNews\nThe council said it would rebuild the bridge."
    assert [r.rule for r in Cleaner().clean(text).removals if r.rule == classifier.RULE] == []


def test_the_classifier_can_be_turned_off(cli):
    with_it = cli("clean", "-", input=page()).stdout
    without = cli("clean", "--no-classifier", "-", input=page()).stdout
    assert "  * Careers" in without and "  * Careers" not in with_it
    assert Cleaner(Config(classifier=False)).clean(page()).text + "\n" == without


def test_a_rule_removal_that_changes_the_page_is_followed_to_a_fixed_point():
    # Found by hypothesis: with the copyright line gone the page scores differently,
    # so cleaning the output again used to remove more.
    lines = ["Assad said Iran's presence in Syria was limited to officers assisting the army.", "1", "1", "00",
             "00", "00", "00:", "© 2020 Example News. All rights reserved.", "0"]  # fmt: skip
    cleaner = Cleaner()
    once = cleaner.clean("\n".join(lines))
    assert any(r.rule == "copyright-line" for r in once.removals)
    assert cleaner.clean(once.text).removals == []


def test_line_signals_match_a_plain_python_count():
    """The vectorised per-line counts agree with str methods on real text, mixed scripts included."""
    text = page() + "\nÜber die Brücke gehen wir — 東京タワー 𝐁𝐨𝐥𝐝 und DIE Stadt.\n\n| Home » News |\n"
    words_of = [re.findall(r"\w+", line) for line in text.split("\n")]
    table = classifier.line_table([text, "", "The end"])
    assert len(table.doc) == text.count("\n") + 1 + 2
    lexicon = tomllib.loads((default_rules_dir() / "lexicon" / "function-words.toml").read_text(encoding="utf-8"))
    function = {w for ws in lexicon.values() for w in ws}
    n = len(words_of)
    assert table.words[:n].tolist() == [len(w) for w in words_of]
    assert table.stop[:n].tolist() == [sum(x.lower() in function for x in w) for w in words_of]
    assert table.caps[:n].tolist() == [sum(x[0].isupper() for x in w) for w in words_of]
    assert table.chars[:n].tolist() == [sum(not c.isspace() for c in line) for line in text.split("\n")]
    assert table.digits[:n].tolist() == [sum(c.isdigit() for c in line) for line in text.split("\n")]
    assert table.indent[:n].tolist() == [len(x) - len(x.lstrip()) if x.strip() else 0 for x in text.split("\n")]
    assert table.words[n:].tolist() == [0, 2] and table.doc.tolist()[-3:] == [0, 1, 2]
    # Equal lines hash equal, whatever their case; different lines do not.
    lines = text.split("\n")
    i, j = lines.index("  * About Us"), len(MENU) + 1 + 2 * len(article_paragraphs()) + FOOTER.index("  * About Us")
    assert table.line_hash[i] == table.line_hash[j] != table.line_hash[i + 1]


def test_section_headings_are_found_and_mark_the_lines_after_them():
    """A line whose words, numbers left out, are a phrase of the lexicon is a comments or
    related-links heading; the lines after it in its page (not in the next page) follow one."""
    first = "The council voted on Monday to rebuild the old bridge.\n12 Comments\nGreat news for the town!\n"
    first += "The comments were made after the vote.\nCOMMENTS (3):\nRelated Posts:\nKommentare"
    second = "A second page starts here with a long enough sentence.\nAnd goes on."
    X, _ = classifier.features(classifier.line_table([first, second]))
    names = classifier.feature_names()
    heading = X[:, names.index("section_heading")].tolist()
    after = X[:, names.index("after_section_heading")].tolist()
    assert heading == [0, 1, 0, 0, 1, 1, 1, 0, 0]
    assert after == [0, 0, 1, 1, 1, 1, 1, 0, 0]


def test_section_heading_lexicon_is_lower_case_phrases_without_numbers():
    lexicon = tomllib.loads((default_rules_dir() / "lexicon" / "section-headings.toml").read_text(encoding="utf-8"))
    phrases = [p for ps in lexicon.values() for p in ps]
    assert {"en", "de", "fr", "es", "it", "pt", "nl"} <= set(lexicon)
    assert all(p == p.lower().strip() and not re.search(r"\d", p) for p in phrases)
    # A line's hash is over its words in any order ("read also" is "also read"): one per word set.
    assert len(classifier.section_heading_hashes()) == len({tuple(sorted(re.findall(r"\w+", p))) for p in phrases})
