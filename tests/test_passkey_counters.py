"""A passkey counts its assertions (WebAuthn §6.1.1, §7.2 step 21): the server keeps each
passkey's latest count, from its registration on, and refuses an assertion that does not count
higher (one made before, or by a copy of the key) with 409 ``passkey_counter``, through the API
and on the letter page, recording nothing. A passkey that counts nothing (always 0) signs as
before. Offline, a bundle in which a passkey's counts fall from one assertion to the next, in log
order, fails at the signatures step. A software authenticator (tests/passkey.py) stands in for
the device."""

import hashlib
import json
import re

import pytest

from ledger.errors import SignatureError
from ledger.verify import verify_bundle
from letters.models import Signature
from orgs.models import OwnKey
from tests.conftest import LETTER
from tests.dishonest_server import log_own_key_withdrawal
from tests.passkey import ORIGIN, RP_ID, registered_passkey


@pytest.fixture(autouse=True)
def this_site(settings):
    settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGIN = RP_ID, ORIGIN


@pytest.fixture
def passkey(signer):
    """Sigrid's passkey, Pakistan's first key (active), made by an authenticator that counts."""
    return registered_passkey(signer.user)


@pytest.fixture
def another_letter(penholder, circulating):
    letter = penholder.api.post("/letters", {**LETTER, "title": "Another letter"}).json()
    assert penholder.api.post(f"/letters/{letter['id']}/circulate", {"invitees": ["pak"]}).status_code == 201
    return penholder.api.get(f"/letters/{letter['id']}").json()


def challenge(persona, letter, **params) -> bytes:
    response = persona.api.get(f"/letters/{letter['id']}/statement", **(params or {"action": "sign", "version": 1}))
    assert response.status_code == 200, response.content
    return hashlib.sha256(response.content).digest()


def signature_body(persona, letter, device, count: int) -> dict:
    """Version 1 of the letter signed with ``device``, its assertion counting ``count``."""
    return {
        "version": 1,
        "version_hash": letter["versions"][0]["hash"],
        "proof": {"kind": "webauthn", "credential": device.assert_(challenge(persona, letter), sign_count=count)},
    }


def sign_counting(persona, letter, device, count: int):
    return persona.api.post(f"/letters/{letter['id']}/signatures", signature_body(persona, letter, device, count))


def bundle_of(persona, letter):
    response = persona.api.get(f"/letters/{letter['id']}/bundle")
    assert response.status_code == 200, response.content
    return response.json()


def test_an_assertion_counting_no_higher_than_the_passkeys_last_is_refused_by_the_api(
    signer, passkey, circulating, another_letter
):
    assert sign_counting(signer, circulating, passkey, 5).status_code == 201

    copied = sign_counting(signer, another_letter, passkey, 5)

    assert copied.status_code == 409, copied.content
    error = copied.json()["error"]
    assert error["code"] == "passkey_counter"
    assert "counter is 5, not above 5" in error["message"]
    assert not Signature.objects.filter(letter_id=another_letter["id"]).exists()
    assert OwnKey.objects.get().sign_count == 5


def test_the_refusal_reads_in_the_signers_language(signer, passkey, circulating, another_letter):
    sign_counting(signer, circulating, passkey, 5)

    response = signer.api.client.post(
        f"/api/v1/letters/{another_letter['id']}/signatures",
        json.dumps(signature_body(signer, another_letter, passkey, 2)),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
        **signer.api.headers,
    )

    assert response.status_code == 409
    message = response.json()["error"]["message"]
    assert message.startswith("Le compteur de signatures de la clé d’accès vaut 2, sans dépasser 5,")


def test_the_next_count_signs_after_a_refusal(signer, passkey, circulating, another_letter):
    sign_counting(signer, circulating, passkey, 5)
    assert sign_counting(signer, another_letter, passkey, 3).status_code == 409

    response = sign_counting(signer, another_letter, passkey, 6)

    assert response.status_code == 201, response.content
    assert OwnKey.objects.get().sign_count == 6


def test_the_count_starts_from_the_one_the_passkey_was_registered_with(second_signer, circulating):
    device = registered_passkey(second_signer.user, "Ed25519", sign_count=9)

    assert sign_counting(second_signer, circulating, device, 9).status_code == 409
    assert sign_counting(second_signer, circulating, device, 10).status_code == 201


def test_a_passkey_that_counts_nothing_signs_again(signer, passkey, circulating, another_letter):
    """Many synced passkeys report 0 every time: nothing can be told from their counter."""
    for letter in (circulating, another_letter):
        response = sign_counting(signer, letter, passkey, 0)
        assert response.status_code == 201, response.content


def test_the_letter_page_says_why_an_assertion_that_does_not_count_higher_is_refused(
    signer, passkey, circulating, another_letter
):
    sign_counting(signer, another_letter, passkey, 5)
    form = {
        "version": 1,
        "version_hash": circulating["versions"][0]["hash"],
        "organisation": "pak",
        "proof": json.dumps(
            {"kind": "webauthn", "credential": passkey.assert_(challenge(signer, circulating), sign_count=4)}
        ),
    }

    page = signer.web.post(f"/letters/{circulating['id']}/sign-with-passkey", form)

    assert page.status_code == 409
    assert "counter is 4, not above 5" in page.content.decode()
    assert not Signature.objects.filter(letter_id=circulating["id"]).exists()


def test_a_bundle_whose_rising_counts_the_server_accepted_verifies(signer, passkey, circulating):
    sign_counting(signer, circulating, passkey, 5)
    withdrawal = passkey.assert_(challenge(signer, circulating, action="withdraw"), sign_count=6)
    response = signer.api.post(
        f"/letters/{circulating['id']}/withdraw", {"proof": {"kind": "webauthn", "credential": withdrawal}}
    )
    assert response.status_code == 201, response.content

    report = verify_bundle(bundle_of(signer, circulating))

    assert [step.detail for step in report.steps if step.number == 5] == ["2 statements verified"]


def test_a_bundle_in_which_a_passkeys_count_falls_fails_offline(signer, passkey, circulating):
    """A dishonest server logs a withdrawal made with a copy of the passkey, whose count is
    behind the original's: the server should have refused it; the verifier does."""
    signed = sign_counting(signer, circulating, passkey, 5).json()
    statement = signer.api.get(f"/letters/{circulating['id']}/statement", action="withdraw").content
    copy = passkey.assert_(hashlib.sha256(statement).digest(), sign_count=2)
    key = OwnKey.objects.get()
    statement_time = json.loads(statement.split(b"\x00", 1)[1])["time"]
    proof = {"kind": "webauthn", "credential": copy, "rp_id": RP_ID, "origin": ORIGIN}
    log_own_key_withdrawal(circulating, signed["log_index"], signer.username, key, statement_time, proof)

    fingerprint = re.escape(key.fingerprint)  # base64 may hold "+", which a pattern reads as a repeat
    with pytest.raises(SignatureError, match=rf"index \d+: passkey {fingerprint} counted 2, not above 5"):
        verify_bundle(bundle_of(signer, circulating))
