"""A reader chooses which vote to read when a draft was voted on more than once, and which votes
of a session the analytics run over; the text page links to every vote.

A/HRC/51/L.6 was voted on once, on 6 October 2022 (17–19–11). These tests add an illustrative
second vote on it, a day later, in which every member voted yes: not sourced record."""

import csv
import html
import io
import re

import pytest

from core import datafiles
from register import formats
from register.importer import import_files
from tests.register.conftest import REAL_COUNCIL, write

L6 = "A/HRC/51/L.6"


@pytest.fixture
def voted_twice(db, tmp_path):
    import_files(REAL_COUNCIL)
    with datafiles.path("hrc51_l6_votes.csv").open(encoding="utf-8") as handle:
        members = [row["country"] for row in csv.DictReader(handle)]
    import_files([write(tmp_path, "again.csv", formats.VOTES, [[L6, "2022-10-07", iso3, "yes"] for iso3 in members])])


def read(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


def test_the_vote_page_shows_the_latest_vote_and_links_to_the_other(client, voted_twice):
    page = read(client, f"/register/votes/{L6}")

    assert "Adopted: 47 in favour, 0 against, 0 abstaining" in page
    assert f'<a href="/register/votes/{L6}?date=2022-10-06&lang=en">2022-10-06</a>' in page
    assert '<strong aria-current="page">2022-10-07</strong>' in page


def test_the_reader_chooses_the_vote_by_its_date_and_downloads_that_one(client, voted_twice):
    page = read(client, f"/register/votes/{L6}?date=2022-10-06")

    assert "Rejected: 17 in favour, 19 against, 11 abstaining" in page
    assert '<a href="?date=2022-10-06&format=csv" download>' in page
    assert f"/api/v1/register/votes/{L6}?date=2022-10-06" in page
    rows = list(csv.DictReader(io.StringIO(client.get(f"/register/votes/{L6}?date=2022-10-06&format=csv").text)))
    assert len(rows) == 47 and {r["date"] for r in rows} == {"2022-10-06"}
    assert sum(r["vote"] == "no" for r in rows) == 19


def test_a_date_with_no_vote_is_no_page(client, voted_twice):
    for date in ["2022-10-08", "6 October", "2022-13-01"]:
        assert client.get(f"/register/votes/{L6}?date={date}").status_code == 404


def test_the_text_page_links_to_every_vote_on_it(client, voted_twice):
    page = read(client, f"/register/texts/{L6}")

    for date in ["2022-10-06", "2022-10-07"]:
        assert f'<a href="/register/votes/{L6}?date={date}&lang=en">{date}</a>' in page


def cohesion_of(page, group):
    return re.search(rf"<th scope=\"row\">{group}</th><td>([^<]*)</td>", page).group(1)


def test_the_session_analytics_run_over_the_votes_the_reader_ticks(client, voted_twice):
    every_vote = read(client, "/register/sessions/51")
    assert every_vote.count('name="vote"') == 2 and every_vote.count(" checked>") == 2
    assert cohesion_of(every_vote, "African States") == "0.89"  # the mean of 0.78 and 1

    first_only = read(client, f"/register/sessions/51?vote={L6}@2022-10-06")

    assert cohesion_of(first_only, "African States") == "0.78"
    assert first_only.count(" checked>") == 1
    assert f'value="{L6}@2022-10-06" checked>' in first_only
