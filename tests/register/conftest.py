"""Register files for tests: the real record in core/data, and small files written on the spot.

The register is public, so these tests have no personas: anyone may read it, and the operator
who imports files is the command line."""

import csv
from pathlib import Path

import pytest

from core import datafiles
from register import formats
from register.importer import import_files

REAL_COUNCIL = [datafiles.path(name) for name in ("hrc51_texts.csv", "hrc_members.csv", "hrc51_l6_votes.csv")]
LETTER_2019 = "hrc41-letter-2019-07-08"
COUNTERLETTER_2019 = "hrc41-counterletter-2019-07-12"


def write(directory: Path, name: str, kind: str, rows: list[list], header: list[str] | None = None) -> Path:
    """A CSV file in one of the four formats (or with another header), UTF-8, written as given."""
    path = directory / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header or formats.COLUMNS[kind])
        writer.writerows(rows)
    return path


def letters_2019_files(directory: Path) -> list[Path]:
    """core/data/letters_2019.csv as a texts file and a participants file. A signature after the
    letter's date is a joining; a row whose source is the UN document is `un_document`, the
    others were reported by the press."""
    with datafiles.path("letters_2019.csv").open(encoding="utf-8", newline="") as handle:
        events = list(csv.DictReader(handle))
    texts = [
        [
            LETTER_2019,
            "joint_letter",
            "HRC",
            "41",
            "2019-07-08",
            "Letter to the President of the Human Rights Council and the High Commissioner on Xinjiang",
            "",
            "",
            "Xinjiang",
            "22",
            "letter of 8 July 2019; lists: Amnesty Canada, The Diplomat, amnesty-china.de",
        ],
        [
            COUNTERLETTER_2019,
            "joint_letter",
            "HRC",
            "41",
            "2019-07-12",
            "Letter to the President of the Human Rights Council and the High Commissioner in support of China",
            "",
            "A/HRC/41/G/17",
            "Xinjiang",
            "50",
            "A/HRC/41/G/17 (50 States); The Diplomat (37 States on 12 July 2019)",
        ],
    ]
    first_day = {LETTER_2019: "2019-07-08", COUNTERLETTER_2019: "2019-07-12"}
    participants = []
    for row in events:
        event = row["event"]
        if event == "signed" and row["date"] and row["date"] > first_day[row["letter"]]:
            event = "joined"
        provenance = "un_document" if "A/HRC/41/G/17" in row["source"] else "reported"
        participants.append([row["letter"], row["iso3"], event, row["date"], provenance, row["source"]])
    return [
        write(directory, "letters_2019_texts.csv", formats.TEXTS, texts),
        write(directory, "letters_2019_participants.csv", formats.PARTICIPANTS, participants),
    ]


@pytest.fixture
def real_council(db):
    """The Council's terms of 2017–2024 and the recorded vote on A/HRC/51/L.6, imported."""
    return import_files(REAL_COUNCIL)


@pytest.fixture
def letters_2019(db, tmp_path):
    """The two competing joint letters of July 2019, imported."""
    return import_files(letters_2019_files(tmp_path))
