"""This platform's letters are texts of the register with provenance `signed`: their proven
count from circulation on, their names from publication on, nothing confidential before."""

import datetime

import pytest

from register.models import Participant, Text
from register.platform import Signatory, record_letter, text_identifier
from register.queries import tally, text_detail

DAY = datetime.date(2022, 6, 28)
SOURCE = "https://undersigned.example/p/abc"


def letter(status, counts=None, signatories=(), **extra):
    return record_letter(
        handle="abc",
        status=status,
        circulated_on=DAY,
        counts=counts or {1: 2},
        source=SOURCE,
        title="Joint letter on the assessment",
        lead="CHN",
        forum="OHCHR",
        topic="Xinjiang",
        signatories=signatories,
        **extra,
    )


SIGNED = [Signatory("PAK", "signed", DAY), Signatory("CUB", "signed", DAY + datetime.timedelta(days=1))]


def test_a_draft_is_not_in_the_register(db):
    assert letter("draft") is None
    assert not Text.objects.exists()


def test_a_circulating_letter_shows_its_proven_count_and_nothing_confidential(db):
    text = letter("circulating", counts={1: 1, 2: 1}, signatories=SIGNED)

    assert text.identifier == text_identifier("abc") == "letter:abc"
    assert (text.kind, text.reported_count, text.date, text.source) == ("joint_letter", 2, DAY, SOURCE)
    assert (text.title, text.lead_id, text.topic, text.forum_id) == ("", None, "", None)
    assert not Participant.objects.exists()


def test_a_published_letter_names_its_signatories_with_provenance_signed(db):
    letter("circulating")

    text = letter("published", signatories=SIGNED)

    detail = text_detail(text.identifier)
    assert (detail["title"], detail["lead"], detail["forum"], detail["topic"]) == (
        "Joint letter on the assessment",
        "CHN",
        "OHCHR",
        "Xinjiang",
    )
    assert [(p["country"], p["event"], p["date"], p["provenance"], p["source"]) for p in detail["participants"]] == [
        ("PAK", "signed", "2022-06-28", "signed", SOURCE),
        ("CUB", "signed", "2022-06-29", "signed", SOURCE),
    ]
    assert detail["live"] == ["CUB", "PAK"] and detail["reported_count"] == 2


def test_a_late_signature_and_a_withdrawal_after_publication_keep_the_register_in_step(db):
    letter("published", signatories=SIGNED)
    later = DAY + datetime.timedelta(days=10)

    letter(
        "published",
        counts={1: 2},
        signatories=[*SIGNED, Signatory("QAT", "joined", later), Signatory("PAK", "withdrew", later)],
    )

    detail = text_detail("letter:abc")
    assert detail["live"] == ["CUB", "QAT"]
    assert [(p["country"], p["event"]) for p in detail["participants"]] == [
        ("PAK", "signed"),
        ("CUB", "signed"),
        ("PAK", "withdrew"),
        ("QAT", "joined"),
    ]  # by date, then name


def test_calling_it_again_with_the_same_values_changes_nothing(db):
    letter("published", signatories=SIGNED)
    before = list(Participant.objects.order_by("id").values())

    letter("published", signatories=SIGNED)

    assert list(Participant.objects.order_by("id").values()) == before


def test_an_abandoned_letter_leaves_the_register(db):
    letter("circulating")

    assert letter("abandoned") is None
    assert not Text.objects.exists()


def test_a_count_below_the_names_is_a_mistake_of_the_caller(db):
    with pytest.raises(ValueError):
        letter("published", counts={1: 1}, signatories=SIGNED)


def test_an_event_a_letter_cannot_have_is_refused(db):
    with pytest.raises(ValueError):
        letter("published", signatories=[Signatory("PAK", "cosponsor", DAY)])


def test_a_platform_letter_is_tallied_like_any_text(db):
    letter("circulating", counts={1: 5})

    result = tally(["letter:abc"])

    assert (result["lower"], result["upper"], result["rests_on_reported"]) == (5, 5, True)


def test_the_signing_path_sets_the_counts_of_many_letters_in_one_statement(db, django_assert_num_queries):
    from register.platform import set_proven_counts

    letter("circulating", counts={1: 2})
    record_letter(handle="def", status="circulating", circulated_on=DAY, counts={1: 0}, source=SOURCE)

    with django_assert_num_queries(1):
        updated = set_proven_counts({"abc": 3, "def": 1, "a-draft": 7})

    assert updated == 2
    assert dict(Text.objects.values_list("identifier", "reported_count")) == {"letter:abc": 3, "letter:def": 1}
    assert set_proven_counts({}) == 0
