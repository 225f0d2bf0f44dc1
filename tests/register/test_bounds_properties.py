"""For random texts, lists and counts, the bounds hold the true number of distinct States for
every way of filling in the unlisted supporters that agrees with the counts."""

from hypothesis import given, settings
from hypothesis import strategies as st

from register.tally import TextFacts, bounds

# A small world makes overlaps and the cap on the number of States come up often.
WORLD = [f"S{i:02d}" for i in range(12)]


@st.composite
def texts_and_truth(draw):
    """Texts as the register holds them, and one true supporter set per text consistent with
    them: it contains the list, and has exactly the reported count when there is one (no more
    than the list when there is none but a list; anything when there is neither)."""
    texts, truths = [], []
    for index in range(draw(st.integers(1, 5))):
        listed = frozenset(draw(st.sets(st.sampled_from(WORLD), max_size=len(WORLD))))
        has_list = bool(listed) or draw(st.booleans())
        reported = draw(st.none() | st.integers(len(listed), len(WORLD)))
        unlisted = [state for state in WORLD if state not in listed]
        if reported is not None:
            extra = draw(st.permutations(unlisted))[: reported - len(listed)]
        elif has_list:
            extra = []
        else:
            extra = draw(st.sets(st.sampled_from(WORLD)))
        texts.append(TextFacts(f"T{index}", "joint_statement", listed, reported, has_list=has_list))
        truths.append(listed | frozenset(extra))
    return texts, truths


@settings(max_examples=500, deadline=None)
@given(texts_and_truth())
def test_lower_and_upper_hold_the_true_number_of_distinct_states(case):
    texts, truths = case
    true_distinct = len(frozenset().union(*truths))

    result = bounds(texts, state_count=len(WORLD))

    assert result.lower <= true_distinct
    if result.upper is not None:
        assert true_distinct <= result.upper
    assert result.lower <= (result.upper if result.upper is not None else len(WORLD))


@settings(max_examples=300, deadline=None)
@given(texts_and_truth())
def test_the_lower_bound_is_reached_and_the_upper_is_unknown_only_without_list_or_count(case):
    texts, _ = case

    result = bounds(texts, state_count=len(WORLD))

    assert result.lower == max(
        len(frozenset().union(*(t.live for t in texts))), *(max(t.reported or 0, len(t.live)) for t in texts)
    )
    assert (result.upper is None) == any(not t.has_list and t.reported is None for t in texts)
