"""`register import`: formats known by their headers, one transaction, idempotent, any order."""

import pytest

from register import formats
from register.importer import ImportRefused, import_files
from register.models import MembershipTerm, Participant, Text, Vote
from tests.register.conftest import REAL_COUNCIL, letters_2019_files, write

STATEMENT = [
    "HRC50-JS-1",
    "joint_statement",
    "HRC",
    "50",
    "2022-06-14",
    "Joint statement on Xinjiang",
    "NLD",
    "",
    "Xinjiang",
    "47",
    "https://example.org/statement",
]


def test_the_real_council_files_import_in_any_order(db):
    summary = import_files(list(reversed(REAL_COUNCIL)))

    assert summary.added == {"texts": 1, "participants": 0, "members": 95, "votes": 47}
    assert (Text.objects.count(), MembershipTerm.objects.count(), Vote.objects.count()) == (1, 95, 47)


def test_importing_the_same_files_again_changes_nothing(db, tmp_path):
    files = [*REAL_COUNCIL, *letters_2019_files(tmp_path)]
    import_files(files)
    before = everything()

    summary = import_files(files)

    assert not summary.changed
    assert summary.describe().startswith("nothing new")
    assert everything() == before


def everything():
    return [list(model.objects.order_by("pk").values()) for model in (Text, Participant, MembershipTerm, Vote)]


def test_the_summary_says_what_was_added_per_kind_of_row(db, tmp_path):
    summary = import_files(letters_2019_files(tmp_path))

    assert summary.describe() == "added: 2 texts, 74 participants, 0 membership terms, 0 votes"


def test_a_file_of_participants_adds_to_a_text_the_register_holds(db, tmp_path):
    import_files([write(tmp_path, "t.csv", formats.TEXTS, [STATEMENT])])
    summary = import_files(
        [
            write(
                tmp_path,
                "p.csv",
                formats.PARTICIPANTS,
                [
                    [
                        "HRC50-JS-1",
                        "Netherlands",
                        "main_sponsor",
                        "2022-06-14",
                        "published",
                        "https://example.org/statement",
                    ],
                ],
            )
        ]
    )

    assert summary.added["participants"] == 1
    assert Participant.objects.get().country_id == "NLD"


def test_a_changed_text_is_updated_and_counted_as_such(db, tmp_path):
    import_files([write(tmp_path, "t.csv", formats.TEXTS, [STATEMENT])])
    corrected = [*STATEMENT[:9], "49", STATEMENT[10]]

    summary = import_files([write(tmp_path, "t2.csv", formats.TEXTS, [corrected])])

    assert summary.updated["texts"] == 1 and summary.added["texts"] == 0
    assert Text.objects.get().reported_count == 49


def test_a_corrected_vote_replaces_the_stored_one(db, tmp_path):
    import_files(REAL_COUNCIL)
    rows = [line.split(",") for line in REAL_COUNCIL[2].read_text().splitlines()[1:]]
    rows = [[*row[:3], "yes" if row[2] == "UKR" else row[3]] for row in rows]  # as Ukraine asked on 7 October

    summary = import_files([write(tmp_path, "v.csv", formats.VOTES, rows)])

    assert summary.updated["votes"] == 1
    assert Vote.objects.get(country_id="UKR").vote == "yes"
    assert Vote.objects.count() == 47


def test_countries_may_be_written_as_names(db, tmp_path):
    import_files([write(tmp_path, "t.csv", formats.TEXTS, [[*STATEMENT[:6], "the Netherlands", *STATEMENT[7:]]])])

    assert Text.objects.get().lead_id == "NLD"


def test_a_bom_and_blank_lines_are_accepted(db, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "\ufeff" + ",".join(formats.COLUMNS["texts"]) + "\n\n" + ",".join(STATEMENT) + "\n\n", encoding="utf-8"
    )

    assert import_files([path]).added["texts"] == 1


def test_one_bad_file_among_good_ones_imports_nothing(db, tmp_path):
    bad = write(tmp_path, "bad.csv", formats.PARTICIPANTS, [["HRC41-nothing", "CHN", "signed", "", "reported", "x"]])

    with pytest.raises(ImportRefused):
        import_files([*REAL_COUNCIL, *letters_2019_files(tmp_path), bad])

    assert (
        Text.objects.count(),
        Participant.objects.count(),
        MembershipTerm.objects.count(),
        Vote.objects.count(),
    ) == (0, 0, 0, 0)


def test_every_error_is_listed_with_its_file_and_line(db, tmp_path):
    path = write(
        tmp_path,
        "texts.csv",
        formats.TEXTS,
        [
            STATEMENT,
            ["X", "joint_statment", "HRC", "", "2022-13-01", "t", "", "", "", "", ""],
        ],
    )

    with pytest.raises(ImportRefused) as refused:
        import_files([path])

    errors = refused.value.errors
    assert (
        f'{path}:3: kind "joint_statment" is not one of joint_letter, joint_statement, draft_resolution, '
        "draft_decision" in errors
    )
    assert f'{path}:3: date "2022-13-01" is not a date written YYYY-MM-DD' in errors
    assert errors[-1] == "nothing was imported"


def test_a_line_number_counts_the_lines_of_a_quoted_field_that_spans_several(db, tmp_path):
    path = tmp_path / "texts.csv"
    header = ",".join(formats.COLUMNS["texts"])
    path.write_text(
        f'{header}\nA,joint_letter,HRC,41,2019-07-08,"two\nlines",,,,,\nB,bad,HRC,41,2019-07-08,t,,,,,\n',
        encoding="utf-8",
    )

    with pytest.raises(ImportRefused) as refused:
        import_files([path])

    assert refused.value.errors[0].startswith(f'{path}:4: kind "bad"')


def test_an_import_leaves_the_connections_page_cache_as_it_found_it(db, tmp_path):
    from django.db import connection

    from core import sql

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache")
    before = sql.fetch_one("PRAGMA cache_size")

    import_files(letters_2019_files(tmp_path))

    assert sql.fetch_one("PRAGMA cache_size") == before


def test_an_import_gives_back_the_cycle_collector_as_it_found_it(db, tmp_path):
    import gc

    assert gc.isenabled()
    import_files(letters_2019_files(tmp_path))
    assert gc.isenabled()

    bad = write(tmp_path, "bad.csv", formats.TEXTS, [["X", "nope", "", "", "", "", "", "", "", "", ""]])
    with pytest.raises(ImportRefused):
        import_files([bad])
    assert gc.isenabled()


def test_a_large_import_into_sqlite_rebuilds_the_indexes_it_dropped(db, tmp_path, monkeypatch):
    from django.db import connection

    from core import sql
    from register.importer import writing

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's indexes")
    monkeypatch.setattr(writing, "REBUILD_INDEXES_FROM", 10)  # the 74 participants of 2019 count as large
    definitions = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (%s, %s) ORDER BY name"
    tables = [Participant._meta.db_table, Vote._meta.db_table]
    before = sql.fetch_all(definitions, tables)

    import_files([*REAL_COUNCIL, *letters_2019_files(tmp_path)])

    assert sql.fetch_all(definitions, tables) == before
    assert len(before) >= 4
    assert Participant.objects.count() == 74 and Vote.objects.count() == 47
