"""Recorded votes: totals, outcome by the rule, groups, agreement and cohesion; and the real vote
on A/HRC/51/L.6 (6 October 2022) as the record has it: rejected 17–19–11."""

import datetime

import pytest

from register import queries
from register.votes import agreement, agreement_matrix, cohesion, count, outcome, rice, score

GROUPS = {"A": "African States", "B": "African States", "C": "Asia-Pacific States", "D": "Asia-Pacific States"}


def test_a_draft_is_adopted_when_yes_outnumbers_no_and_a_tie_rejects_it():
    assert outcome(18, 17) == "adopted"
    assert outcome(17, 17) == "rejected"
    assert outcome(17, 19) == "rejected"


def test_a_count_gives_totals_groups_and_members():
    result = count({"A": "yes", "B": "no", "C": "abstain", "D": "absent"}, GROUPS)

    assert {k: result[k] for k in ("yes", "no", "abstain", "absent", "outcome", "members")} == {
        "yes": 1,
        "no": 1,
        "abstain": 1,
        "absent": 1,
        "outcome": "rejected",
        "members": 4,
    }
    assert result["by_group"]["African States"] == {"yes": 1, "no": 1, "abstain": 0, "absent": 0, "cohesion": 0.0}
    assert result["by_group"]["Asia-Pacific States"]["cohesion"] is None


@pytest.mark.parametrize(
    "a, b, points",
    [
        ("yes", "yes", 1.0),
        ("no", "no", 1.0),
        ("abstain", "abstain", 1.0),
        ("yes", "abstain", 0.5),
        ("abstain", "no", 0.5),
        ("yes", "no", 0.0),
        ("absent", "yes", None),
        ("no", "absent", None),
        (None, "yes", None),
    ],
)
def test_agreement_on_one_vote(a, b, points):
    assert score(a, b) == points


def test_the_agreement_index_is_the_mean_over_the_votes_where_both_voted():
    index, rests_on = agreement(
        [("v1", "yes", "yes"), ("v2", "yes", "abstain"), ("v3", "absent", "no"), ("v4", "yes", "no")]
    )

    assert index == pytest.approx((1 + 0.5 + 0) / 3)
    assert [item[0] for item in rests_on] == ["v1", "v2", "v4"]


def test_no_common_vote_gives_no_index():
    assert agreement([("v1", "absent", "yes")]) == (None, [])


def test_the_agreement_matrix_agrees_with_the_index_pair_by_pair():
    votes = [
        {"A": "yes", "B": "yes", "C": "no", "D": "absent"},
        {"A": "abstain", "B": "no", "C": "no", "D": "yes"},
        {"A": "no", "B": "absent", "C": "abstain"},
    ]

    matrix = agreement_matrix(votes)

    for (a, b), (index, together) in matrix.items():
        expected, rests_on = agreement((i, vote.get(a), vote.get(b)) for i, vote in enumerate(votes))
        assert index == pytest.approx(expected)
        assert together == len(rests_on)
    assert ("A", "D") in matrix and matrix[("A", "D")] == (0.5, 1)


def test_rice_cohesion_is_the_margin_over_the_decided_votes():
    assert rice(7, 0) == 1.0
    assert rice(3, 3) == 0.0
    assert rice(1, 8) == pytest.approx(7 / 9)
    assert rice(0, 0) is None


def test_cohesion_over_several_votes_is_the_mean_where_known():
    votes = [{"A": "yes", "B": "yes"}, {"A": "yes", "B": "no"}, {"C": "abstain"}]

    result = cohesion(votes, GROUPS)

    assert result["African States"] == 0.5
    assert result["Asia-Pacific States"] is None


# ---------------------------------------------------------------- the real record


def test_the_l6_vote_was_rejected_17_19_11(real_council):
    vote = queries.vote_detail("A/HRC/51/L.6")

    assert (vote["yes"], vote["no"], vote["abstain"], vote["absent"]) == (17, 19, 11, 0)
    assert vote["outcome"] == "rejected"
    assert vote["members"] == 47


def test_the_l6_vote_by_regional_group_is_the_published_one(real_council):
    by_group = queries.vote_detail("A/HRC/51/L.6")["by_group"]

    assert {group: (t["yes"], t["no"], t["abstain"]) for group, t in by_group.items()} == {
        "African States": (1, 8, 4),
        "Asia-Pacific States": (3, 8, 2),
        "Eastern European States": (4, 0, 2),
        "Latin American and Caribbean States": (2, 3, 3),
        "Western European and other States": (7, 0, 0),
    }
    assert by_group["Western European and other States"]["cohesion"] == 1.0


def test_the_council_had_47_members_in_its_five_groups_on_the_days_the_record_names(real_council):
    from collections import Counter

    terms = queries.council_terms()
    for day in (datetime.date(2019, 7, 12), datetime.date(2022, 10, 6), datetime.date(2022, 5, 10)):
        assert Counter(queries.members_on(day, terms).values()) == {
            "African States": 13,
            "Asia-Pacific States": 13,
            "Eastern European States": 6,
            "Latin American and Caribbean States": 8,
            "Western European and other States": 7,
        }


def test_russia_left_on_7_april_2022_and_czechia_took_the_seat_from_10_may(real_council):
    terms = queries.council_terms()

    assert "RUS" in queries.members_on(datetime.date(2022, 4, 6), terms)
    assert "RUS" not in queries.members_on(datetime.date(2022, 4, 7), terms)
    assert len(queries.members_on(datetime.date(2022, 4, 20), terms)) == 46
    assert "CZE" in queries.members_on(datetime.date(2022, 5, 10), terms)


def test_agreement_between_two_states_on_l6(real_council):
    result = queries.agreement("China", "PAK")

    assert result["agreement"] == 1.0
    assert result["votes"] == [{"text": "A/HRC/51/L.6", "date": "2022-10-06", "a": "no", "b": "no", "score": 1.0}]
    assert queries.agreement("CHN", "USA")["agreement"] == 0.0
    assert queries.agreement("CHN", "IND")["agreement"] == 0.5


def test_a_state_that_was_not_a_member_has_no_agreement_index(real_council):
    result = queries.agreement("CHN", "NOR")

    assert result["agreement"] is None and result["votes"] == []
