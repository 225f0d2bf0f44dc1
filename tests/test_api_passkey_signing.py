"""A passkey signs through the API exactly as through the page: the challenge is the SHA-256 of
the bytes GET /api/v1/letters/{id}/statement serves (the page's challenge is the same), and the
assertion goes in POST /api/v1/letters/{id}/signatures as ``proof: {"kind": "webauthn",
"credential": …}``. A software authenticator (tests/passkey.py) stands in for the device."""

import base64
import hashlib
import json

import pytest

from letters.models import Signature
from orgs import key_actions
from tests.conftest import LETTER
from tests.passkey import ORIGIN, RP_ID, Passkey


@pytest.fixture(autouse=True)
def this_site(settings):
    settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGIN = RP_ID, ORIGIN


@pytest.fixture
def passkey(signer):
    device = Passkey("ES256")
    key_actions.register_key(signer.user, "webauthn", device.public_key_cose, credential_id=device.credential_id)
    return device


def statement_challenge(persona, letter, version=1) -> bytes:
    response = persona.api.get(f"/letters/{letter['id']}/statement", action="sign", version=version)
    assert response.status_code == 200, response.content
    return hashlib.sha256(response.content).digest()


def sign_with(persona, letter, credential):
    return persona.api.post(
        f"/letters/{letter['id']}/signatures",
        {
            "version": 1,
            "version_hash": letter["versions"][0]["hash"],
            "proof": {"kind": "webauthn", "credential": credential},
        },
    )


def test_the_pages_challenge_is_the_sha256_of_the_apis_statement(signer, passkey, circulating):
    page = signer.web.post(
        f"/letters/{circulating['id']}/passkey-challenge",
        json.dumps({"action": "sign", "version": 1, "organisation": "pak"}),
        content_type="application/json",
    ).json()
    challenge = base64.urlsafe_b64decode(page["options"]["challenge"] + "==")
    assert challenge == statement_challenge(signer, circulating)


def test_a_passkey_signs_through_the_api(signer, passkey, circulating):
    response = sign_with(signer, circulating, passkey.assert_(statement_challenge(signer, circulating)))
    assert response.status_code == 201, response.content
    assert Signature.objects.get().organisation.slug == "pak"


def test_an_assertion_replayed_on_another_letter_is_refused_by_the_api(signer, passkey, circulating, penholder):
    other = penholder.api.post("/letters", {**LETTER, "title": "Another letter"}).json()
    assert penholder.api.post(f"/letters/{other['id']}/circulate", {"invitees": ["pak"]}).status_code == 201
    replayed = passkey.assert_(statement_challenge(signer, other))
    response = sign_with(signer, circulating, replayed)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_proof"
    assert not Signature.objects.exists()


def test_an_assertion_for_another_relying_party_is_refused_by_the_api(signer, passkey, circulating):
    credential = passkey.assert_(statement_challenge(signer, circulating), rp_id="evil.example")
    response = sign_with(signer, circulating, credential)
    assert response.status_code == 422
    assert not Signature.objects.exists()
