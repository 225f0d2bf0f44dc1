"""A mission that works from scripts signs with its own SSH key: it fetches the statement's
bytes, signs them with ssh-keygen, posts the proof; the log records the proof, the public counts
say how many signatures were made with keys the signers hold. Any other proof is refused."""

import json

import pytest

from record.models import Entry, Opening
from tests.conftest import sign
from tests.ssh import SshKey, needs_ssh_keygen

pytestmark = needs_ssh_keygen


@pytest.fixture
def key(tmp_path, signer):
    """Pakistan's first key, registered by its signer: active."""
    made = SshKey(tmp_path / "pak")
    assert signer.api.post("/keys", {"kind": "ssh", "public_key": made.public_line}).status_code == 201
    return made


def statement(persona, letter, version=1):
    response = persona.api.get(f"/letters/{letter['id']}/statement", action="sign", version=version)
    assert response.status_code == 200, response.content
    return response.content


def sign_with(persona, letter, proof, version=1):
    shown = persona.api.get(f"/letters/{letter['id']}").json()
    version_hash = next(v["hash"] for v in shown["versions"] if v["number"] == version)
    body = {"version": version, "version_hash": version_hash, "proof": proof}
    return persona.api.post(f"/letters/{letter['id']}/signatures", body)


def sshsig(signature):
    return {"kind": "sshsig", "signature": signature}


def test_a_signer_signs_with_the_ssh_key_it_holds(signer, circulating, key, anonymous):
    proof = sshsig(key.sign(statement(signer, circulating)))

    response = sign_with(signer, circulating, proof)

    assert response.status_code == 201, response.content
    entry = Entry.objects.get(index=response.json()["log_index"])
    event = json.loads(bytes(entry.data))
    assert event["key_kind"] == "sshsig"
    fields = json.loads(Opening.objects.get(entry_id=entry.index).fields_json)
    assert fields["key"] == key.fingerprint and fields["proof"] == proof
    counts = anonymous.get(f"/public/letters/{circulating['handle']}").json()["counts"]
    assert counts[0] | {"hash": None} == {"version": 1, "hash": None, "count": 1, "own_keys": 1}


def test_a_custodial_signature_counts_but_not_as_an_own_key_one(signer, second_signer, circulating, key, anonymous):
    sign_with(signer, circulating, sshsig(key.sign(statement(signer, circulating))))
    assert sign(second_signer, circulating).status_code == 201

    counts = anonymous.get(f"/public/letters/{circulating['handle']}").json()["counts"]

    assert (counts[0]["count"], counts[0]["own_keys"]) == (2, 1)


def test_the_statement_is_the_same_bytes_until_signed_and_names_the_version(signer, circulating, key):
    first, again = statement(signer, circulating), statement(signer, circulating)

    assert first == again
    assert first.startswith(b"undersigned/statement/v1\x00")
    assert json.loads(first.split(b"\x00", 1)[1]) | {"time": None} == {
        "action": "sign",
        "handle": circulating["handle"],
        "org": "pak",
        "version": 1,
        "version_hash": circulating["current_hash"],
        "time": None,
    }


def test_after_a_withdrawal_the_old_proof_cannot_sign_again(signer, circulating, key):
    proof = sshsig(key.sign(statement(signer, circulating)))
    sign_with(signer, circulating, proof)
    assert signer.api.post(f"/letters/{circulating['id']}/withdraw", {}).status_code == 201

    replayed = sign_with(signer, circulating, proof)

    assert replayed.status_code == 422
    assert replayed.json()["error"]["code"] == "invalid_proof"
    again = sign_with(signer, circulating, sshsig(key.sign(statement(signer, circulating))))
    assert again.status_code == 201, again.content


def test_a_signature_in_another_namespace_is_refused(signer, circulating, key):
    response = sign_with(signer, circulating, sshsig(key.sign(statement(signer, circulating), namespace="file")))

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid_proof",
        "message": "the SSH signature was made for namespace 'file', not 'undersigned-sign-v1' "
        "(sign with ssh-keygen -Y sign -n undersigned-sign-v1)",
        "field": "proof",
    }


def test_a_changed_statement_is_refused(signer, circulating, key):
    changed = statement(signer, circulating).replace(b'"version":1', b'"version":2')

    response = sign_with(signer, circulating, sshsig(key.sign(changed)))

    assert response.status_code == 422
    assert "does not verify over the statement" in response.json()["error"]["message"]


def test_a_key_the_organisation_never_registered_is_refused(signer, circulating, key, tmp_path):
    stranger = SshKey(tmp_path / "stranger")

    response = sign_with(signer, circulating, sshsig(stranger.sign(statement(signer, circulating))))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "unknown_key"


def test_another_organisations_key_is_refused(signer, second_signer, circulating, key, tmp_path):
    cuban = SshKey(tmp_path / "cub")
    second_signer.api.post("/keys", {"kind": "ssh", "public_key": cuban.public_line})

    response = sign_with(signer, circulating, sshsig(cuban.sign(statement(signer, circulating))))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "unknown_key"


def test_a_revoked_key_is_refused(signer, circulating, key):
    (registered,) = signer.api.get("/keys").json()
    signer.api.post(f"/keys/{registered['id']}/revoke", {"reason": "rotated out"})

    response = sign_with(signer, circulating, sshsig(key.sign(statement(signer, circulating))))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "key_revoked"


def test_a_pending_key_is_refused(signer, circulating, key, tmp_path):
    later = SshKey(tmp_path / "later")
    assert signer.api.post("/keys", {"kind": "ssh", "public_key": later.public_line}).json()["status"] == "pending"

    response = sign_with(signer, circulating, sshsig(later.sign(statement(signer, circulating))))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "key_pending"


def test_a_proof_of_no_known_kind_is_refused(signer, circulating, key):
    response = sign_with(signer, circulating, {"kind": "pgp", "signature": "…"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_proof"


def test_an_outsider_gets_no_statement(outsider, circulating):
    response = outsider.api.get(f"/letters/{circulating['id']}/statement", action="sign", version=1)

    assert response.status_code == 404
