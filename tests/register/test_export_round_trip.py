"""`register export DIR` writes the four files back: importing them changes nothing, and
exporting again gives the same bytes."""

import csv

from register import formats
from register.exporter import export_to
from register.importer import import_files
from register.models import Participant, Text
from tests.register.conftest import REAL_COUNCIL, letters_2019_files


def test_the_export_has_the_four_headers_of_the_import(real_council, tmp_path):
    export_to(tmp_path / "out")

    for name in formats.ORDER:
        with (tmp_path / "out" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == list(formats.COLUMNS[name])


def test_the_real_files_come_back_as_they_were(real_council, tmp_path):
    export_to(tmp_path / "out")

    assert (tmp_path / "out" / "texts.csv").read_bytes() == REAL_COUNCIL[0].read_bytes()
    for ours, theirs in [("members.csv", REAL_COUNCIL[1]), ("votes.csv", REAL_COUNCIL[2])]:
        exported = (tmp_path / "out" / ours).read_text(encoding="utf-8").splitlines()
        assert exported[0] == theirs.read_text(encoding="utf-8").splitlines()[0]
        assert sorted(exported[1:]) == sorted(theirs.read_text(encoding="utf-8").splitlines()[1:])


def test_importing_an_export_changes_nothing_and_exporting_again_gives_the_same_bytes(real_council, tmp_path):
    import_files(letters_2019_files(tmp_path))
    export_to(tmp_path / "first")

    summary = import_files(sorted((tmp_path / "first").glob("*.csv")))
    export_to(tmp_path / "second")

    assert not summary.changed
    for name in formats.ORDER:
        assert (tmp_path / "first" / f"{name}.csv").read_bytes() == (tmp_path / "second" / f"{name}.csv").read_bytes()


def test_an_export_imported_into_an_empty_register_rebuilds_it(real_council, tmp_path):
    import_files(letters_2019_files(tmp_path))
    export_to(tmp_path / "first")
    Participant.objects.all().delete()
    Text.objects.filter(kind="joint_letter").delete()

    summary = import_files(sorted((tmp_path / "first").glob("*.csv")))
    export_to(tmp_path / "second")

    assert summary.added == {"texts": 2, "participants": 74, "members": 0, "votes": 0}
    for name in formats.ORDER:
        assert (tmp_path / "first" / f"{name}.csv").read_bytes() == (tmp_path / "second" / f"{name}.csv").read_bytes()


def test_undated_events_come_first_and_dates_are_iso(letters_2019, tmp_path):
    export_to(tmp_path)

    rows = list(csv.DictReader((tmp_path / "participants.csv").open(encoding="utf-8", newline="")))
    counterletter = [row for row in rows if row["text"] == "hrc41-counterletter-2019-07-12"]
    assert counterletter[0]["country"] == "YEM" and counterletter[0]["date"] == ""
    assert counterletter[1]["date"] == "2019-07-12"
