"""SSHSIG signatures made by the real ssh-keygen verify offline over the exact statement, in
the right namespace, by the right key; anything else is refused with its own reason."""

import base64
import re

import pytest

from ledger import sshsig
from tests.ssh import SshKey, needs_ssh_keygen

pytestmark = needs_ssh_keygen

STATEMENT = b'undersigned/statement/v1\x00{"action":"sign","handle":"h"}'


@pytest.fixture
def key(tmp_path):
    return SshKey(tmp_path / "mission")


@pytest.fixture
def other_key(tmp_path):
    return SshKey(tmp_path / "another")


def raw(key: SshKey) -> bytes:
    return sshsig.parse_public_key(key.public_line).raw


def test_a_signature_by_ssh_keygen_verifies_over_the_statement(key):
    verified = sshsig.verify(key.sign(STATEMENT), raw(key), STATEMENT)

    assert verified.namespace == "undersigned-sign-v1"
    assert verified.hash_algorithm == "sha512"


def test_the_fingerprint_is_the_one_ssh_keygen_prints(key):
    assert sshsig.parse_public_key(key.public_line).fingerprint == key.fingerprint


def test_a_changed_statement_is_refused(key):
    with pytest.raises(sshsig.SshsigError, match="does not verify over the statement"):
        sshsig.verify(key.sign(STATEMENT), raw(key), STATEMENT + b" ")


def test_another_namespace_is_refused(key):
    with pytest.raises(sshsig.SshsigError, match="namespace 'file'"):
        sshsig.verify(key.sign(STATEMENT, namespace="file"), raw(key), STATEMENT)


def test_a_signature_by_another_key_is_refused(key, other_key):
    with pytest.raises(
        sshsig.SshsigError, match=re.escape(f"is by key {other_key.fingerprint}, not by the registered key")
    ):
        sshsig.verify(other_key.sign(STATEMENT), raw(key), STATEMENT)


def test_a_tampered_signature_is_refused(key):
    armored = key.sign(STATEMENT)
    blob = bytearray(sshsig_blob(armored))
    blob[-1] ^= 1  # the last byte of the Ed25519 signature

    with pytest.raises(sshsig.SshsigError, match="does not verify"):
        sshsig.verify(armor(bytes(blob)), raw(key), STATEMENT)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not a signature", "starts with"),
        ("-----BEGIN SSH SIGNATURE-----\n!!!\n-----END SSH SIGNATURE-----", "base64"),
        (None, "armored text"),
        ("x" * 5000, "at most"),
    ],
)
def test_malformed_armor_is_refused(text, reason):
    with pytest.raises(sshsig.SshsigError, match=reason):
        sshsig.parse_armored(text)


def test_a_truncated_blob_is_refused(key):
    with pytest.raises(sshsig.SshsigError, match="malformed"):
        sshsig.parse_armored(armor(sshsig_blob(key.sign(STATEMENT))[:-10]))


def test_an_rsa_key_line_is_refused_as_unsupported(tmp_path):
    rsa = SshKey(tmp_path / "rsa", kind="rsa")

    with pytest.raises(sshsig.KeyLineError) as refused:
        sshsig.parse_public_key(rsa.public_line)
    assert refused.value.code == "unsupported_key"


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("ssh-ed25519 AAAA", "invalid_key"),
        ("ssh-ed25519", "invalid_key"),
        ("ssh-ed25519 " + base64.b64encode(b"\0\0\0\x0bssh-ed25519\0\0\0\x05short").decode(), "invalid_key"),
        ("ssh-ed25519 AAAA " + "x" * 2000, "too_large"),
        (42, "invalid_key"),
    ],
)
def test_malformed_key_lines_are_refused(line, code):
    with pytest.raises(sshsig.KeyLineError) as refused:
        sshsig.parse_public_key(line)
    assert refused.value.code == code


def sshsig_blob(armored: str) -> bytes:
    return base64.b64decode("".join(armored.strip().splitlines()[1:-1]))


def armor(blob: bytes) -> str:
    return f"-----BEGIN SSH SIGNATURE-----\n{base64.b64encode(blob).decode()}\n-----END SSH SIGNATURE-----\n"
