"""Names stay confidential until publication: for every persona and every endpoint that shows a
letter (API, pages, fragments, bundles, the public record, mail), the whole answer is searched
for each signatory the persona may not see.

The signatories have slugs and names that cannot occur by chance in hashes, base64 or handles,
so a search of the raw bytes is exact.
"""

import pytest
from django.core import mail
from django.test import Client

from orgs.actions import add_organisation
from tests.conftest import LETTER, ApiClient, make_persona, sign

# Each signatory: (slug, name). The hyphenated slugs and spaced names never appear in base64.
FIRST = ("signatory-one", "Republic of Firstland")
SECOND = ("signatory-two", "Kingdom of Secondland")
THIRD = ("signatory-three", "Union of Thirdland")  # invited, does not sign


@pytest.fixture
def people(orgs, penholder, penholder_signer, addressee, outsider):
    for slug, name in (FIRST, SECOND, THIRD):
        add_organisation(slug, name, "state", "", "Asia-Pacific States")
    return {
        "penholder": penholder,
        "penholder_signer": penholder_signer,
        "addressee": addressee,
        "outsider": outsider,
        "first_signer": make_persona("first-signer", [(FIRST[0], "signer")]),
        "first_viewer": make_persona("first-viewer", [(FIRST[0], "viewer")]),
        "second_signer": make_persona("second-signer", [(SECOND[0], "signer")]),
        "invited_not_signed": make_persona("third-signer", [(THIRD[0], "signer")]),
    }


def delivered_letter(people, names_visible_to):
    """A letter circulated to three organisations, signed by two, delivered, not published."""
    penholder = people["penholder"]
    letter = penholder.api.post("/letters", LETTER).json()
    circulated = penholder.api.post(
        f"/letters/{letter['id']}/circulate",
        {"invitees": [FIRST[0], SECOND[0], THIRD[0]], "names_visible_to": names_visible_to},
    )
    assert circulated.status_code == 201, circulated.content
    for persona in ("first_signer", "second_signer"):
        assert sign(people[persona], letter).status_code == 201
    delivery = penholder.api.post(f"/letters/{letter['id']}/deliver", {"version": 1})
    assert delivery.status_code == 201, delivery.content
    return {**letter, "delivery": delivery.json()["id"]}


def answers(persona, letter) -> dict[str, bytes]:
    """Every answer that shows something of the letter, as this persona gets it."""
    api = persona.api if persona else ApiClient()
    web = persona.web if persona else Client()
    letter_id, handle, delivery = letter["id"], letter["handle"], letter["delivery"]
    found = {}
    for path in (
        "/letters",
        f"/letters/{letter_id}",
        f"/letters/{letter_id}/versions",
        f"/letters/{letter_id}/versions/1",
        f"/letters/{letter_id}/bundle",
        f"/public/letters/{handle}",
        f"/public/letters/{handle}/bundle",
    ):
        found[f"api {path}"] = api.get(path).content
    found["api diff"] = api.get(f"/letters/{letter_id}/diff", **{"from": 1, "to": 1}).content
    for path in (
        "/",
        f"/letters/{letter_id}/",
        f"/letters/{letter_id}/live",
        f"/letters/{letter_id}/diff?from=1&to=1",
        f"/deliveries/{delivery}/",
        f"/p/{handle}",
        f"/p/{handle}.pdf",
        "/check?text=The+assessment",
    ):
        found[f"web {path}"] = web.get(path).content
    return found


def hidden_from(persona_name: str, names_visible_to: str) -> list[tuple[str, str]]:
    """The signatories this persona may not see before publication."""
    sees_all = {"penholder", "penholder_signer", "addressee"}
    if names_visible_to == "invitees":
        sees_all |= {"first_signer", "first_viewer", "second_signer", "invited_not_signed"}
    if persona_name in sees_all:
        return []
    own = {"first_signer": FIRST, "first_viewer": FIRST, "second_signer": SECOND}.get(persona_name)
    return [signatory for signatory in (FIRST, SECOND) if signatory != own]


PERSONAS = [
    "penholder",
    "penholder_signer",
    "first_signer",
    "first_viewer",
    "second_signer",
    "invited_not_signed",
    "outsider",
    "addressee",
    "anonymous",
]


@pytest.mark.parametrize("names_visible_to", ["penholder", "invitees"])
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_no_answer_names_a_signatory_the_persona_may_not_see(people, persona_name, names_visible_to):
    letter = delivered_letter(people, names_visible_to)
    persona = people.get(persona_name)

    leaks = [
        (where, text)
        for where, body in answers(persona, letter).items()
        for signatory in hidden_from(persona_name, names_visible_to)
        for text in signatory
        if text.encode() in body
    ]

    assert leaks == []


def test_a_signatory_still_sees_its_own_signature(people):
    letter = delivered_letter(people, "penholder")

    shown = people["first_signer"].api.get(f"/letters/{letter['id']}").json()

    assert [s["organisation"] for s in shown["signatures"]] == [FIRST[0]]
    assert shown["deliveries"][0]["count"] == 2
    assert shown["deliveries"][0]["signatories"] is None


def test_those_who_may_see_names_get_the_delivered_list(people):
    letter = delivered_letter(people, "penholder")

    for persona in ("penholder", "addressee"):
        shown = people[persona].api.get(f"/letters/{letter['id']}").json()
        assert shown["deliveries"][0]["signatories"] == [FIRST[0], SECOND[0]]


def test_mail_about_the_letter_names_no_signatory(people, django_capture_on_commit_callbacks):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        delivered_letter(people, "penholder")

    assert mail.outbox, "the invitations and the delivery send mail"
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert not any(name in text for signatory in (FIRST, SECOND) for name in signatory)
