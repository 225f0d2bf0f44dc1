"""On SQLite the import's rows go through sqlite3's own cursor, unless Django is recording queries
(DEBUG, a test counting them): then through Django's, to be seen (register/importer/writing.py).
Either way the same rows arrive, and a row the database refuses is Django's IntegrityError."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from register.importer import import_files
from register.importer.writing import PARTICIPANT_COLUMNS, insert_rows
from register.models import Participant, Text, Vote
from tests.register.conftest import REAL_COUNCIL
from tests.register.test_import_writes_many_rows_per_statement import two_texts_signed_by_every_state

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL gets the rows by COPY")


def everything_imported() -> tuple[set, set]:
    participants = set(Participant.objects.values_list("text__identifier", "country_id", "event", "date", "source"))
    votes = set(Vote.objects.values_list("text__identifier", "date", "country_id", "vote"))
    return participants, votes


def forget_everything_imported() -> None:
    Vote.objects.all().delete()
    Participant.objects.all().delete()
    Text.objects.all().delete()


def test_the_same_rows_arrive_whether_or_not_django_records_the_queries(db, tmp_path):
    files = [*two_texts_signed_by_every_state(tmp_path), *REAL_COUNCIL]
    import_files(files)
    unrecorded = everything_imported()
    forget_everything_imported()

    with CaptureQueriesContext(connection):
        import_files(files)

    assert everything_imported() == unrecorded
    assert len(unrecorded[0]) == 390 and len(unrecorded[1]) == 47


@pytest.mark.parametrize("recorded", [False, True])
def test_a_row_the_database_refuses_is_djangos_integrity_error(db, recorded):
    import_files(REAL_COUNCIL)
    text = Text.objects.get()
    without_event = (text.id, "CHN", None, None, "reported", "a source")

    watching = CaptureQueriesContext(connection) if recorded else transaction.atomic()
    with watching, pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Participant, PARTICIPANT_COLUMNS, [without_event])
