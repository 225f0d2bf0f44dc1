"""Signing a letter with a passkey from the letter page: the page shows the statement in words to
a signer holding an active passkey; the challenge is the SHA-256 of the statement's bytes; the
assertion goes back as the proof and the signature is recorded as made with the signer's own key.
An assertion for another letter, another site or without user verification is refused and
nothing is signed. A software authenticator (tests/passkey.py) stands in for the device."""

import base64
import hashlib
import json

import pytest

from ledger import statements
from letters.actions import own_keys
from letters.models import Letter, Signature
from orgs import key_actions
from orgs.models import Organisation
from record.models import Entry
from tests.conftest import LETTER
from tests.passkey import ORIGIN, RP_ID, Passkey


@pytest.fixture(autouse=True)
def this_site(settings):
    settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGIN = RP_ID, ORIGIN


@pytest.fixture
def passkey(signer):
    """Sigrid's passkey, registered for Pakistan (its first key: active)."""
    device = Passkey("ES256")
    key_actions.register_key(signer.user, "webauthn", device.public_key_cose, credential_id=device.credential_id)
    return device


def challenge(persona, letter, organisation="pak", version=1) -> dict:
    return persona.web.post(
        f"/letters/{letter['id']}/passkey-challenge",
        json.dumps({"action": "sign", "version": version, "organisation": organisation}),
        content_type="application/json",
    )


def challenge_bytes(answer: dict) -> bytes:
    return base64.urlsafe_b64decode(answer["options"]["challenge"] + "==")


def sign_with(persona, letter, credential, version=1):
    version_hash = next(v["hash"] for v in letter["versions"] if v["number"] == version)
    form = {
        "version": version,
        "version_hash": version_hash,
        "organisation": "pak",
        "proof": json.dumps({"kind": "webauthn", "credential": credential}),
    }
    return persona.web.post(f"/letters/{letter['id']}/sign-with-passkey", form)


def signed_events(letter) -> list[dict]:
    handle = Letter.objects.get(pk=letter["id"]).handle
    found = [json.loads(bytes(entry.data)) for entry in Entry.objects.filter(handle=handle).order_by("index")]
    return [event for event in found if event["type"] == "signature.signed"]


def test_the_page_shows_a_signer_holding_a_passkey_the_statement_in_words(signer, passkey, circulating):
    page = signer.web.get(f"/letters/{circulating['id']}/").content.decode()
    assert f"Sign version 1 of “{LETTER['title']}” on behalf of Pakistan." in page
    assert circulating["versions"][0]["hash"] in page
    assert "passkeys.js" in page


def test_the_page_offers_no_passkey_to_a_signer_without_one(second_signer, passkey, circulating):
    page = second_signer.web.get(f"/letters/{circulating['id']}/").content.decode()
    assert "Sign with your passkey" not in page
    assert "passkeys.js" not in page


def test_the_challenge_is_the_sha256_of_the_statement_the_signer_signs(signer, passkey, circulating):
    answer = challenge(signer, circulating)
    assert answer.status_code == 200, answer.content
    letter = Letter.objects.get(pk=circulating["id"])
    statement = own_keys.sign_statement(
        letter, Organisation.objects.get(slug="pak"), own_keys.version_to_sign(letter, 1)
    )
    assert challenge_bytes(answer.json()) == hashlib.sha256(statements.statement_bytes(statement)).digest()
    assert answer.json()["options"]["userVerification"] == "required"
    assert answer.json()["options"]["allowCredentials"][0]["id"] == base64.urlsafe_b64encode(
        passkey.credential_id
    ).rstrip(b"=").decode("ascii")


def test_a_signer_signs_with_the_passkey_and_the_log_says_so(signer, passkey, circulating):
    credential = passkey.assert_(challenge_bytes(challenge(signer, circulating).json()))
    response = sign_with(signer, circulating, credential)
    assert response.status_code == 302, response.content.decode()
    assert Signature.objects.get().organisation.slug == "pak"
    assert [event.get("key_kind") for event in signed_events(circulating)] == ["webauthn"]


def test_an_assertion_made_for_another_letter_is_refused(signer, passkey, circulating, penholder):
    other = penholder.api.post("/letters", {**LETTER, "title": "Another letter"}).json()
    penholder.api.post(f"/letters/{other['id']}/circulate", {"invitees": ["pak"]})
    replayed = passkey.assert_(challenge_bytes(challenge(signer, other).json()))
    response = sign_with(signer, circulating, replayed)
    assert response.status_code == 422
    assert not Signature.objects.exists()


def test_an_assertion_made_on_another_site_is_refused(signer, passkey, circulating):
    credential = passkey.assert_(
        challenge_bytes(challenge(signer, circulating).json()), origin="https://undersigned.example.evil"
    )
    assert sign_with(signer, circulating, credential).status_code == 422
    assert not Signature.objects.exists()


def test_an_assertion_without_user_verification_is_refused(signer, passkey, circulating):
    credential = passkey.assert_(challenge_bytes(challenge(signer, circulating).json()), flags=0x01)
    assert sign_with(signer, circulating, credential).status_code == 422
    assert not Signature.objects.exists()


def test_a_form_without_an_assertion_signs_nothing(signer, passkey, circulating):
    response = signer.web.post(
        f"/letters/{circulating['id']}/sign-with-passkey",
        {"version": 1, "version_hash": circulating["versions"][0]["hash"], "organisation": "pak", "proof": ""},
    )
    assert response.status_code == 422
    assert not Signature.objects.exists()


def test_a_signer_without_a_passkey_gets_no_challenge(second_signer, circulating):
    answer = challenge(second_signer, circulating, organisation="cub")
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "no_passkey"


def test_a_viewer_gets_no_challenge(viewer, circulating):
    assert challenge(viewer, circulating).status_code == 403


def test_an_outsider_does_not_find_the_letter(outsider, circulating):
    assert challenge(outsider, circulating, organisation="usa").status_code == 404


# ------------------------------------------------------------------ withdrawing with the passkey


def withdrawal_challenge(persona, letter, organisation="pak"):
    return persona.web.post(
        f"/letters/{letter['id']}/passkey-challenge",
        json.dumps({"action": "withdraw", "organisation": organisation}),
        content_type="application/json",
    )


def withdraw_with(persona, letter, credential):
    form = {
        "organisation": "pak",
        "reason": "new instructions",
        "proof": json.dumps({"kind": "webauthn", "credential": credential}),
    }
    return persona.web.post(f"/letters/{letter['id']}/withdraw-with-passkey", form)


@pytest.fixture
def signed_with_passkey(signer, passkey, circulating):
    credential = passkey.assert_(challenge_bytes(challenge(signer, circulating).json()))
    assert sign_with(signer, circulating, credential).status_code == 302
    return Signature.objects.get()


def test_the_page_shows_a_signer_who_signed_the_withdrawal_in_words(signer, signed_with_passkey, circulating):
    page = signer.web.get(f"/letters/{circulating['id']}/").content.decode()

    assert f"Withdraw the signature of Pakistan on version 1 of “{LETTER['title']}”." in page
    assert "Withdraw with your passkey" in page


def test_the_withdrawal_challenge_is_the_sha256_of_the_withdrawal_statement(signer, signed_with_passkey, circulating):
    answer = withdrawal_challenge(signer, circulating)

    assert answer.status_code == 200, answer.content
    letter = Letter.objects.get(pk=circulating["id"])
    statement = own_keys.withdraw_statement(letter, Organisation.objects.get(slug="pak"), signed_with_passkey)
    assert answer.json()["statement"]["action"] == "withdraw"
    assert challenge_bytes(answer.json()) == hashlib.sha256(statements.statement_bytes(statement)).digest()


def test_a_signer_withdraws_with_the_passkey_and_the_log_says_so(signer, passkey, signed_with_passkey, circulating):
    credential = passkey.assert_(challenge_bytes(withdrawal_challenge(signer, circulating).json()))

    response = withdraw_with(signer, circulating, credential)

    assert response.status_code == 302, response.content.decode()
    signature = Signature.objects.get()
    assert signature.withdrawn_at is not None and signature.withdrawal_reason == "new instructions"
    withdrawal = json.loads(bytes(Entry.objects.get(index=signature.withdrawal_log_index).data))
    assert withdrawal["key_kind"] == "webauthn"


def test_a_signing_assertion_cannot_withdraw(signer, passkey, signed_with_passkey, circulating):
    credential = passkey.assert_(challenge_bytes(challenge(signer, circulating).json()))

    response = withdraw_with(signer, circulating, credential)

    assert response.status_code == 422
    assert Signature.objects.get().withdrawn_at is None


# ------------------------------------------------------------------ acknowledging with the passkey


@pytest.fixture
def addressee_passkey(addressee):
    """Ada's passkey, registered for the Office of the High Commissioner (its first key: active)."""
    device = Passkey("ES256")
    key_actions.register_key(addressee.user, "webauthn", device.public_key_cose, credential_id=device.credential_id)
    return device


@pytest.fixture
def delivered(penholder, signer, circulating):
    signer.api.post(
        f"/letters/{circulating['id']}/signatures", {"version": 1, "version_hash": circulating["current_hash"]}
    )
    assert penholder.api.post(f"/letters/{circulating['id']}/close").status_code == 201
    response = penholder.api.post(f"/letters/{circulating['id']}/deliver", {"version": 1})
    assert response.status_code == 201, response.content
    return response.json()


def acknowledgement_challenge(persona, delivery):
    return persona.web.post(
        f"/letters/{delivery['letter']}/passkey-challenge",
        json.dumps({"action": "acknowledge", "delivery": delivery["id"]}),
        content_type="application/json",
    )


def test_the_delivery_page_shows_the_addressee_holding_a_passkey_the_acknowledgement_in_words(
    addressee, addressee_passkey, delivered
):
    page = addressee.web.get(f"/deliveries/{delivered['id']}/").content.decode()

    assert (
        f"Acknowledge receipt of version 1 of “{LETTER['title']}”, as delivered, on behalf of Office of the High "
        "Commissioner for Human Rights." in page
    )
    assert "Acknowledge with your passkey" in page and "passkeys.js" in page


def test_the_delivery_page_offers_no_passkey_to_an_addressee_without_one(addressee, delivered):
    page = addressee.web.get(f"/deliveries/{delivered['id']}/").content.decode()

    assert "Acknowledge with your passkey" not in page and "passkeys.js" not in page


def test_the_addressee_acknowledges_with_the_passkey_and_the_log_says_so(addressee, addressee_passkey, delivered):
    answer = acknowledgement_challenge(addressee, delivered)
    assert answer.status_code == 200, answer.content
    letter = Letter.objects.get(pk=delivered["letter"])
    statement = own_keys.acknowledge_statement(letter, letter.deliveries.get())
    assert challenge_bytes(answer.json()) == hashlib.sha256(statements.statement_bytes(statement)).digest()
    credential = addressee_passkey.assert_(challenge_bytes(answer.json()))

    response = addressee.web.post(
        f"/deliveries/{delivered['id']}/acknowledge",
        {"proof": json.dumps({"kind": "webauthn", "credential": credential})},
    )

    assert response.status_code == 302, response.content.decode()
    acknowledgement = letter.deliveries.get()
    assert acknowledgement.acknowledged_at is not None
    event = json.loads(bytes(Entry.objects.get(index=acknowledgement.acknowledgement_log_index).data))
    assert event["key_kind"] == "webauthn"


def test_a_signer_of_another_organisation_gets_no_acknowledgement_challenge(signer, passkey, delivered):
    assert acknowledgement_challenge(signer, delivered).status_code == 404
