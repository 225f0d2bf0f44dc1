"""Who sits on the Council and who may vote on a day (pure functions over terms)."""

import datetime

from register.council import Council, Seat, has_vote, holds_seat

D = datetime.date
RUSSIA = Seat("RUS", "Eastern European States", D(2021, 1, 1), D(2023, 12, 31), D(2022, 4, 7), None)
SUSPENDED_FOR_A_MONTH = Seat("XXX", "African States", D(2021, 1, 1), D(2023, 12, 31), D(2022, 4, 7), D(2022, 5, 6))


def test_a_term_includes_its_first_and_last_day():
    seat = Seat("CHN", "Asia-Pacific States", D(2021, 1, 1), D(2023, 12, 31))

    assert holds_seat(seat, D(2021, 1, 1)) and holds_seat(seat, D(2023, 12, 31))
    assert not holds_seat(seat, D(2020, 12, 31)) and not holds_seat(seat, D(2024, 1, 1))


def test_a_suspended_member_keeps_its_seat_but_has_no_vote():
    assert holds_seat(RUSSIA, D(2022, 6, 1))
    assert has_vote(RUSSIA, D(2022, 4, 6))
    assert not has_vote(RUSSIA, D(2022, 4, 7))
    assert not has_vote(RUSSIA, D(2023, 12, 31))  # no end to the suspension: to the term's end


def test_a_suspension_with_an_end_gives_the_vote_back_the_day_after():
    assert not has_vote(SUSPENDED_FOR_A_MONTH, D(2022, 5, 6))
    assert has_vote(SUSPENDED_FOR_A_MONTH, D(2022, 5, 7))


def test_the_council_answers_for_any_day_from_the_terms_covering_its_year():
    council = Council([RUSSIA, Seat("CZE", "Eastern European States", D(2022, 5, 10), D(2023, 12, 31))])

    assert council.members_on(D(2022, 4, 6)) == {"RUS": "Eastern European States"}
    assert council.members_on(D(2022, 4, 20)) == {}
    assert council.members_on(D(2022, 5, 10)) == {"CZE": "Eastern European States"}
    assert council.members_on(D(2030, 1, 1)) == {}
