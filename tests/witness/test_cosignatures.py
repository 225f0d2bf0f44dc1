"""C2SP tlog-cosignature v1 with Ed25519: key ids, vkeys, the signed message, and how a
verifier counts the cosignatures of the witnesses it trusts."""

import hashlib
import struct

import pytest
from witnessing import grown_log, signer

from ledger.cosignature import (
    WitnessKey,
    WitnessSigner,
    check_cosignatures,
    cosignature_key_id,
    generate_witness_key,
    signed_message,
)
from ledger.encoding import b64decode
from ledger.note import NoteError, Verifier, open_note, split_note

CHECKPOINT_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"


def test_the_key_id_hashes_the_name_a_newline_the_type_byte_4_and_the_key():
    key = signer().key
    assert key.key_id == hashlib.sha256(b"witness.example/w1\n\x04" + key.public_key).digest()[:4]
    assert cosignature_key_id(key.name, key.public_key) == key.key_id


def test_a_witness_vkey_is_a_note_vkey_with_type_byte_4():
    vkey = signer().key.vkey
    name, key_id, material = vkey.split("+", 2)
    assert (name, key_id) == ("witness.example/w1", signer().key.key_id.hex())
    assert b64decode(material)[:1] == b"\x04" and len(b64decode(material)) == 33
    assert WitnessKey.from_vkey(vkey) == signer().key


def test_a_log_key_is_not_a_witness_key_nor_the_other_way_round():
    with pytest.raises(NoteError, match="0x04"):
        WitnessKey.from_vkey(grown_log(1).signer.vkey)
    with pytest.raises(NoteError, match="0x01"):
        Verifier.from_vkey(signer().key.vkey)


def test_the_private_key_round_trips_and_a_new_key_is_random():
    assert WitnessSigner.from_private(signer().private).key == signer().key
    assert generate_witness_key("w").key != generate_witness_key("w").key


def test_the_signed_message_is_the_header_the_time_and_the_checkpoint_body():
    assert signed_message(CHECKPOINT_TEXT, 1679315147) == (
        b"cosignature/v1\ntime 1679315147\n" + CHECKPOINT_TEXT.encode()
    )
    with pytest.raises(ValueError):
        signed_message(CHECKPOINT_TEXT, 2**63)


def test_the_signature_is_key_id_timestamp_big_endian_and_the_ed25519_signature():
    line = signer().cosign(CHECKPOINT_TEXT, 1679315147).line
    name, encoded = line.removeprefix("\u2014 ").rstrip("\n").split(" ")
    raw = b64decode(encoded)
    assert name == "witness.example/w1" and len(raw) == 4 + 8 + 64
    assert raw[:4] == signer().key.key_id and struct.unpack(">Q", raw[4:12]) == (1679315147,)
    import nacl.signing

    nacl.signing.VerifyKey(signer().key.public_key).verify(signed_message(CHECKPOINT_TEXT, 1679315147), raw[12:])


def cosigned(log, *witnesses, at=1_700_000_000):
    note = log.checkpoint()
    text, _ = split_note(note)
    return note + "".join(w.cosign(text, at).line for w in witnesses)


def test_the_log_key_still_opens_a_cosigned_checkpoint():
    log = grown_log(5)
    note = cosigned(log, signer())
    assert open_note(note, Verifier.from_vkey(log.signer.vkey)) == split_note(note)[0]


def test_a_verifier_counts_the_valid_cosignatures_of_the_witnesses_it_trusts():
    other = generate_witness_key("witness.example/w2")
    stranger = generate_witness_key("witness.example/w3")
    note = cosigned(grown_log(5), signer(), stranger)
    result = check_cosignatures(note, [signer().key, other.key])
    assert result.valid == {signer().key.label: 1_700_000_000}
    assert result.missing == [other.key.label] and result.invalid == []


def test_a_cosignature_with_a_changed_time_or_on_another_checkpoint_does_not_count():
    log = grown_log(5)
    note = cosigned(log, signer())
    text, signatures = split_note(note)
    line = signatures[-1]
    later = line._replace(signature=struct.pack(">Q", 1_700_000_001) + line.signature[8:])
    assert signer().key.timestamp_of(text, later) is None
    assert signer().key.timestamp_of(text.replace("5\n", "6\n", 1), line) is None
    forged = note.replace(line.line, later.line)
    assert check_cosignatures(forged, [signer().key]).invalid == [signer().key.label]
