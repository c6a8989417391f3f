"""Every packaged rule's examples, and the errors a bad rule file gets."""

import pytest

from cleaner.rules import RuleError, default_rule_files, load_rule_file, load_rules

RULES = [rule for path in default_rule_files() for rule in load_rule_file(path)]


def test_packaged_rules_are_found():
    kinds = {rule.kind for rule in RULES}
    assert {"navigation", "share-prompt", "copyright", "separator", "photo-caption"} <= kinds
    assert len(RULES) >= 20


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule):
    assert rule.examples_match, "every rule needs examples that must match"
    for example in rule.examples_match:
        assert rule.matches(example), example
    for example in rule.examples_no_match:
        assert not rule.matches(example), example


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_combined_ruleset_agrees_with_each_rule(rule):
    ruleset = load_rules()
    for example in rule.examples_match:
        assert ruleset.first_match(example) is not None
    for example in rule.examples_no_match:
        hit = ruleset.first_match(example)
        assert hit is None or hit.id != rule.id


BAD = {
    "not toml": ("[[rule]\nid = 'x'", "not valid TOML"),
    "no rules": ("title = 'nothing'", "no [[rule]] tables"),
    "no id": ("[[rule]]\nkind = 'navigation'\npattern = 'x'\nexamples.match = ['x']", "rule #1: needs an 'id'"),
    "bad regex": ("[[rule]]\nid = 'bad-re'\nkind = 'navigation'\npattern = 'a(b'\nexamples.match = ['ab']", "rule 'bad-re': bad regex"),
    "both": ("[[rule]]\nid = 'both'\nkind = 'navigation'\npattern = 'a'\nphrases = ['a']\nexamples.match = ['a']", "rule 'both': needs exactly one"),
    "unknown key": ("[[rule]]\nid = 'typo'\nkind = 'navigation'\npatern = 'a'\nexamples.match = ['a']", "rule 'typo': unknown key(s) patern"),
    "no examples": ("[[rule]]\nid = 'bare'\nkind = 'navigation'\npattern = 'a'", "rule 'bare': needs at least one example"),
    "global flag": ("[[rule]]\nid = 'flag'\nkind = 'navigation'\npattern = '(?i)menu'\nexamples.match = ['menu']", "rule 'flag': inline global flags"),
    "duplicate": (
        "[[rule]]\nid = 'twice'\nkind = 'navigation'\npattern = 'a'\nexamples.match = ['a']\n" * 2,
        "rule 'twice': duplicate id",
    ),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_rule_file_names_file_and_rule(tmp_path, name):
    text, message = BAD[name]
    path = tmp_path / "user-rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rule_file(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_user_rule_cannot_reuse_a_packaged_id(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("[[rule]]\nid = 'nav-words'\nkind = 'navigation'\npattern = 'x'\nexamples.match = ['x']\n")
    with pytest.raises(RuleError, match="nav-words.*already used"):
        load_rules(rule_files=[str(path)])


def test_phrase_rule_matches_whole_line_only(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("[[rule]]\nid = 'promo'\nkind = 'advertisement'\nphrases = ['Buy now']\nexamples.match = ['BUY NOW!']\n")
    (rule,) = load_rule_file(path)
    assert rule.matches("  » Buy   now: ")
    assert not rule.matches("Buy now, said nobody in Damascus.")
