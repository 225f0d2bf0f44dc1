"""The import writes its rows many to a statement (register/importer/writing.py): every row
arrives exactly as the files gave it, across the statements' boundaries, and a second import of
the same files still adds nothing."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from register import formats
from register.exporter import export_to
from register.importer import import_files
from register.importer.writing import ROWS_PER_INSERT
from register.models import Country, Participant, Text, Vote
from tests.register.conftest import REAL_COUNCIL, write


def two_texts_signed_by_every_state(tmp_path):
    """Two letters, each signed by every State on a day of its own: 390 participant rows."""
    states = list(Country.objects.order_by("iso3").values_list("iso3", flat=True))
    texts = [
        [f"letter-{n}", "joint_letter", "HRC", "50", f"2022-06-1{n}", f"Letter {n}", "", "", "", "", "example"]
        for n in (1, 2)
    ]
    participants = [
        [f"letter-{n}", iso3, "signed", f"2022-06-1{n}", "reported", f"source {n} {iso3}"]
        for n in (1, 2)
        for iso3 in states
    ]
    return [
        write(tmp_path, "texts.csv", formats.TEXTS, texts),
        write(tmp_path, "participants.csv", formats.PARTICIPANTS, participants),
    ]


def participant_inserts(captured) -> list[str]:
    table = connection.ops.quote_name(Participant._meta.db_table)
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith(f"INSERT INTO {table}")]


def test_every_participant_arrives_as_written_across_the_statements(db, tmp_path):
    files = two_texts_signed_by_every_state(tmp_path)

    with CaptureQueriesContext(connection) as captured:
        summary = import_files(files)

    assert summary.added[formats.PARTICIPANTS] == 390
    inserts = participant_inserts(captured)
    if connection.vendor == "postgresql":
        assert inserts == []  # the rows go in by COPY, never an INSERT each
    else:
        per_statement = min(ROWS_PER_INSERT, connection.features.max_query_params // 6)
        assert len(inserts) == -(-390 // per_statement)  # whole statements, and the rest in one more
    stored = set(Participant.objects.values_list("text__identifier", "country_id", "event", "date", "source"))
    assert len(stored) == 390
    assert ("letter-2", "ZWE", "signed", datetime.date(2022, 6, 12), "source 2 ZWE") in stored
    assert ("letter-1", "AFG", "signed", datetime.date(2022, 6, 11), "source 1 AFG") in stored
    assert not import_files(files).changed


def test_an_import_of_many_rows_exports_the_same_rows_back(db, tmp_path):
    files = [*two_texts_signed_by_every_state(tmp_path), *REAL_COUNCIL]
    import_files(files)
    export_to(tmp_path / "out")

    import_files([tmp_path / "out" / name for name in ("texts.csv", "participants.csv", "members.csv", "votes.csv")])

    assert Participant.objects.count() == 390 and Text.objects.count() == 3
    assert Vote.objects.count() == 47
