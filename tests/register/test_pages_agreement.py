"""Anyone reading a session's page chooses two States and reads how often they voted alike over
the votes ticked (all of the session's when none is): the engine's agreement index, the number of
votes it rests on, what each State cast, and in words what the index means.

The real record: on A/HRC/51/L.6 (6 October 2022) China voted no, India abstained, the United
States and the United Kingdom voted yes, and Norway was not on the Council. The votes of 7 and
8 October below are illustrative, built by the tests: not sourced record."""

import csv
import html
import re

import pytest

from core import datafiles
from register import formats, queries
from register import votes as vote_rules
from register.importer import import_files
from register.models import Vote
from tests.register.conftest import REAL_COUNCIL, write

L6 = "A/HRC/51/L.6"
SESSION = "/register/sessions/51"


@pytest.fixture
def real_vote(db):
    import_files(REAL_COUNCIL)


@pytest.fixture
def with_illustrative_votes(real_vote, tmp_path):
    """Two illustrative votes on L.6 after the real one: on the 7th every member votes yes; on
    the 8th too, but India is absent."""
    with datafiles.path("hrc51_l6_votes.csv").open(encoding="utf-8") as handle:
        members = [row["country"] for row in csv.DictReader(handle)]
    seventh = [[L6, "2022-10-07", iso3, "yes"] for iso3 in members]
    eighth = [[L6, "2022-10-08", iso3, "absent" if iso3 == "IND" else "yes"] for iso3 in members]
    import_files([write(tmp_path, "illustrative.csv", formats.VOTES, seventh + eighth)])


def read(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, path
    return html.unescape(response.content.decode())


def index_on(page):
    found = re.search(r"Agreement index: ([0-9.]+), resting on (\d+) votes?\.", page)
    return (float(found.group(1)), int(found.group(2))) if found else None


def engine_index(first, second, dates):
    """The engine's index over the votes on L.6 of these dates, from the ballots in the database."""
    pairs = []
    for day in dates:
        ballots = dict(Vote.objects.filter(text__identifier=L6, date=day).values_list("country_id", "vote"))
        pairs.append((day, ballots.get(first), ballots.get(second)))
    return vote_rules.agreement(pairs)


def test_anyone_reads_the_agreement_of_china_and_india_on_the_real_l6_vote(client, real_vote):
    page = read(client, f"{SESSION}?a=CHN&b=IND")

    assert "Agreement between China and India" in page
    assert index_on(page) == (0.5, 1)
    assert index_on(page)[0] == engine_index("CHN", "IND", ["2022-10-06"])[0]
    assert index_on(page)[0] == queries.agreement("CHN", "IND", "51")["agreement"]
    assert "<td>No</td><td>Abstained</td>" in page
    assert "0.5 when one abstained and the other voted yes or no" in page
    assert "A vote where either State was absent, or was not a member with a vote on that day, is left out" in page


def test_states_may_be_chosen_by_name_and_the_selects_keep_them(client, real_vote):
    page = read(client, f"{SESSION}?a=United+States&b=United+Kingdom")

    assert index_on(page) == (1.0, 1)
    assert '<option value="USA" selected>' in page and '<option value="GBR" selected>' in page


def test_a_state_not_on_the_council_that_day_is_said_to_have_no_vote_there(client, real_vote):
    page = read(client, f"{SESSION}?a=NOR&b=CHN")

    assert "<td>No vote: not a member that day</td><td>No</td><td>Left out</td>" in page
    assert index_on(page) is None
    assert "No agreement index: on none of the votes chosen did both States cast a vote." in page
    assert engine_index("NOR", "CHN", ["2022-10-06"]) == (None, [])


def test_the_index_runs_over_every_vote_of_the_session_unless_some_are_ticked(client, with_illustrative_votes):
    every_vote = read(client, f"{SESSION}?a=CHN&b=IND")
    # 6 Oct: no against abstain, 0.5; 7 Oct: yes and yes, 1; 8 Oct: India absent, left out.
    assert index_on(every_vote) == (0.75, 2)
    assert index_on(every_vote)[0] == engine_index("CHN", "IND", ["2022-10-06", "2022-10-07", "2022-10-08"])[0]
    assert "1 vote chosen is left out." in every_vote
    assert "<td>Yes</td><td>Absent</td><td>Left out</td>" in every_vote

    ticked = read(client, f"{SESSION}?vote={L6}@2022-10-07&vote={L6}@2022-10-08&a=CHN&b=IND")
    assert index_on(ticked) == (1.0, 1)
    assert index_on(ticked)[0] == engine_index("CHN", "IND", ["2022-10-07", "2022-10-08"])[0]


def test_the_states_are_offered_by_their_un_names_in_the_readers_language(client, real_vote):
    french = read(client, f"{SESSION}?lang=fr&a=CHN&b=IND")

    assert french.count('<select name="a">') == 1 and french.count('<select name="b">') == 1
    assert len(re.findall(r'<select name="a">.*?</select>', french, re.S)[0].split("<option")) == 1 + 1 + 195
    assert '<option value="CHN" selected>Chine</option>' in french
    assert '<option value="IND" selected>Inde</option>' in french
    assert "Accord entre Chine et Inde" in french
    assert "Indice d’accord : 0,50, établi sur 1 vote." in french
    assert "0,5 quand l’un s’est abstenu et l’autre a voté pour ou contre" in french


def test_an_unknown_state_is_refused_with_the_resolvers_words(client, real_vote):
    page = read(client, f"{SESSION}?a=Atlantis&b=CHN", status=400)

    assert page.count("“Atlantis” is not a UN Member or observer State known to the register.") == 1
    assert 'id="agreement"' not in page


def test_a_vote_the_session_does_not_have_is_no_page(client, real_vote):
    for vote in [f"{L6}@2022-10-07", "A/HRC/51/L.99@2022-10-06", "nonsense"]:
        response = client.get(f"{SESSION}?vote={vote}&a=CHN&b=IND")
        assert response.status_code == 404, vote


def test_a_state_page_links_to_its_sessions_agreement(client, real_vote):
    page = read(client, "/register/countries/CHN")

    assert '<a href="/register/sessions/51?a=CHN&lang=en#agreement-states">' in page

    followed = read(client, "/register/sessions/51?a=CHN&lang=en")
    assert '<option value="CHN" selected>China</option>' in followed
    assert 'id="agreement"' not in followed  # until a second State is chosen


def test_the_session_page_costs_the_same_queries_for_one_vote_or_three_and_with_two_states(
    client, with_illustrative_votes, django_assert_num_queries
):
    client.get(SESSION)  # what is read once per process
    for path in [
        f"{SESSION}?vote={L6}@2022-10-06",
        SESSION,
        f"{SESSION}?a=CHN&b=IND",
        f"{SESSION}?vote={L6}@2022-10-07&a=NOR&b=IND",
    ]:
        with django_assert_num_queries(8):
            assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("language", ["ar", "es", "fr", "ru", "zh-hans"])
def test_the_agreement_reads_in_each_of_the_other_un_languages(client, with_illustrative_votes, language):
    page = read(client, f"{SESSION}?a=CHN&b=IND&lang={language}")

    for english in ["Agreement index", "The index is the mean", "vote chosen is left out", "Left out", "First State"]:
        assert english not in page, english
