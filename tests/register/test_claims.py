"""A claim is saved with its verdict under an unguessable public link, and explained in plain
words in the reader's language."""

import pytest
from django.utils import translation

from register import formats
from register.claims import assess, claim_path, explain, save_claim
from register.importer import import_files
from register.models import Claim
from register.tally import TextFacts
from tests.register.conftest import COUNTERLETTER_2019, write


def facts(name, live=(), reported=None, title=""):
    return TextFacts(name, "joint_statement", frozenset(live), reported, has_list=bool(live), title=title)


def test_the_explanation_says_what_the_record_names_and_why_the_claim_cannot_be_checked():
    texts = [
        facts("L", {f"S{i}" for i in range(47)}, title="The letter"),
        facts("S", (), 69, title="The statement"),
        facts("X", title="The other letter"),
    ]

    words = explain(100, texts)

    assert words == (
        "The record names 47 States. “The statement” gives a count of 69 States and lists none. "
        "“The other letter” has neither a list nor a count. A claim of 100 cannot be checked: the record "
        "shows at least 69 States, and a text with neither a list nor a count leaves no upper limit."
    )


def test_the_explanation_of_a_consistent_claim_says_it_rests_on_counts_nobody_listed():
    words = explain(60, [facts("L", {"A", "B"}, 50, title="Letter")])

    assert words == (
        "The record names 2 States. “Letter” lists 2 of the 50 States it counts. A claim of 60 exceeds "
        "the record, which allows at most 50 States."
    )
    assert explain(40, [facts("L", {"A", "B"}, 50, title="Letter")]).endswith(
        "A claim of 40 is below the record, which shows at least 50 States."
    )
    assert explain(50, [facts("L", {"A", "B"}, 50, title="Letter"), facts("M", {"C"}, 3, title="M")]).endswith(
        "A claim of 50 is consistent with the record, which allows from 50 to 53 States. Beyond the 3 States named, "
        "it rests on counts nobody has listed."
    )


def test_one_state_is_singular():
    assert explain(1, [facts("L", {"A"})]).startswith("The record names 1 State. ")


@pytest.mark.parametrize(
    "language, start",
    [
        ("fr", "Le registre nomme 47 États."),
        ("es", "El registro nombra 47 Estados."),
        ("ru", "В реестре названо 47 государств."),
        ("zh-hans", "记录列出了47个国家。"),
        ("ar", "يذكر السجل 47 دولة."),
    ],
)
def test_the_explanation_is_translated(language, start):
    with translation.override(language):
        words = explain(100, [facts("L", {f"S{i}" for i in range(47)}), facts("X")])

    assert words.startswith(start)


def test_a_saved_claim_keeps_its_verdict_and_has_an_unguessable_link(letters_2019):
    claim, created = save_claim("about 50 countries", 50, [COUNTERLETTER_2019])

    assert created
    assert (claim.verdict, claim.lower, claim.upper, claim.rests_on_reported) == ("consistent", 50, 50, False)
    assert len(claim.id) == 16 and claim_path(claim.id) == f"/register/claims/{claim.id}"
    assert save_claim("about 50 countries", 50, [COUNTERLETTER_2019]) == (claim, False)
    assert save_claim("about 50 countries", 51, [COUNTERLETTER_2019])[1] is True


def test_a_claim_checked_again_after_the_record_changed_gets_a_new_link(letters_2019, tmp_path):
    first, _ = save_claim("50", 50, [COUNTERLETTER_2019])
    import_files(
        [
            write(
                tmp_path,
                "p.csv",
                formats.PARTICIPANTS,
                [[COUNTERLETTER_2019, "QAT", "joined", "2019-08-01", "reported", "imagined for the test"]],
            ),
            write(
                tmp_path,
                "t.csv",
                formats.TEXTS,
                [
                    [
                        COUNTERLETTER_2019,
                        "joint_letter",
                        "HRC",
                        "41",
                        "2019-07-12",
                        "Letter to the President of the Human Rights Council and the High "
                        "Commissioner in support of China",
                        "",
                        "A/HRC/41/G/17",
                        "Xinjiang",
                        "51",
                        "A/HRC/41/G/17 (50 States); The Diplomat (37 States on 12 July 2019)",
                    ]
                ],
            ),
        ]
    )

    second, created = save_claim("50", 50, [COUNTERLETTER_2019])

    assert created and second.id != first.id
    assert (Claim.objects.get(id=first.id).lower, second.lower) == (50, 51)


def test_assess_names_unknown_texts(letters_2019):
    from register.queries import UnknownTexts

    with pytest.raises(UnknownTexts) as refused:
        assess(1, [COUNTERLETTER_2019, "nope"])
    assert refused.value.details["texts"] == ["nope"]
