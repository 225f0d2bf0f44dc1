"""The register reproduces the published record of the texts imported from core/data: each count
that was published equals the register's."""

import datetime

from register import queries
from register.models import Participant, Text
from register.support import Event, live_on
from tests.register.conftest import COUNTERLETTER_2019, LETTER_2019


def events_of(identifier):
    rows = Participant.objects.filter(text__identifier=identifier).values_list("country_id", "event", "date")
    return [Event(*row) for row in rows]


def test_the_letter_of_8_july_2019_has_its_22_states(letters_2019):
    assert queries.text_detail(LETTER_2019)["listed_count"] == 22


def test_the_counterletter_went_from_37_to_50_while_qatar_withdrew(letters_2019):
    events = events_of(COUNTERLETTER_2019)

    assert len(live_on(events, datetime.date(2019, 7, 12))) == 37  # The Diplomat, 12 July
    assert len(live_on(events, datetime.date(2019, 7, 18))) == 36  # Qatar's letter of withdrawal
    assert len(live_on(events, datetime.date(2019, 7, 26))) == 49  # thirteen joined
    detail = queries.text_detail(COUNTERLETTER_2019)
    assert detail["listed_count"] == 50  # A/HRC/41/G/17, with Yemen, whose date is not sourced
    assert "QAT" not in detail["live"]


def test_the_reported_counts_agree_with_the_lists(letters_2019):
    for text in Text.objects.all():
        assert text.reported_count == queries.text_detail(text.identifier)["listed_count"]


def test_the_l6_vote_matches_the_council_on_its_date_and_its_published_totals(real_council):
    vote = queries.vote_detail("A/HRC/51/L.6")

    assert (vote["yes"], vote["no"], vote["abstain"]) == (17, 19, 11)
    assert {b["country"] for b in vote["ballots"]} == set(
        queries.members_on(datetime.date(2022, 10, 6), queries.council_terms())
    )
    in_favour = {b["name"] for b in vote["ballots"] if b["vote"] == "yes"}
    assert in_favour == {
        "Czechia",
        "Finland",
        "France",
        "Germany",
        "Honduras",
        "Japan",
        "Lithuania",
        "Luxembourg",
        "Marshall Islands",
        "Montenegro",
        "Netherlands (Kingdom of the)",
        "Paraguay",
        "Poland",
        "Republic of Korea",
        "Somalia",
        "United Kingdom of Great Britain and Northern Ireland",
        "United States of America",
    }
