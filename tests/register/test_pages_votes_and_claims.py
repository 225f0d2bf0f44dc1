"""The vote page and the claim checker over the real record of core/data."""

import csv
import datetime
import html
import io
import re

import pytest

from core import datafiles
from register.importer import import_files
from register.models import Claim, Text

DEMO_FILES = [
    "hrc_members.csv",
    "hrc51_texts.csv",
    "hrc51_l6_votes.csv",
    "register_texts.csv",
    "register_participants.csv",
]


@pytest.fixture
def record(db):
    import_files([datafiles.path(name) for name in DEMO_FILES])


def test_the_vote_on_l6_shows_its_outcome_totals_and_groups(client, record):
    response = client.get("/register/votes/A/HRC/51/L.6")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rejected" in page and "17 in favour, 19 against, 11 abstaining" in page
    assert "47 members" in page
    # African States 1 yes, 8 no, 4 abstaining; the other groups as the record has them.
    assert re.search(r"African States</th><td>1</td><td>8</td><td>4</td><td>0</td>", page)
    assert re.search(r"Western European and other States</th><td>7</td><td>0</td><td>0</td><td>0</td>", page)
    assert page.count('data-iso3="') >= 160 and 'class="world-map"' in page


def test_the_vote_downloads_one_row_per_member(client, record):
    response = client.get("/register/votes/A/HRC/51/L.6?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 47
    assert sum(r["vote"] == "yes" for r in rows) == 17
    assert next(r for r in rows if r["country"] == "UKR")["vote"] == "abstain"


def test_a_claim_is_checked_saved_and_shown_at_its_own_link(client, record):
    response = client.post(
        "/register/claims/",
        {
            "statement": "Nearly 100 countries supported China at the Council's 50th session",
            "number": "100",
            "text": ["hrc50-2022-06-14-cub", "hrc50-2022-06-14-nld"],
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert response["Location"] == f"/register/claims/{claim.id}"
    assert (claim.lower, claim.upper, claim.verdict, claim.rests_on_reported) == (69, 116, "consistent", True)
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Consistent with the record" in page
    assert (
        "“Joint statement on Xinjiang, Hong Kong and Tibet opposing interference in China's internal affairs” "
        "lists 1 of the 69 States it counts."
    ) in page
    assert "it rests on counts nobody has listed" in page


def test_a_claim_above_a_complete_list_without_a_count_exceeds_the_record(client, record):
    # The Chinese mission listed 28 States and gave no count: nobody says there were more.
    response = client.post(
        "/register/claims/",
        {"statement": "Thirty States backed the statement", "number": "30", "text": ["hrc51-2022-09-13-chn"]},
    )
    assert Claim.objects.get().verdict == "exceeds_record"
    assert "Exceeds the record" in client.get(response["Location"]).content.decode()


def test_a_claim_resting_on_a_text_nobody_listed_or_counted_cannot_be_checked(client, record):
    Text.objects.create(identifier="letter-without-count", kind="joint_letter", date=datetime.date(2022, 7, 1))
    response = client.post(
        "/register/claims/",
        {
            "statement": "Nearly 100 countries",
            "number": "100",
            "text": ["hrc50-2022-06-14-cub", "letter-without-count"],
        },
    )
    assert Claim.objects.get().verdict == "unverifiable"
    page = client.get(response["Location"]).content.decode()
    assert "“letter-without-count” has neither a list nor a count." in page
    assert "A claim of 100 cannot be checked" in page


def test_the_claim_form_refuses_what_it_cannot_check_and_saves_nothing(client, record):
    assert client.get("/register/claims/").status_code == 200
    for form in [
        {"statement": "", "number": "5", "text": ["hrc50-2022-06-14-nld"]},
        {"statement": "Many", "number": "many", "text": ["hrc50-2022-06-14-nld"]},
        {"statement": "Many", "number": "5"},
        {"statement": "Many", "number": "5", "text": ["no-such-text"]},
    ]:
        response = client.post("/register/claims/", form)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert not Claim.objects.exists()


def test_a_claim_page_in_arabic_reads_right_to_left(client, record):
    response = client.post("/register/claims/", {"statement": "x", "number": "47", "text": ["hrc50-2022-06-14-nld"]})
    page = client.get(response["Location"] + "?lang=ar").content.decode()
    assert 'dir="rtl"' in page


def test_the_same_claim_checked_twice_keeps_one_link_as_in_the_api(client, record):
    form = {"statement": "Nearly 100 countries", "number": "100", "text": ["hrc50-2022-06-14-cub"]}
    first = client.post("/register/claims/", form)["Location"]
    assert client.post("/register/claims/", form)["Location"] == first
    assert Claim.objects.count() == 1


def test_a_saved_claims_texts_download_as_csv_and_json(client, record):
    location = client.post(
        "/register/claims/",
        {"statement": "Nearly 100", "number": "100", "text": ["hrc50-2022-06-14-cub", "hrc50-2022-06-14-nld"]},
    )["Location"]
    response = client.get(location + "?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["text"], r["listed_count"], r["reported_count"], r["unlisted"]) for r in rows] == [
        ("hrc50-2022-06-14-cub", "1", "69", "68"),
        ("hrc50-2022-06-14-nld", "47", "47", "0"),
    ]
    claim_id = location.rsplit("/", 1)[1]
    page = client.get(location).content.decode()
    assert f'href="/api/v1/register/claims/{claim_id}"' in page
    assert client.get(f"/api/v1/register/claims/{claim_id}").json()["verdict"] == "consistent"
