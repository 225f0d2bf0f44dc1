"""The register's pages of texts, States and sessions, read by anyone, over the real record of
core/data (the 2019 letters, the joint statements on Xinjiang, the Council in 2022 and the vote
on A/HRC/51/L.6) imported as the demo imports it."""

import csv
import io

import pytest

from core import datafiles
from register.importer import import_files

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


def rows_of(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_anyone_sees_every_text_with_its_named_and_reported_counts(client, record):
    response = client.get("/register/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "19 texts" in page
    assert "hrc50-2022-06-14-cub" in page and "A/HRC/51/L.6" in page


def test_the_list_filters_by_forum_session_kind_topic_and_state(client, record):
    assert "2 texts" in client.get("/register/?session=50").content.decode()
    assert "8 texts" in client.get("/register/?forum=GA+Third+Committee").content.decode()
    assert "2 texts" in client.get("/register/?kind=joint_letter").content.decode()
    assert "1 text" in client.get("/register/?kind=draft_decision&topic=xinjiang").content.decode()
    qatar = client.get("/register/?country=Qatar").content.decode()
    assert "hrc41-counterletter-2019-07-12" in qatar and "hrc50-2022-06-14-nld" not in qatar


def test_a_state_the_register_cannot_resolve_is_refused_with_candidates(client, record):
    page = client.get("/register/?country=Korea").content.decode()
    assert 'role="alert"' in page and "PRK" in page and "0 texts" in page


def test_the_list_downloads_as_csv_with_the_filters_applied(client, record):
    rows = rows_of(client.get("/register/?forum=HRC&format=csv"))
    assert {r["forum"] for r in rows} == {"HRC"}
    nld = next(r for r in rows if r["text"] == "hrc50-2022-06-14-nld")
    assert (nld["listed_count"], nld["reported_count"], nld["lead"]) == ("47", "47", "NLD")


def test_a_text_shows_its_map_its_groups_and_the_source_of_every_name(client, record):
    response = client.get("/register/texts/hrc41-counterletter-2019-07-12")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="world-map"' in page
    assert "A/HRC/41/G/17" in page
    assert page.count("<details>") == 52  # 51 signatures and joinings, 1 withdrawal
    assert "Bahrain" in page and "Too small to show on this map" in page


def test_a_text_read_on_behalf_of_more_states_than_it_names_says_so(client, record):
    page = client.get("/register/texts/hrc50-2022-06-14-cub").content.decode()
    assert "read on behalf of 69 States; the record names 1 of them" in page


def test_a_text_identifier_with_slashes_has_its_page(client, record):
    response = client.get("/register/texts/A/HRC/51/L.6")
    assert response.status_code == 200
    assert "/register/votes/A/HRC/51/L.6" in response.content.decode()


def test_a_texts_participants_download_as_csv(client, record):
    rows = rows_of(client.get("/register/texts/hrc41-counterletter-2019-07-12?format=csv"))
    assert len(rows) == 52
    qatar = [r for r in rows if r["country"] == "QAT"]
    assert [(r["event"], r["date"]) for r in qatar] == [("signed", "2019-07-12"), ("withdrew", "2019-07-18")]
    assert {r["provenance"] for r in rows if r["country"] == "DZA"} == {"un_document"}


def test_a_text_links_to_its_json_in_the_api(client, record):
    page = client.get("/register/texts/hrc50-2022-06-14-nld").content.decode()
    assert 'href="/api/v1/register/texts/hrc50-2022-06-14-nld"' in page


def test_a_state_shows_its_council_terms_its_texts_and_its_votes(client, record):
    response = client.get("/register/countries/QAT")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Qatar" in page and "2022-01-01" in page
    assert "hrc41-counterletter-2019-07-12" in page and "A/HRC/51/L.6" in page
    rows = rows_of(client.get("/register/countries/QAT?format=csv"))
    assert [r["event"] for r in rows] == ["signed", "withdrew"]


def test_a_session_lists_its_texts_bounds_and_votes(client, record):
    page = client.get("/register/sessions/51").content.decode()
    assert "A/HRC/51/L.6" in page and "hrc51-2022-09-13-chn" in page
    assert "Cohesion" in page
    rows = rows_of(client.get("/register/sessions/51?format=csv"))
    assert {r["text"] for r in rows} == {"A/HRC/51/L.6", "hrc51-2022-09-13-chn"}


@pytest.mark.parametrize(
    "url",
    [
        "/register/texts/no-such-text",
        "/register/countries/XXX",
        "/register/sessions/999",
        "/register/votes/hrc50-2022-06-14-nld",
        "/register/claims/nosuchclaim",
    ],
)
def test_what_the_register_does_not_hold_is_not_found(client, record, url):
    assert client.get(url).status_code == 404


def test_the_pages_speak_the_readers_language_and_arabic_reads_right_to_left(client, record):
    page = client.get("/register/texts/hrc50-2022-06-14-nld?lang=ar").content.decode()
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert "هولندا" in page or "مملكة هولندا" in page
    french = client.get("/register/countries/CIV", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Côte d’Ivoire" in french


@pytest.mark.parametrize(
    "language, heading",
    [
        ("ar", "سجل النصوص المشتركة"),
        ("zh-hans", "联合文本登记册"),
        ("fr", "Registre des textes conjoints"),
        ("es", "Registro de textos conjuntos"),
        ("ru", "Реестр совместных текстов"),
    ],
)
def test_the_register_is_written_in_the_six_languages(client, record, language, heading):
    page = client.get(f"/register/?lang={language}").content.decode()
    assert heading in page


def test_the_vote_page_names_the_groups_and_votes_in_arabic(client, record):
    page = client.get("/register/votes/A/HRC/51/L.6?lang=ar").content.decode()
    assert "مجموعة الدول الأفريقية" in page and "امتنع" in page and "رُفض" in page


@pytest.mark.parametrize(
    "url",
    ["/register/?forum=HRC", "/register/texts/A/HRC/51/L.6", "/register/countries/QAT", "/register/votes/A/HRC/51/L.6"],
)
def test_every_pages_json_link_answers_json(client, record, url):
    import json
    import re

    link = re.search(r'href="(/api/v1/register/[^"]*)" type="application/json"', client.get(url).content.decode())
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200, link.group(1)
    assert json.loads(response.content)
