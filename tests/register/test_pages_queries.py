"""The register's busy pages cost the same queries for a text with 51 events as for one with one,
and for a State on many texts as for one on none."""

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
def record(db, client):
    import_files([datafiles.path(name) for name in DEMO_FILES])
    client.get("/register/texts/hrc50-2022-06-14-nld")  # the regional groups are read once per process


@pytest.mark.parametrize(
    "url", ["/register/texts/hrc41-counterletter-2019-07-12", "/register/texts/hrc50-2022-06-14-cub"]
)
def test_a_text_page_costs_five_queries_whatever_its_list(client, record, django_assert_num_queries, url):
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("iso3", ["QAT", "LIE", "TUV"])
def test_a_state_page_costs_four_queries_whatever_its_record(client, record, django_assert_num_queries, iso3):
    with django_assert_num_queries(4):
        assert client.get(f"/register/countries/{iso3}").status_code == 200


def test_the_list_of_texts_costs_six_queries(client, record, django_assert_num_queries):
    with django_assert_num_queries(6):
        assert client.get("/register/").status_code == 200


def test_a_vote_page_costs_four_queries(client, record, django_assert_num_queries):
    with django_assert_num_queries(4):
        assert client.get("/register/votes/A/HRC/51/L.6").status_code == 200
