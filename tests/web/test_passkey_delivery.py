"""Delivering with a passkey from the delivery's confirmation: a penholder holding a passkey of
the penholder reads, beside what the addressee receives, the statement its passkey signs in words
with the delivery hash; the challenge is the SHA-256 of the statement the API serves
(``?action=deliver``); the assertion goes back to the same ``deliver`` as the proof, and the
delivery is recorded as made with the penholder's own key. An assertion over anything else, or
a passkey form without one, delivers nothing. A software authenticator (tests/passkey.py)
stands in for the device."""

import base64
import hashlib
import json

import pytest

from letters.models import Delivery
from record.models import Entry
from tests.conftest import LETTER, make_persona, sign
from tests.passkey import ORIGIN, RP_ID, registered_passkey


@pytest.fixture(autouse=True)
def this_site(settings):
    settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGIN = RP_ID, ORIGIN


@pytest.fixture
def penholder_with_passkey(orgs):
    """Dana drafts for China and signs for it, and holds China's first passkey."""
    persona = make_persona("dana", [("chn", "drafter"), ("chn", "signer")])
    persona.passkey = registered_passkey(persona.user)
    return persona


@pytest.fixture
def closed(penholder, signer, circulating):
    assert sign(signer, circulating).status_code == 201
    assert penholder.api.post(f"/letters/{circulating['id']}/close").status_code == 201
    return circulating


def confirmation(persona, letter) -> str:
    response = persona.web.post(f"/letters/{letter['id']}/deliver", {"version": 1, "review": "1"})
    assert response.status_code == 200, response.content
    return response.content.decode()


def api_statement(persona, letter) -> bytes:
    response = persona.api.get(f"/letters/{letter['id']}/statement", action="deliver", version=1)
    assert response.status_code == 200, response.content
    return response.content


def delivery_challenge(persona, letter, version=1):
    return persona.web.post(
        f"/letters/{letter['id']}/passkey-challenge",
        json.dumps({"action": "deliver", "version": version}),
        content_type="application/json",
    )


def challenge_bytes(answer: dict) -> bytes:
    return base64.urlsafe_b64decode(answer["options"]["challenge"] + "==")


def deliver_with(persona, letter, credential):
    form = {"version": 1, "proof": json.dumps({"kind": "webauthn", "credential": credential})}
    return persona.web.post(f"/letters/{letter['id']}/deliver", form)


def test_the_confirmation_shows_a_penholder_holding_a_passkey_what_it_signs(penholder_with_passkey, closed):
    page = confirmation(penholder_with_passkey, closed)

    delivery_hash = json.loads(api_statement(penholder_with_passkey, closed).split(b"\x00", 1)[1])["delivery"]
    assert f"Deliver version 1 of “{LETTER['title']}” to " in page
    assert "on behalf of China." in page
    assert delivery_hash in page
    assert "Deliver with your passkey" in page and "passkeys.js" in page


def test_the_confirmation_offers_no_passkey_to_a_penholder_without_one(penholder, penholder_with_passkey, closed):
    page = confirmation(penholder, closed)

    assert "Deliver with your passkey" not in page
    assert "passkeys.js" not in page


def test_the_delivery_challenge_is_the_sha256_of_the_statement_the_api_serves(penholder_with_passkey, closed):
    answer = delivery_challenge(penholder_with_passkey, closed)

    assert answer.status_code == 200, answer.content
    assert challenge_bytes(answer.json()) == hashlib.sha256(api_statement(penholder_with_passkey, closed)).digest()
    assert answer.json()["statement"]["action"] == "deliver"
    assert answer.json()["options"]["userVerification"] == "required"


def test_a_penholder_delivers_with_the_passkey_and_the_log_says_so(penholder_with_passkey, closed):
    device = penholder_with_passkey.passkey
    credential = device.assert_(challenge_bytes(delivery_challenge(penholder_with_passkey, closed).json()))

    response = deliver_with(penholder_with_passkey, closed, credential)

    assert response.status_code == 302, response.content.decode()
    delivery = Delivery.objects.get()
    assert delivery.signatories == ["pak"]
    event = json.loads(bytes(Entry.objects.get(index=delivery.log_index).data))
    assert (event["type"], event["key_kind"]) == ("letter.delivered", "webauthn")
    page = penholder_with_passkey.web.get(response["Location"]).content.decode()
    assert "The letter is delivered, with your passkey." in page


def test_an_assertion_over_another_statement_delivers_nothing(penholder_with_passkey, closed):
    signing = penholder_with_passkey.api.get(f"/letters/{closed['id']}/statement", action="sign", version=1)
    credential = penholder_with_passkey.passkey.assert_(hashlib.sha256(signing.content).digest())

    response = deliver_with(penholder_with_passkey, closed, credential)

    assert response.status_code == 422
    assert not Delivery.objects.exists()


def test_a_passkey_form_without_its_assertion_does_not_deliver_with_the_custodial_key(penholder_with_passkey, closed):
    response = penholder_with_passkey.web.post(f"/letters/{closed['id']}/deliver", {"version": 1, "proof": ""})

    assert response.status_code == 422
    assert "The browser sent no passkey." in response.content.decode()
    assert not Delivery.objects.exists()


def test_a_signer_of_another_organisation_gets_no_delivery_challenge(signer, closed):
    registered_passkey(signer.user)  # Pakistan's

    answer = delivery_challenge(signer, closed)

    assert answer.status_code in (403, 404)
    assert "options" not in answer.json()
