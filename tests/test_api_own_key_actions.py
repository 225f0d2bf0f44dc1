"""A mission that signs with its own SSH key also withdraws with it, a penholder delivers with
its own, and the addressee acknowledges with its own: each fetches the statement's bytes
(GET /letters/{id}/statement?action=withdraw|deliver|acknowledge), signs them with ssh-keygen
and posts the proof. The log keeps the proof and the key instead of a custodial signature, and
the bundle verifies offline. A wrong, pending or revoked key, a changed statement or a replayed
proof is refused, as it is when signing."""

import json

import pytest

from ledger import statements
from ledger.errors import SignatureError
from ledger.verify import verify_bundle
from orgs.models import OwnKey
from record.models import Entry, Opening
from tests.conftest import make_persona, sign
from tests.dishonest_server import log_own_key_withdrawal
from tests.ssh import SshKey, needs_ssh_keygen

pytestmark = needs_ssh_keygen


def register(persona, key):
    response = persona.api.post("/keys", {"kind": "ssh", "public_key": key.public_line})
    assert response.status_code in (200, 201), response.content
    return response.json()


@pytest.fixture
def pak_key(tmp_path, signer):
    """Pakistan's first key, registered by its signer: active."""
    key = SshKey(tmp_path / "pak")
    register(signer, key)
    return key


@pytest.fixture
def penholder_with_key(orgs, tmp_path):
    """A drafter of China who also signs for it, and holds China's first key."""
    persona = make_persona("dana", [("chn", "drafter"), ("chn", "signer")])
    persona.key = SshKey(tmp_path / "chn")
    register(persona, persona.key)
    return persona


@pytest.fixture
def addressee_key(tmp_path, addressee):
    """The addressee's first key, registered by its signer."""
    key = SshKey(tmp_path / "ohchr")
    register(addressee, key)
    return key


def statement(persona, letter, **params):
    response = persona.api.get(f"/letters/{letter['id']}/statement", **params)
    assert response.status_code == 200, response.content
    return response.content


def statement_fields(message: bytes) -> dict:
    return json.loads(message.split(b"\x00", 1)[1])


def sshsig(signature):
    return {"kind": "sshsig", "signature": signature}


def withdraw_with(persona, letter, proof):
    return persona.api.post(f"/letters/{letter['id']}/withdraw", {"reason": "instructions changed", "proof": proof})


def last_index():
    return Entry.objects.order_by("-index").values_list("index", flat=True).first()


def logged(log_index):
    event = json.loads(bytes(Entry.objects.get(index=log_index).data))
    fields = json.loads(Opening.objects.get(entry_id=log_index).fields_json)
    return event, fields


@pytest.fixture
def signed(signer, circulating):
    response = sign(signer, circulating)
    assert response.status_code == 201, response.content
    return response.json()


def deliver_with(persona, letter, proof):
    return persona.api.post(f"/letters/{letter['id']}/deliver", {"version": 1, "proof": proof})


@pytest.fixture
def closed(penholder, circulating, signed):
    assert penholder.api.post(f"/letters/{circulating['id']}/close").status_code == 201
    return circulating


@pytest.fixture
def delivered(penholder, closed):
    response = penholder.api.post(f"/letters/{closed['id']}/deliver", {"version": 1})
    assert response.status_code == 201, response.content
    return response.json()


# ------------------------------------------------------------------ withdrawing


def test_a_signer_withdraws_with_the_ssh_key_it_holds(signer, circulating, signed, pak_key):
    proof = sshsig(pak_key.sign(statement(signer, circulating, action="withdraw")))

    response = withdraw_with(signer, circulating, proof)

    assert response.status_code == 201, response.content
    event, fields = logged(last_index())
    assert event["type"] == "signature.withdrawn" and event["key_kind"] == "sshsig"
    assert fields["proof"] == proof and fields["key"] == pak_key.fingerprint and "signature" not in fields
    assert fields["reason"] == "instructions changed"


def test_withdrawing_again_answers_what_the_first_withdrawal_made(signer, circulating, signed, pak_key):
    proof = sshsig(pak_key.sign(statement(signer, circulating, action="withdraw")))
    first = withdraw_with(signer, circulating, proof)

    again = withdraw_with(signer, circulating, proof)

    assert again.status_code == 200
    assert again.json() == first.json()


def test_the_withdrawal_statement_names_the_signature_and_its_time(signer, circulating, signed, pak_key):
    first, again = statement(signer, circulating, action="withdraw"), statement(signer, circulating, action="withdraw")

    signature_event, _ = logged(signed["log_index"])
    assert first == again
    assert statement_fields(first) == {
        "action": "withdraw",
        "handle": circulating["handle"],
        "org": "pak",
        "signature": signed["log_index"],
        "time": signature_event["time"],
    }


def test_a_signer_who_has_not_signed_gets_no_withdrawal_statement(signer, circulating, pak_key):
    response = signer.api.get(f"/letters/{circulating['id']}/statement", action="withdraw")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_signed"


def test_a_signing_proof_cannot_withdraw(signer, circulating, pak_key):
    signing = sshsig(pak_key.sign(statement(signer, circulating, action="sign", version=1)))
    body = {"version": 1, "version_hash": circulating["current_hash"], "proof": signing}
    assert signer.api.post(f"/letters/{circulating['id']}/signatures", body).status_code == 201

    response = withdraw_with(signer, circulating, signing)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_proof"


def test_an_old_withdrawal_proof_cannot_withdraw_the_next_signature(signer, circulating, signed, pak_key):
    old = sshsig(pak_key.sign(statement(signer, circulating, action="withdraw")))
    assert withdraw_with(signer, circulating, old).status_code == 201
    assert sign(signer, circulating).status_code == 201

    replayed = withdraw_with(signer, circulating, old)

    assert replayed.status_code == 422
    assert replayed.json()["error"]["code"] == "invalid_proof"


def test_a_changed_withdrawal_statement_is_refused(signer, circulating, signed, pak_key):
    changed = statement(signer, circulating, action="withdraw").replace(b'"org":"pak"', b'"org":"cub"')

    response = withdraw_with(signer, circulating, sshsig(pak_key.sign(changed)))

    assert response.status_code == 422
    assert "does not verify over the statement" in response.json()["error"]["message"]
    assert signer.api.get(f"/letters/{circulating['id']}").json()["signatures"][0]["withdrawn_at"] is None


def test_another_organisations_key_cannot_withdraw(signer, second_signer, circulating, signed, pak_key, tmp_path):
    cuban = SshKey(tmp_path / "cub")
    register(second_signer, cuban)

    response = withdraw_with(signer, circulating, sshsig(cuban.sign(statement(signer, circulating, action="withdraw"))))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "unknown_key"


def test_a_revoked_key_cannot_withdraw(signer, circulating, signed, pak_key):
    message = statement(signer, circulating, action="withdraw")
    (registered,) = signer.api.get("/keys").json()
    signer.api.post(f"/keys/{registered['id']}/revoke", {"reason": "lost"})

    response = withdraw_with(signer, circulating, sshsig(pak_key.sign(message)))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "key_revoked"


def test_a_pending_key_cannot_withdraw(signer, circulating, signed, pak_key, tmp_path):
    later = SshKey(tmp_path / "later")
    assert register(signer, later)["status"] == "pending"

    response = withdraw_with(signer, circulating, sshsig(later.sign(statement(signer, circulating, action="withdraw"))))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "key_pending"


# ------------------------------------------------------------------ delivering and acknowledging


def test_a_penholder_delivers_with_the_ssh_key_it_holds(penholder_with_key, closed):
    message = statement(penholder_with_key, closed, action="deliver", version=1)

    response = deliver_with(penholder_with_key, closed, sshsig(penholder_with_key.key.sign(message)))

    assert response.status_code == 201, response.content
    delivery = response.json()
    assert statement_fields(message)["delivery"] == delivery["hash"]
    event, fields = logged(delivery["log_index"])
    assert event["key_kind"] == "sshsig" and fields["signatories"] == ["pak"] and "signature" not in fields


def test_a_penholder_delivery_proof_over_other_lists_is_refused(penholder_with_key, second_signer, closed):
    before = statement(penholder_with_key, closed, action="deliver", version=1)
    proof = sshsig(penholder_with_key.key.sign(before))
    changed = before.replace(b'"org":"chn"', b'"org":"pak"')

    response = deliver_with(penholder_with_key, closed, sshsig(penholder_with_key.key.sign(changed)))

    assert response.status_code == 422
    assert deliver_with(penholder_with_key, closed, proof).status_code == 201


def test_a_signers_key_of_another_organisation_cannot_deliver(penholder_with_key, signer, closed, pak_key):
    message = statement(penholder_with_key, closed, action="deliver", version=1)

    response = deliver_with(penholder_with_key, closed, sshsig(pak_key.sign(message)))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "unknown_key"


def test_only_the_penholder_gets_a_delivery_statement(signer, closed):
    response = signer.api.get(f"/letters/{closed['id']}/statement", action="deliver", version=1)

    assert response.status_code == 403


def test_the_addressee_acknowledges_with_the_ssh_key_it_holds(addressee, delivered, addressee_key):
    message = statement(addressee, {"id": delivered["letter"]}, action="acknowledge", delivery=delivered["id"])
    proof = sshsig(addressee_key.sign(message))

    response = addressee.api.post(f"/deliveries/{delivered['id']}/acknowledge", {"proof": proof})

    assert response.status_code == 201, response.content
    assert statement_fields(message)["delivery"] == delivered["hash"]
    event, fields = logged(last_index())
    assert event["type"] == "delivery.acknowledged" and event["key_kind"] == "sshsig"
    assert fields["proof"] == proof and fields["person"] == addressee.username


def test_an_acknowledgement_proof_of_another_delivery_is_refused(addressee, penholder, delivered, addressee_key):
    message = statement(addressee, {"id": delivered["letter"]}, action="acknowledge", delivery=delivered["id"])

    forged = message.replace(delivered["hash"].encode(), b"0" * 64)
    response = addressee.api.post(
        f"/deliveries/{delivered['id']}/acknowledge", {"proof": sshsig(addressee_key.sign(forged))}
    )

    assert response.status_code == 422


def test_an_outsider_gets_no_acknowledgement_statement(outsider, signer, delivered):
    for persona in (outsider, signer):
        response = persona.api.get(
            f"/letters/{delivered['letter']}/statement", action="acknowledge", delivery=delivered["id"]
        )
        assert response.status_code == 404


def test_an_unknown_action_or_a_missing_parameter_is_a_clear_refusal(signer, circulating):
    unknown = signer.api.get(f"/letters/{circulating['id']}/statement", action="publish")
    no_delivery = signer.api.get(f"/letters/{circulating['id']}/statement", action="acknowledge")

    assert unknown.status_code == 400
    assert unknown.json()["error"]["message"] == "action is sign, withdraw, deliver or acknowledge."
    assert unknown.json()["error"]["field"] == "action"
    assert no_delivery.status_code == 400
    assert no_delivery.json()["error"]["field"] == "delivery"


# ------------------------------------------------------------------ offline


def bundle_of(persona, letter_id):
    response = persona.api.get(f"/letters/{letter_id}/bundle")
    assert response.status_code == 200, response.content
    return response.json()


def test_withdrawals_deliveries_and_acknowledgements_made_with_own_keys_verify_offline(
    signer, second_signer, penholder_with_key, addressee, circulating, pak_key, addressee_key
):
    sign(signer, circulating)
    withdraw_with(signer, circulating, sshsig(pak_key.sign(statement(signer, circulating, action="withdraw"))))
    sign(second_signer, circulating)
    assert penholder_with_key.api.post(f"/letters/{circulating['id']}/close").status_code == 201
    message = statement(penholder_with_key, circulating, action="deliver", version=1)
    delivery = deliver_with(penholder_with_key, circulating, sshsig(penholder_with_key.key.sign(message))).json()
    message = statement(addressee, circulating, action="acknowledge", delivery=delivery["id"])
    acknowledged = addressee.api.post(
        f"/deliveries/{delivery['id']}/acknowledge", {"proof": sshsig(addressee_key.sign(message))}
    )
    assert acknowledged.status_code == 201, acknowledged.content

    report = verify_bundle(bundle_of(penholder_with_key, circulating["id"]))

    assert [(a["type"], a["key_kind"]) for a in report.facts["actions"]] == [
        ("signature.withdrawn", "sshsig"),
        ("letter.delivered", "sshsig"),
        ("delivery.acknowledged", "sshsig"),
    ]


def test_a_withdrawal_whose_proof_is_not_the_keys_fails_offline(signer, circulating, signed, pak_key, tmp_path):
    key = OwnKey.objects.get(fingerprint=pak_key.fingerprint)
    message = statement(signer, circulating, action="withdraw")
    stranger = SshKey(tmp_path / "stranger")
    log_own_key_withdrawal(
        circulating,
        signed["log_index"],
        signer.username,
        key,
        statement_fields(message)["time"],
        sshsig(stranger.sign(message)),
    )

    with pytest.raises(SignatureError, match=r"index \d+: the SSH signature is by key .*, not"):
        verify_bundle(bundle_of(signer, circulating["id"]))


def test_a_withdrawal_signed_with_a_statement_dated_before_the_signature_fails_offline(
    signer, circulating, signed, pak_key
):
    """A dishonest server logs a withdrawal whose statement, signed with the member's own key,
    is dated before the signature it withdraws: the member signed it before there was anything
    to withdraw, so it cannot be this signature's withdrawal."""
    key = OwnKey.objects.get(fingerprint=pak_key.fingerprint)
    earlier = "2020-01-01T00:00:00.000000Z"
    backdated = statements.withdraw_action(circulating["handle"], "pak", earlier, signed["log_index"])
    proof = sshsig(pak_key.sign(statements.statement_bytes(backdated)))
    log_own_key_withdrawal(circulating, signed["log_index"], signer.username, key, earlier, proof)

    with pytest.raises(
        SignatureError, match=rf"index \d+: the withdrawal's statement is dated {earlier}, before the signature"
    ):
        verify_bundle(bundle_of(signer, circulating["id"]))
