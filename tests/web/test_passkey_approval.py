"""A passkey added after an organisation's first key waits for approval; a signer holding an
active passkey of the organisation approves it from the passkeys page, after reading what the
approval says, with an assertion over the approval statement. Another statement's assertion, a
signer without an active passkey and an outsider approve nothing. A member revokes their own
lost passkey there too. A software authenticator (tests/passkey.py) stands in for each device."""

import base64
import json

import pytest

from orgs import key_actions
from orgs.models import OwnKey
from record.models import Entry
from tests.conftest import make_persona
from tests.passkey import ORIGIN, RP_ID, Passkey


@pytest.fixture(autouse=True)
def this_site(settings):
    settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGIN = RP_ID, ORIGIN


@pytest.fixture
def colleague(orgs):
    """Pat, a second signer of Pakistan."""
    return make_persona("pat", [("pak", "signer")])


def register(persona) -> tuple[Passkey, OwnKey]:
    device = Passkey("Ed25519")
    outcome = key_actions.register_key(
        persona.user, "webauthn", device.public_key_cose, credential_id=device.credential_id
    )
    return device, outcome.object


@pytest.fixture
def sigrids_passkey(signer):
    return register(signer)


@pytest.fixture
def pats_pending_key(sigrids_passkey, colleague):
    _device, key = register(colleague)
    assert key.status == "pending"
    return key


def challenge(persona, key):
    return persona.web.post(f"/settings/passkeys/{key.id}/challenge", "{}", content_type="application/json")


def approve(persona, key, credential):
    proof = json.dumps({"kind": "webauthn", "credential": credential})
    return persona.web.post(f"/settings/passkeys/{key.id}/approve", {"proof": proof})


def challenge_bytes(answer) -> bytes:
    return base64.urlsafe_b64decode(answer.json()["options"]["challenge"] + "==")


def test_a_signer_with_an_active_passkey_approves_a_colleagues_pending_key(signer, sigrids_passkey, pats_pending_key):
    page = signer.web.get("/settings/passkeys/").content.decode()
    assert f"Approve the key {pats_pending_key.fingerprint} (Passkey) of pat to sign for Pakistan." in page
    assert "Approve with your passkey" in page

    device, sigrids_key = sigrids_passkey
    response = approve(signer, pats_pending_key, device.assert_(challenge_bytes(challenge(signer, pats_pending_key))))
    assert response.status_code == 302, response.content.decode()

    pats_pending_key.refresh_from_db()
    assert pats_pending_key.status == "active"
    logged = json.loads(bytes(Entry.objects.get(index=pats_pending_key.approved_log_index).data))
    assert (logged["type"], logged["approver"], logged["proof_kind"]) == (
        "key.approved",
        sigrids_key.fingerprint,
        "webauthn",
    )


def test_an_assertion_over_another_statement_approves_nothing(signer, sigrids_passkey, pats_pending_key):
    device, _ = sigrids_passkey
    response = approve(signer, pats_pending_key, device.assert_(b"\x00" * 32))
    assert response.status_code == 422
    pats_pending_key.refresh_from_db()
    assert pats_pending_key.status == "pending"


def test_a_signer_without_an_active_passkey_is_told_another_key_must_approve(colleague, pats_pending_key):
    page = colleague.web.get("/settings/passkeys/").content.decode()
    assert "An active key of the organisation must approve it." in page
    answer = challenge(colleague, pats_pending_key)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "no_passkey"


def test_an_outsider_does_not_find_the_key(outsider, pats_pending_key):
    assert challenge(outsider, pats_pending_key).status_code == 404
    assert pats_pending_key.fingerprint not in outsider.web.get("/settings/passkeys/").content.decode()


def test_a_signer_revokes_a_lost_passkey_and_the_revocation_is_on_the_log(signer, sigrids_passkey):
    _device, key = sigrids_passkey
    response = signer.web.post(f"/settings/passkeys/{key.id}/revoke", {"reason": "Phone lost"})
    assert response.status_code == 302, response.content.decode()
    key.refresh_from_db()
    assert key.status == "revoked"
    logged = json.loads(bytes(Entry.objects.get(index=key.revoked_log_index).data))
    assert (logged["type"], logged["fingerprint"], logged["reason"]) == ("key.revoked", key.fingerprint, "Phone lost")


def test_a_colleague_cannot_revoke_a_passkey_from_this_page(colleague, sigrids_passkey):
    """The page revokes the member's own passkeys; an organisation's other keys go through the API."""
    _device, key = sigrids_passkey
    assert colleague.web.post(f"/settings/passkeys/{key.id}/revoke").status_code == 404
    key.refresh_from_db()
    assert key.status == "active"
