"""Keys the signer holds, through the API: a signer registers an SSH Ed25519 key, the first of
its organisation active at once, a later one pending until an active key approves it; keys
rotate and are revoked; every step is an event on the log, listed publicly by organisation."""

import pytest

from record.models import Entry
from tests.ssh import SshKey, needs_ssh_keygen

pytestmark = needs_ssh_keygen


@pytest.fixture
def first_key(tmp_path):
    return SshKey(tmp_path / "first")


@pytest.fixture
def second_key(tmp_path):
    return SshKey(tmp_path / "second")


def register(persona, key: SshKey):
    return persona.api.post("/keys", {"kind": "ssh", "public_key": key.public_line})


def approval(persona, pending: dict, by: SshKey, action="approve"):
    """Fetch the statement approving ``pending``, sign it with ``by`` as ssh-keygen would, post it."""
    query = {"action": action} | ({"replaces": by.fingerprint} if action == "rotate" else {})
    statement = persona.api.get(f"/keys/{pending['id']}/statement", **query)
    assert statement.status_code == 200, statement.content
    assert statement["Content-Type"] == "application/octet-stream"
    proof = {"kind": "sshsig", "signature": by.sign(statement.content)}
    return persona.api.post(f"/keys/{pending['id']}/{action}", {"proof": proof})


def test_a_signers_first_key_is_active_and_registered_on_the_log(signer, first_key):
    response = register(signer, first_key)

    assert response.status_code == 201, response.content
    key = response.json()
    assert (key["organisation"], key["kind"], key["status"]) == ("pak", "ssh", "active")
    assert key["fingerprint"] == first_key.fingerprint
    (event,) = key["events"]
    assert event["type"] == "key.registered"
    assert Entry.objects.get(index=event["index"]).type == "key.registered"


def test_registering_the_same_key_again_answers_the_same_key(signer, first_key):
    first = register(signer, first_key)
    again = register(signer, first_key)

    assert again.status_code == 200
    assert again.json() == first.json()


def test_another_member_cannot_register_a_key_already_registered(signer, second_signer, first_key):
    register(signer, first_key)

    response = register(second_signer, first_key)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate_key"


def test_a_later_key_is_pending_until_an_active_key_approves_it(signer, first_key, second_key):
    register(signer, first_key)
    pending = register(signer, second_key).json()
    assert pending["status"] == "pending"

    response = approval(signer, pending, by=first_key)

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "active"
    assert [e["type"] for e in response.json()["events"]] == ["key.registered", "key.approved"]


def test_a_pending_key_cannot_approve_itself(signer, first_key, second_key):
    register(signer, first_key)
    pending = register(signer, second_key).json()

    response = approval(signer, pending, by=second_key)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "key_pending"


def test_an_approval_signed_in_another_namespace_is_refused(signer, first_key, second_key):
    register(signer, first_key)
    pending = register(signer, second_key).json()
    statement = signer.api.get(f"/keys/{pending['id']}/statement").content

    proof = {"kind": "sshsig", "signature": first_key.sign(statement, namespace="file")}
    response = signer.api.post(f"/keys/{pending['id']}/approve", {"proof": proof})

    assert response.status_code == 422
    assert "namespace 'file'" in response.json()["error"]["message"]


def test_a_key_of_another_organisation_cannot_approve(signer, second_signer, first_key, second_key, tmp_path):
    register(signer, first_key)
    pending = register(signer, second_key).json()
    cuban = SshKey(tmp_path / "cuban")
    register(second_signer, cuban)

    response = approval(signer, pending, by=cuban)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "unknown_key"


def test_a_rotation_activates_the_new_key_and_revokes_the_old_one(signer, first_key, second_key):
    register(signer, first_key)
    pending = register(signer, second_key).json()

    response = approval(signer, pending, by=first_key, action="rotate")

    assert response.status_code == 201, response.content
    keys = {k["fingerprint"]: k for k in signer.api.get("/public/orgs/pak/keys").json()}
    assert keys[first_key.fingerprint]["status"] == "revoked"
    assert keys[second_key.fingerprint]["status"] == "active"
    assert keys[first_key.fingerprint]["events"][-1]["type"] == "key.rotated"


def test_repeating_a_rotation_answers_what_the_first_made(signer, first_key, second_key):
    register(signer, first_key)
    pending = register(signer, second_key).json()
    statement = signer.api.get(f"/keys/{pending['id']}/statement", action="rotate", replaces=first_key.fingerprint)
    body = {"proof": {"kind": "sshsig", "signature": first_key.sign(statement.content)}}
    first = signer.api.post(f"/keys/{pending['id']}/rotate", body)

    again = signer.api.post(f"/keys/{pending['id']}/rotate", body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Entry.objects.filter(type="key.rotated").count() == 1


def test_a_rotated_key_cannot_be_rotated_in_again_by_another_proof(signer, first_key, second_key, tmp_path):
    register(signer, first_key)
    pending = register(signer, second_key).json()
    approval(signer, pending, by=first_key, action="rotate")
    stranger = SshKey(tmp_path / "stranger")

    statement = signer.api.get(f"/keys/{pending['id']}/statement", action="rotate", replaces=first_key.fingerprint)
    response = signer.api.post(
        f"/keys/{pending['id']}/rotate", {"proof": {"kind": "sshsig", "signature": stranger.sign(statement.content)}}
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "key_not_pending"


def test_a_revoked_key_cannot_approve(signer, first_key, second_key):
    first = register(signer, first_key).json()
    pending = register(signer, second_key).json()
    assert signer.api.post(f"/keys/{first['id']}/revoke", {"reason": "laptop stolen"}).status_code == 201

    response = approval(signer, pending, by=first_key)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "key_revoked"


def test_the_public_lists_an_organisations_keys_with_their_events(anonymous, signer, first_key):
    register(signer, first_key)

    response = anonymous.get("/public/orgs/pak/keys")

    assert response.status_code == 200
    (key,) = response.json()
    assert (key["kind"], key["fingerprint"], key["status"]) == ("ssh", first_key.fingerprint, "active")
    assert key["public_key"].split()[:2] == first_key.public_line.split()[:2]
    assert key["events"][0] == {"type": "key.registered", "index": key["log_index"]}
    assert anonymous.get("/public/orgs/nowhere/keys").status_code == 404


@pytest.mark.parametrize(
    ("public_key", "status", "code"),
    [
        ("ssh-ed25519 AAAA", 422, "invalid_key"),
        ("ssh-ed25519 AAAA " + "x" * 2000, 422, "too_large"),
    ],
)
def test_a_malformed_or_oversized_key_is_refused(signer, public_key, status, code):
    response = signer.api.post("/keys", {"kind": "ssh", "public_key": public_key})

    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_an_rsa_key_is_refused_as_unsupported(signer, tmp_path):
    response = register(signer, SshKey(tmp_path / "rsa", kind="rsa"))

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unsupported_key"
    assert "ssh-keygen -t ed25519" in response.json()["error"]["message"]


def test_a_viewer_or_the_anonymous_cannot_register_a_key(viewer, anonymous, first_key):
    assert register(viewer, first_key).status_code == 403
    assert anonymous.post("/keys", {"kind": "ssh", "public_key": first_key.public_line}).status_code == 401


def test_an_outsider_cannot_revoke_another_organisations_key(signer, outsider, first_key):
    key = register(signer, first_key).json()

    assert outsider.api.post(f"/keys/{key['id']}/revoke", {}).status_code == 404


def test_an_approval_whose_ssh_signature_does_not_parse_is_refused_as_invalid(signer, first_key, second_key):
    register(signer, first_key)
    pending = register(signer, second_key).json()

    response = signer.api.post(f"/keys/{pending['id']}/approve", {"proof": {"kind": "sshsig", "signature": "no"}})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_proof"


def test_a_key_id_no_row_can_have_is_not_found(signer):
    assert signer.api.post(f"/keys/{2**64}/revoke", {}).status_code == 404
    assert signer.api.get(f"/keys/{2**64}/statement").status_code == 404
