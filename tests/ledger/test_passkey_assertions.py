"""A passkey's assertion verifies offline only over the statement it was made for, for this site
(origin and relying party), with the user present and verified, and under the passkey's own key:
ES256 and Ed25519 keys made here, assertions built here as an authenticator and a browser would."""

import hashlib
import re

import cbor2
import pytest

from ledger import statements
from ledger.errors import SignatureError
from ledger.webauthn import AssertionRefused, b64url_encode, challenge_for, counter_rises, sign_count, verify_assertion
from tests.passkey import ORIGIN, RP_ID, Passkey

HASH_OF_VERSION_2 = "ab" * 32


def sign_statement(handle="QmHandleOfLetterA", version_hash=HASH_OF_VERSION_2) -> dict:
    return statements.sign_action(handle, "swe", "2026-12-02T00:00:00.000000Z", 2, version_hash)


@pytest.fixture(params=["ES256", "Ed25519"])
def passkey(request) -> Passkey:
    return Passkey(request.param)


def check(passkey: Passkey, credential: dict, statement: dict | None = None, rp_id=RP_ID, origin=ORIGIN) -> None:
    verify_assertion(passkey.public_key_cose, credential, challenge_for(statement or sign_statement()), rp_id, origin)


def test_an_assertion_over_the_statement_verifies(passkey):
    check(passkey, passkey.assert_(challenge_for(sign_statement())))


def test_the_challenge_is_the_sha256_of_the_statement_bytes_an_organisation_key_signs():
    statement = sign_statement()
    assert challenge_for(statement) == hashlib.sha256(statements.statement_bytes(statement)).digest()


def test_client_data_with_members_of_the_browsers_own_in_any_order_verifies(passkey):
    credential = passkey.assert_(
        challenge_for(sign_statement()), crossOrigin=False, other_keys_can_be_added="do not compare clientDataJSON"
    )
    check(passkey, credential)


def test_an_assertion_over_another_version_hash_is_refused(passkey):
    credential = passkey.assert_(challenge_for(sign_statement(version_hash="cd" * 32)))
    with pytest.raises(AssertionRefused, match="not this statement's"):
        check(passkey, credential)


def test_an_assertion_replayed_on_another_letter_is_refused(passkey):
    credential = passkey.assert_(challenge_for(sign_statement(handle="QmHandleOfLetterA")))
    with pytest.raises(AssertionRefused, match="challenge"):
        check(passkey, credential, sign_statement(handle="QmHandleOfLetterB"))


def test_an_assertion_made_on_another_origin_is_refused(passkey):
    credential = passkey.assert_(challenge_for(sign_statement()), origin="https://undersigned.example.evil")
    with pytest.raises(AssertionRefused, match=re.escape("was used on 'https://undersigned.example.evil'")):
        check(passkey, credential)


def test_an_assertion_for_another_relying_party_is_refused(passkey):
    credential = passkey.assert_(challenge_for(sign_statement()), rp_id="evil.example")
    with pytest.raises(AssertionRefused, match=re.escape(f"relying party '{RP_ID}'")):
        check(passkey, credential)


def test_an_assertion_without_user_verification_is_refused(passkey):
    credential = passkey.assert_(challenge_for(sign_statement()), flags=0x01)
    with pytest.raises(AssertionRefused, match="flag UV"):
        check(passkey, credential)


def test_an_assertion_without_user_presence_is_refused(passkey):
    credential = passkey.assert_(challenge_for(sign_statement()), flags=0x04)
    with pytest.raises(AssertionRefused, match="flag UP"):
        check(passkey, credential)


def test_a_registration_response_is_not_an_assertion(passkey):
    credential = passkey.assert_(challenge_for(sign_statement()), client_type="webauthn.create")
    with pytest.raises(AssertionRefused, match=re.escape("'webauthn.create'")):
        check(passkey, credential)


def test_an_assertion_from_a_frame_of_another_origin_is_refused(passkey):
    credential = passkey.assert_(challenge_for(sign_statement()), crossOrigin=True)
    with pytest.raises(AssertionRefused, match="frame of another origin"):
        check(passkey, credential)


def test_a_bad_signature_is_refused(passkey):
    credential = passkey.assert_(challenge_for(sign_statement()))
    signature = bytearray(credential["response"]["signature"].encode())
    signature[-3] = ord("A") if signature[-3] != ord("A") else ord("B")
    credential["response"]["signature"] = signature.decode()
    with pytest.raises(AssertionRefused, match=r"signature does not verify|not 64 bytes"):
        check(passkey, credential)


def test_authenticator_data_changed_after_signing_is_refused(passkey):
    """Raising the flags (or the counter) after the fact breaks the signature over them."""
    credential = passkey.assert_(challenge_for(sign_statement()), flags=0x05)
    data = bytearray(hashlib.sha256(RP_ID.encode()).digest() + bytes([0x1D]) + (7).to_bytes(4, "big"))
    credential["response"]["authenticatorData"] = b64url_encode(bytes(data))
    with pytest.raises(AssertionRefused, match="signature does not verify"):
        check(passkey, credential)


def test_another_passkeys_assertion_is_refused(passkey):
    someone_else = Passkey(passkey.algorithm)
    with pytest.raises(AssertionRefused, match="signature does not verify"):
        check(passkey, someone_else.assert_(challenge_for(sign_statement())))


def test_a_key_of_an_algorithm_we_do_not_accept_is_refused():
    rs256_key = cbor2.dumps({1: 3, 3: -257, -1: b"\x01" * 256, -2: b"\x01\x00\x01"})
    credential = Passkey("ES256").assert_(challenge_for(sign_statement()))
    with pytest.raises(AssertionRefused, match="neither ES256 on P-256 nor EdDSA"):
        verify_assertion(rs256_key, credential, challenge_for(sign_statement()), RP_ID, ORIGIN)


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: c.update(type="password"),
        lambda c: c.pop("response"),
        lambda c: c["response"].update(clientDataJSON="not base64url!"),
        lambda c: c["response"].update(clientDataJSON=b64url_encode(b"[1, 2]")),
        lambda c: c["response"].update(clientDataJSON=b64url_encode(b"\xff not json")),
        lambda c: c["response"].update(authenticatorData=b64url_encode(b"short")),
        lambda c: c["response"].pop("signature"),
    ],
)
def test_a_credential_of_the_wrong_shape_is_refused_with_a_reason(damage):
    credential = Passkey("Ed25519").assert_(challenge_for(sign_statement()))
    damage(credential)
    with pytest.raises(AssertionRefused, match="passkey"):
        check(Passkey("Ed25519"), credential)


def test_a_refused_assertion_is_a_signature_failure_of_the_verifier():
    """So `undersigned verify` reports it under the signatures step, with that step's exit code."""
    assert issubclass(AssertionRefused, SignatureError)


def test_an_es256_key_off_the_curve_is_refused():
    off_the_curve = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: b"\x01" * 32, -3: b"\x02" * 32})
    credential = Passkey("ES256").assert_(challenge_for(sign_statement()))
    with pytest.raises(AssertionRefused, match="not a point of P-256"):
        verify_assertion(off_the_curve, credential, challenge_for(sign_statement()), RP_ID, ORIGIN)


def test_an_assertions_signature_counter_is_read_from_its_authenticator_data(passkey):
    assert sign_count(passkey.assert_(challenge_for(sign_statement()), sign_count=41)) == 41
    assert sign_count(passkey.assert_(challenge_for(sign_statement()), sign_count=2**32 - 1)) == 2**32 - 1


def test_a_credential_too_short_to_hold_a_counter_is_refused():
    credential = Passkey("Ed25519").assert_(challenge_for(sign_statement()))
    credential["response"]["authenticatorData"] = b64url_encode(bytes(36))
    with pytest.raises(AssertionRefused, match="too short"):
        sign_count(credential)


@pytest.mark.parametrize(
    ("stored", "new", "rises"),
    [
        (0, 0, True),  # an authenticator that counts nothing: nothing to tell
        (0, 1, True),
        (5, 6, True),
        (5, 900, True),  # a bundle holds some of a key's assertions: gaps are expected
        (5, 5, False),  # the same count again: made before, or by a copy
        (5, 4, False),
        (5, 0, False),  # a copy that counts nothing, after the original counted
    ],
)
def test_a_signature_counter_must_rise_unless_the_authenticator_counts_nothing(stored, new, rises):
    assert counter_rises(stored, new) is rises
