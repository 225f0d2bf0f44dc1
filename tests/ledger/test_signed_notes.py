"""C2SP signed-note with Ed25519, checked against the example in Go's note package docs."""

import hashlib

import pytest

from ledger.note import NoteError, Signer, Verifier, generate_signer_key, key_id, open_note

# The example key and note published in the documentation of golang.org/x/mod/sumdb/note.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT
    + "\n\u2014 PeterNeumann "
    + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_the_key_id_is_the_first_four_bytes_of_the_spec_hash():
    verifier = Verifier.from_vkey(GO_VKEY)
    expected = hashlib.sha256(b"PeterNeumann\n\x01" + verifier.public_key).digest()[:4]
    assert key_id("PeterNeumann", verifier.public_key) == expected == bytes.fromhex("c74f20a3")


def test_go_private_keys_give_the_same_vkey_and_the_same_note():
    signer = Signer.from_private(GO_SKEY)
    assert signer.vkey == GO_VKEY
    assert signer.private == GO_SKEY
    assert signer.sign_note(GO_TEXT) == GO_NOTE


def test_a_note_signed_by_the_verifier_opens_to_its_text():
    assert open_note(GO_NOTE, Verifier.from_vkey(GO_VKEY)) == GO_TEXT


def test_generated_keys_sign_notes_their_vkey_opens():
    private, vkey = generate_signer_key("log.example/test")
    note = Signer.from_private(private).sign_note("hello\n")
    assert open_note(note, Verifier.from_vkey(vkey)) == "hello\n"


def test_signatures_by_unknown_keys_are_ignored():
    other = Signer.from_private(generate_signer_key("someone")[0])
    note = other.sign_note(GO_TEXT) + GO_NOTE.split("\n\n")[1]
    assert open_note(note, Verifier.from_vkey(GO_VKEY)) == GO_TEXT


def test_a_note_without_the_verifiers_signature_is_refused():
    other = Signer.from_private(generate_signer_key("PeterNeumann")[0])
    with pytest.raises(NoteError, match="no signature by PeterNeumann"):
        open_note(other.sign_note(GO_TEXT), Verifier.from_vkey(GO_VKEY))


def test_a_bad_signature_claiming_the_verifiers_key_is_refused():
    forged = GO_NOTE.replace("x08go/ZJ", "x08go/ZK")
    with pytest.raises(NoteError, match="does not verify"):
        open_note(forged, Verifier.from_vkey(GO_VKEY))


@pytest.mark.parametrize(
    "note",
    [
        GO_TEXT,  # no signatures
        GO_NOTE[:-1],  # no final newline
        GO_NOTE.replace("\u2014 ", "-- "),  # not an em dash
        GO_NOTE.replace("problem,", "problem,\t"),  # control character
        GO_NOTE.replace("nAM=\n", "nAM\n"),  # unpadded base64
    ],
)
def test_malformed_notes_are_refused(note):
    with pytest.raises(NoteError):
        open_note(note, Verifier.from_vkey(GO_VKEY))


@pytest.mark.parametrize(
    "vkey",
    [
        GO_VKEY.replace("c74f20a3", "c74f20a4"),  # id does not match key
        GO_VKEY.replace("+ARpc", "+AhpC"),  # not Ed25519
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3",
    ],
)
def test_malformed_vkeys_are_refused(vkey):
    with pytest.raises(NoteError):
        Verifier.from_vkey(vkey)


def test_note_text_must_end_with_a_newline_to_be_signed():
    with pytest.raises(NoteError):
        Signer.from_private(GO_SKEY).sign_note("no newline")
