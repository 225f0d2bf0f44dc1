"""Tallies never add kinds of support together: they give the distinct union of the States the
record names and bounds on the true number (pure functions, no database)."""

from register.support import Event, replay
from register.tally import TextFacts, bounds, by_group, overlap, tally, verdict

GROUPS = {
    "CHN": "Asia-Pacific States",
    "PAK": "Asia-Pacific States",
    "CUB": "Latin American and Caribbean States",
    "RUS": "Eastern European States",
    "VAT": "",
}


def letter(name, live=(), reported=None, kind="joint_letter"):
    return TextFacts(name, kind, frozenset(live), reported, has_list=bool(live))


def test_the_lower_bound_is_the_union_when_the_lists_name_more_than_any_count():
    texts = [letter("A", {"CHN", "PAK"}), letter("B", {"PAK", "CUB"})]

    result = bounds(texts)

    assert (result.distinct_listed, result.lower, result.upper) == (3, 3, 3)
    assert not result.rests_on_reported


def test_the_lower_bound_is_the_largest_count_when_it_exceeds_the_union():
    texts = [letter("A", {"CHN"}), letter("S", (), reported=69, kind="joint_statement")]

    result = bounds(texts)

    assert (result.lower, result.upper) == (69, 1 + 69)
    assert result.rests_on_reported


def test_the_upper_bound_adds_each_texts_unlisted_remainder():
    texts = [letter("A", {"CHN", "PAK"}, reported=10), letter("B", {"CUB"}, reported=5)]

    assert bounds(texts).upper == 3 + 8 + 4


def test_the_upper_bound_never_exceeds_the_195_states():
    texts = [letter("A", (), reported=150), letter("B", (), reported=150)]

    assert bounds(texts).upper == 195


def test_the_upper_bound_is_unknown_when_a_text_has_neither_list_nor_count():
    texts = [letter("A", {"CHN"}), letter("L.6", (), None, kind="draft_decision")]

    result = bounds(texts)

    assert result.upper is None
    assert result.lower == 1


def test_a_text_whose_supporters_all_withdrew_still_has_a_list():
    everyone_left = TextFacts("A", "joint_letter", frozenset(), None, has_list=True)

    assert bounds([everyone_left]).upper == 0


def test_verdicts_follow_the_bounds():
    assert verdict(50, 40, 60) == "consistent"
    assert verdict(40, 40, 40) == "consistent"
    assert verdict(61, 40, 60) == "exceeds_record"
    assert verdict(39, 40, 60) == "below_record"
    assert verdict(100, 40, None) == "unverifiable"
    assert verdict(39, 40, None) == "below_record"


def test_a_tally_gives_each_text_its_own_counts():
    result = tally([letter("A", {"CHN", "PAK"}, reported=3), letter("S", (), 69, kind="joint_statement")], GROUPS)

    assert result["per_text"] == [
        {"text": "A", "kind": "joint_letter", "listed_count": 2, "reported_count": 3, "count": 3, "unlisted": 1},
        {"text": "S", "kind": "joint_statement", "listed_count": 0, "reported_count": 69, "count": 69, "unlisted": 69},
    ]


def test_by_kind_bounds_each_kind_over_its_own_texts():
    texts = [letter("A", {"CHN", "PAK"}), letter("B", {"CUB"}), letter("S", (), 69, kind="joint_statement")]

    result = tally(texts, GROUPS)["by_kind"]

    assert result == {
        "joint_letter": {"texts": 2, "distinct_listed": 3, "lower": 3, "upper": 3},
        "joint_statement": {"texts": 1, "distinct_listed": 0, "lower": 69, "upper": 69},
    }


def test_by_group_counts_the_distinct_listed_states_per_regional_group():
    result = by_group({"CHN", "PAK", "CUB", "VAT"}, GROUPS)

    assert result == {
        "African States": 0,
        "Asia-Pacific States": 2,
        "Eastern European States": 0,
        "Latin American and Caribbean States": 1,
        "Western European and other States": 0,
        "none": 1,
    }


def test_overlap_names_the_states_on_several_texts_and_the_pairs_that_share_any():
    texts = [letter("A", {"CHN", "PAK"}), letter("B", {"PAK", "CUB"}), letter("C", {"RUS"})]

    assert overlap(texts) == {
        "states": [{"country": "PAK", "texts": ["A", "B"]}],
        "pairs": [{"a": "A", "b": "B", "common": 1}],
    }


def test_council_members_on_the_date_are_counted_per_text_when_asked():
    facts = TextFacts(
        "A", "joint_letter", frozenset({"CHN", "PAK", "CUB"}), None, True, council=frozenset({"CHN", "CUB", "USA"})
    )

    assert tally([facts], GROUPS)["per_text"][0]["council_members"] == 2


def test_supporters_are_those_whose_last_event_is_a_support():
    events = [
        Event("QAT", "signed", _d(12)),
        Event("QAT", "withdrew", _d(18)),
        Event("YEM", "signed", None),
        Event("UZB", "joined", _d(26)),
        Event("OMN", "signed", _d(12)),
        Event("OMN", "withdrew", _d(13)),
        Event("OMN", "joined", _d(26)),
    ]

    live, refused = replay(events)

    assert live == {"YEM", "UZB", "OMN"}
    assert refused == []


def test_on_one_date_support_comes_before_withdrawal():
    live, refused = replay([Event("QAT", "withdrew", _d(12)), Event("QAT", "signed", _d(12))])

    assert (live, refused) == (frozenset(), [])


def test_a_second_withdrawal_without_joining_again_is_refused():
    second = Event("QAT", "withdrew", _d(20))

    _live, refused = replay([Event("QAT", "signed", _d(12)), Event("QAT", "withdrew", _d(18)), second])

    assert refused == [second]


def _d(day):
    import datetime

    return datetime.date(2019, 7, day)
