"""A country, a text, a tally and a vote cost the same number of queries however many texts,
participants and votes the register holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from register import formats, queries
from register.importer import import_files
from tests.register.conftest import COUNTERLETTER_2019, LETTER_2019, write


def queries_of(call) -> int:
    queries._groups.cache_clear()
    call()  # the States' groups are read once per process; count a warm call
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


@pytest.fixture
def more_texts(letters_2019, real_council, tmp_path):
    def add(count):
        texts = [
            [f"T{i}", "joint_statement", "HRC", "50", "2022-06-14", f"Statement {i}", "", "", "", "", ""]
            for i in range(count)
        ]
        people = [
            [f"T{i}", iso3, "signed", "2022-06-14", "published", "https://example.org"]
            for i in range(count)
            for iso3 in ("PAK", "CUB", "QAT", "CHN")
        ]
        import_files(
            [write(tmp_path, "t.csv", formats.TEXTS, texts), write(tmp_path, "p.csv", formats.PARTICIPANTS, people)]
        )

    return add


@pytest.mark.parametrize(
    "call",
    [
        lambda: queries.country_detail("PAK"),
        lambda: queries.text_detail(COUNTERLETTER_2019),
        lambda: queries.tally([LETTER_2019, COUNTERLETTER_2019, "A/HRC/51/L.6"]),
        lambda: queries.vote_detail("A/HRC/51/L.6"),
        lambda: queries.agreement("PAK", "CHN"),
        lambda: queries.list_texts(),
    ],
    ids=["country", "text", "tally", "vote", "agreement", "texts"],
)
def test_the_number_of_queries_does_not_grow_with_the_register(more_texts, call):
    before = queries_of(call)
    more_texts(40)

    assert queries_of(call) == before


def test_a_country_costs_four_queries(letters_2019, real_council):
    assert queries_of(lambda: queries.country_detail("QAT")) == 4


def test_a_tally_of_forty_texts_costs_what_a_tally_of_two_does(more_texts):
    more_texts(40)

    assert (
        queries_of(lambda: queries.tally([f"T{i}" for i in range(40)]))
        == queries_of(lambda: queries.tally(["T0", "T1"]))
        == 3
    )
