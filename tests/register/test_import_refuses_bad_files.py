"""Bad files are refused whole: each error names its file:line and what is wrong, and nothing
of any file given with it is imported."""

import pytest

from register import formats
from register.importer import ImportRefused, import_files
from register.models import MembershipTerm, Participant, Text, Vote
from tests.register.conftest import REAL_COUNCIL, write

LETTER = ["L1", "joint_letter", "HRC", "41", "2019-07-12", "A letter", "", "", "Xinjiang", "", ""]
DRAFT = ["A/HRC/99/L.1", "draft_decision", "HRC", "99", "2022-10-06", "A draft", "", "", "", "", ""]


def refused(*paths) -> list[str]:
    with pytest.raises(ImportRefused) as refusal:
        import_files(list(paths))
    assert (
        Text.objects.count(),
        Participant.objects.count(),
        MembershipTerm.objects.count(),
        Vote.objects.count(),
    ) == (0, 0, 0, 0), "something was imported"
    return refusal.value.errors


def real_votes() -> list[list[str]]:
    return [line.split(",") for line in REAL_COUNCIL[2].read_text().splitlines()[1:]]


def test_an_unknown_country_is_refused_with_candidates(db, tmp_path):
    texts = write(tmp_path, "texts.csv", formats.TEXTS, [LETTER])
    people = write(
        tmp_path,
        "people.csv",
        formats.PARTICIPANTS,
        [
            ["L1", "Pakistan", "signed", "2019-07-12", "reported", "The Diplomat"],
            ["L1", "Pakistn", "signed", "2019-07-12", "reported", "The Diplomat"],
        ],
    )

    errors = refused(texts, people)

    assert errors[0].startswith(f"{people}:3: country: “Pakistn” is not a UN Member or observer State")
    assert "Pakistan (PAK)" in errors[0]


def test_an_ambiguous_name_is_refused(db, tmp_path):
    texts = write(tmp_path, "texts.csv", formats.TEXTS, [LETTER])
    people = write(tmp_path, "people.csv", formats.PARTICIPANTS, [["L1", "Korea", "signed", "", "reported", "x"]])

    errors = refused(texts, people)

    assert errors[0].startswith(f"{people}:2: country: “Korea” may name several States")
    assert "(KOR)" in errors[0] and "(PRK)" in errors[0]


def test_a_vote_by_a_non_member_is_refused(db, tmp_path):
    votes = [*real_votes(), ["A/HRC/51/L.6", "2022-10-06", "Norway", "yes"]]

    errors = refused(*REAL_COUNCIL[:2], write(tmp_path, "votes.csv", formats.VOTES, votes))

    assert (
        f"{tmp_path / 'votes.csv'}:49: Norway (NOR) was not a member of the Council with a vote on 2022-10-06" in errors
    )


def test_a_vote_by_a_suspended_member_is_refused(db, tmp_path):
    # Russia's rights were suspended on 7 April 2022; a vote that day must not count it.
    texts = write(tmp_path, "texts.csv", formats.TEXTS, [[*DRAFT[:4], "2022-04-07", *DRAFT[5:]]])
    votes = write(tmp_path, "votes.csv", formats.VOTES, [["A/HRC/99/L.1", "2022-04-07", "RUS", "no"]])

    errors = refused(texts, REAL_COUNCIL[1], votes)

    assert f"{votes}:2: Russian Federation (RUS) was not a member of the Council with a vote on 2022-04-07" in errors


def test_a_missing_member_is_refused_by_name(db, tmp_path):
    votes = [row for row in real_votes() if row[2] not in ("QAT", "CIV")]

    errors = refused(*REAL_COUNCIL[:2], write(tmp_path, "votes.csv", formats.VOTES, votes))

    assert errors == [
        f'{tmp_path / "votes.csv"}:2: the vote on "A/HRC/51/L.6" of 2022-10-06 lacks 2 of the 47 '
        "members: Côte d’Ivoire (CIV), Qatar (QAT)",
        "nothing was imported",
    ]


def test_a_member_voting_twice_is_refused(db, tmp_path):
    votes = [*real_votes(), ["A/HRC/51/L.6", "2022-10-06", "China", "yes"]]

    errors = refused(*REAL_COUNCIL[:2], write(tmp_path, "votes.csv", formats.VOTES, votes))

    assert errors[0].startswith(f'{tmp_path / "votes.csv"}:49: China (CHN) votes again on "A/HRC/51/L.6"')


def test_a_vote_on_a_text_that_is_no_draft_is_refused(db, tmp_path):
    texts = write(tmp_path, "texts.csv", formats.TEXTS, [[*LETTER[:4], "2022-10-06", *LETTER[5:]]])
    votes = write(tmp_path, "votes.csv", formats.VOTES, [["L1", "2022-10-06", "CHN", "no"]])

    errors = refused(texts, REAL_COUNCIL[1], votes)

    assert f'{votes}:2: "L1" is a joint_letter: only draft resolutions and decisions are voted on' in errors


def test_a_withdrawal_before_joining_is_refused(db, tmp_path):
    texts = write(tmp_path, "texts.csv", formats.TEXTS, [LETTER])
    people = write(
        tmp_path,
        "people.csv",
        formats.PARTICIPANTS,
        [
            ["L1", "QAT", "withdrew", "2019-07-10", "reported", "Bloomberg"],
            ["L1", "QAT", "joined", "2019-07-12", "reported", "The Diplomat"],
        ],
    )

    errors = refused(texts, people)

    assert errors[0] == f'{people}:2: Qatar (QAT) withdrew from "L1" on 2019-07-10 without supporting it before'


def test_a_withdrawal_by_a_state_that_never_supported_the_text_is_refused(db, tmp_path):
    texts = write(tmp_path, "texts.csv", formats.TEXTS, [LETTER])
    people = write(tmp_path, "people.csv", formats.PARTICIPANTS, [["L1", "QAT", "withdrew", "", "reported", "x"]])

    assert refused(texts, people)[0].startswith(f"{people}:2: Qatar (QAT) withdrew")


def test_a_count_below_the_list_is_refused(db, tmp_path):
    texts = write(tmp_path, "texts.csv", formats.TEXTS, [[*LETTER[:9], "1", ""]])
    people = write(
        tmp_path,
        "people.csv",
        formats.PARTICIPANTS,
        [
            ["L1", "CHN", "signed", "2019-07-12", "reported", "x"],
            ["L1", "PAK", "signed", "2019-07-12", "reported", "x"],
        ],
    )

    errors = refused(texts, people)

    assert (
        errors[0] == f'{texts}:2: the reported count of "L1" is 1, below the 2 States listed as supporting it: '
        "a count cannot be below its list"
    )


def test_a_count_above_the_states_that_exist_is_refused(db, tmp_path):
    texts = write(tmp_path, "texts.csv", formats.TEXTS, [[*LETTER[:9], "196", ""]])

    assert refused(texts)[0] == f"{texts}:2: reported_count 196 is more than the 195 UN Member and observer States"


def test_a_participant_of_an_unknown_text_is_refused(db, tmp_path):
    people = write(tmp_path, "people.csv", formats.PARTICIPANTS, [["L9", "CHN", "signed", "", "reported", "x"]])

    assert refused(people)[0] == f'{people}:2: text "L9" is neither in the texts file nor in the register'


def test_an_unknown_column_is_refused(db, tmp_path):
    people = write(
        tmp_path,
        "people.csv",
        formats.PARTICIPANTS,
        [["L1", "CHN", "signed", "", "reported", "x", "y"]],
        header=[*formats.COLUMNS["participants"], "note"],
    )

    assert (
        refused(people)[0] == f'{people}:1: unknown column "note": a participants file has the columns '
        "text,country,event,date,provenance,source"
    )


def test_a_wrong_header_is_refused(db, tmp_path):
    votes = write(
        tmp_path,
        "votes.csv",
        formats.VOTES,
        [["A/HRC/51/L.6", "CHN", "2022-10-06", "no"]],
        header=["text", "country", "date", "vote"],
    )

    assert refused(votes)[0] == f"{votes}:1: the header must be exactly text,date,country,vote (a votes file)"


def test_a_file_that_is_not_utf8_is_refused(db, tmp_path):
    path = tmp_path / "texts.csv"
    path.write_bytes(
        (",".join(formats.COLUMNS["texts"]) + "\nL1,joint_letter,HRC,41,2019-07-12,Caf\xe9,,,,,\n").encode("latin-1")
    )

    assert refused(path)[0] == f"{path}:2: is not UTF-8 text"


def test_an_empty_file_is_refused(db, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")

    assert refused(path)[0].startswith(f"{path}:1: is empty")


def test_a_row_with_too_many_fields_is_refused(db, tmp_path):
    votes = write(tmp_path, "votes.csv", formats.VOTES, [["A/HRC/51/L.6", "2022-10-06", "CHN", "no", "extra"]])

    assert refused(votes)[0] == f"{votes}:2: has 5 fields; the votes header has 4"


@pytest.mark.parametrize(
    "column, value, message",
    [
        (4, "12/07/2019", 'date "12/07/2019" is not a date written YYYY-MM-DD'),
        (4, "20190712", 'date "20190712" is not a date written YYYY-MM-DD'),
        (4, "", "date is empty"),
        (1, "statement", 'kind "statement" is not one of'),
        (9, "about 40", 'reported_count "about 40" is not a whole number'),
        (9, "-3", 'reported_count "-3" is not a whole number'),
        (0, "", "text is empty"),
        (5, "Title \u202e with an override", "title contains the invisible character U+202E"),
        (3, "41", None),
    ],
)
def test_each_cell_of_a_text_is_checked(db, tmp_path, column, value, message):
    row = list(LETTER)
    row[column] = value
    if column == 3:  # a session without a forum
        row[2] = ""
        message = "session is given without a forum"
    texts = write(tmp_path, "texts.csv", formats.TEXTS, [row])

    assert refused(texts)[0].startswith(f"{texts}:2: {message}")


@pytest.mark.parametrize(
    "column, value, message",
    [
        (2, "supported", 'event "supported" is not one of signed, joined, withdrew, main_sponsor, cosponsor'),
        (4, "press", 'provenance "press" is not one of signed, un_document, published, reported'),
        (5, "", "source is empty"),
        (3, "2019-7-12", 'date "2019-7-12" is not a date written YYYY-MM-DD'),
    ],
)
def test_each_cell_of_a_participant_is_checked(db, tmp_path, column, value, message):
    row = ["L1", "CHN", "signed", "2019-07-12", "reported", "The Diplomat"]
    row[column] = value
    texts = write(tmp_path, "texts.csv", formats.TEXTS, [LETTER])
    people = write(tmp_path, "people.csv", formats.PARTICIPANTS, [row])

    assert refused(texts, people)[0] == f"{people}:2: {message}"


def test_a_participant_signed_here_needs_no_source(db, tmp_path):
    texts = write(tmp_path, "texts.csv", formats.TEXTS, [LETTER])
    people = write(tmp_path, "people.csv", formats.PARTICIPANTS, [["L1", "CHN", "signed", "2019-07-12", "signed", ""]])

    assert import_files([texts, people]).added["participants"] == 1


@pytest.mark.parametrize(
    "row, message",
    [
        (["UNGA", "CHN", "Asia-Pacific States", "2020-01-01", "2022-12-31", "", ""], 'body "UNGA" is not one of HRC'),
        (["HRC", "CHN", "Asian States", "2020-01-01", "2022-12-31", "", ""], 'regional_group "Asian States" is not'),
        (["HRC", "CHN", "Asia-Pacific States", "2022-01-01", "2020-12-31", "", ""], "term_end is before term_start"),
        (
            ["HRC", "CHN", "Asia-Pacific States", "2020-01-01", "2022-12-31", "2023-01-01", ""],
            "suspended_from is outside the term",
        ),
        (
            ["HRC", "CHN", "Asia-Pacific States", "2020-01-01", "2022-12-31", "", "2021-01-01"],
            "suspended_to is given without suspended_from",
        ),
    ],
)
def test_each_membership_term_is_checked(db, tmp_path, row, message):
    members = write(tmp_path, "members.csv", formats.MEMBERS, [row])

    assert refused(members)[0].startswith(f"{members}:2: {message}")


def test_overlapping_terms_of_one_state_are_refused(db, tmp_path):
    members = write(
        tmp_path,
        "members.csv",
        formats.MEMBERS,
        [
            ["HRC", "CHN", "Asia-Pacific States", "2017-01-01", "2019-12-31", "", ""],
            ["HRC", "CHN", "Asia-Pacific States", "2019-01-01", "2021-12-31", "", ""],
        ],
    )

    assert refused(members)[0].startswith(f"{members}:3: the term of China (CHN) from 2019-01-01 overlaps")


def test_a_group_cannot_hold_more_seats_than_it_has(db, tmp_path):
    extra = write(
        tmp_path,
        "more.csv",
        formats.MEMBERS,
        [
            ["HRC", "NOR", "Western European and other States", "2022-01-01", "2022-12-31", "", ""],
        ],
    )

    errors = refused(REAL_COUNCIL[1], extra)

    assert (
        errors[0] == f"{extra}:2: on 2022-01-01 the Council would seat 8 Western European and other States, "
        "more than its 7 seats"
    )
