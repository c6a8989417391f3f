"""Properties of cleaning over arbitrary text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Document
from cleaner.strip.repair import repair

CLEANER = Cleaner()
LINES = st.sampled_from(
    [
        "",
        "   ",
        "Share this article",
        "Navigation",
        "© 2020 Example News. All rights reserved.",
        "———",
        "Moscow demands withdrawal of all foreign troops",
        "Assad said Iran's presence in Syria was limited to officers assisting the army.",
        "Trump's China tariffs could be imposed in June, Reinsch said of the Beijing licensing dispute.",
    ]
)
TEXT = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400),
    st.lists(st.one_of(LINES, st.text(max_size=60)), max_size=40).map("\n".join),
    st.lists(LINES, max_size=40).map("\r\n".join),
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_kept_plus_removed_rebuild_the_repaired_input(text):
    result = CLEANER.clean(text)
    assert result.rebuild() == repair(text)[0]
    assert result.document.text == repair(text)[0]


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_cleaning_is_idempotent(text):
    once = CLEANER.clean(text)
    twice = CLEANER.clean(once.text)
    assert twice.removals == []
    assert twice.text == once.text


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_removals_are_sorted_disjoint_and_in_range(text):
    result = CLEANER.clean(Document(text))
    n = len(result.document.lines)
    last = 0
    for r in result.removals:
        assert last < r.start <= r.end <= n
        last = r.end
