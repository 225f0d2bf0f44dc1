"""C2SP tlog-cosignature v1 with Ed25519 (https://c2sp.org/tlog-cosignature): a witness's
timestamped signature on a checkpoint, carried as one more signature line of its note.

A cosignature says: as of its time, this checkpoint is the largest consistent tree the witness
has seen for the log named by the origin line. A verifier that knows only the log's key skips
these lines (their key ids are not the log's), so a cosigned checkpoint is still a checkpoint.
"""

import struct
from dataclasses import dataclass

import nacl.exceptions
import nacl.signing

from .note import NoteError, NoteSignature, decode_key, encode_key, is_valid_name, key_id, split_note

ALG_COSIGNATURE_V1 = b"\x04"
MAX_TIMESTAMP = 2**63 - 1
_TIMESTAMP = struct.Struct(">Q")  # u64, big-endian (RFC 8446 §3.3)


def cosignature_key_id(name: str, public_key: bytes) -> bytes:
    """First 4 bytes of ``SHA-256(name ‖ "\\n" ‖ 0x04 ‖ public key)``."""
    return key_id(name, public_key, ALG_COSIGNATURE_V1)


def signed_message(checkpoint_text: str, timestamp: int) -> bytes:
    """What a cosignature signs: ``cosignature/v1``, ``time <timestamp>``, then the checkpoint's
    note text (its final newline included, its signature lines not)."""
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise ValueError(f"cosignature timestamp {timestamp} is outside 0..2^63-1")
    return f"cosignature/v1\ntime {timestamp}\n{checkpoint_text}".encode()


@dataclass(frozen=True)
class WitnessKey:
    """A witness's public key, as a vkey ``<name>+<key id>+<b64(0x04 ‖ Ed25519 key)>``."""

    name: str
    key_id: bytes
    public_key: bytes

    @classmethod
    def from_vkey(cls, vkey: str) -> "WitnessKey":
        name, claimed_id, public_key = decode_key(vkey, "", ALG_COSIGNATURE_V1)
        if claimed_id != cosignature_key_id(name, public_key):
            raise NoteError(
                f"witness vkey id {claimed_id.hex()} does not match its key "
                f"({cosignature_key_id(name, public_key).hex()})"
            )
        return cls(name, claimed_id, public_key)

    @property
    def vkey(self) -> str:
        return encode_key("", self.name, self.public_key, self.public_key, ALG_COSIGNATURE_V1)

    @property
    def label(self) -> str:
        """``name+key id``: how messages and the log's records name the witness."""
        return f"{self.name}+{self.key_id.hex()}"

    def claims(self, signature: NoteSignature) -> bool:
        """Whether a signature line says it is this witness's (before any check of it)."""
        return (signature.name, signature.key_id) == (self.name, self.key_id)

    def timestamp_of(self, checkpoint_text: str, signature: NoteSignature) -> int | None:
        """The cosignature's time if it is this witness's valid cosignature on the text, else None."""
        if not self.claims(signature) or len(signature.signature) != _TIMESTAMP.size + 64:
            return None
        (timestamp,) = _TIMESTAMP.unpack(signature.signature[: _TIMESTAMP.size])
        if timestamp > MAX_TIMESTAMP:
            return None
        try:
            nacl.signing.VerifyKey(self.public_key).verify(
                signed_message(checkpoint_text, timestamp), signature.signature[_TIMESTAMP.size :]
            )
        except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
            return None
        return timestamp


@dataclass(frozen=True)
class WitnessSigner:
    name: str
    signing_key: nacl.signing.SigningKey

    @classmethod
    def from_private(cls, private: str) -> "WitnessSigner":
        """Parse ``PRIVATE+KEY+<name>+<key id>+<b64(0x04 ‖ seed)>``, checking the id."""
        name, claimed_id, seed = decode_key(private.strip(), "PRIVATE+KEY+", ALG_COSIGNATURE_V1)
        signer = cls(name, nacl.signing.SigningKey(seed))
        if claimed_id != signer.key.key_id:
            raise NoteError("witness private key id does not match its key")
        return signer

    @property
    def key(self) -> WitnessKey:
        public_key = bytes(self.signing_key.verify_key)
        return WitnessKey(self.name, cosignature_key_id(self.name, public_key), public_key)

    @property
    def private(self) -> str:
        key = self.key
        return encode_key("PRIVATE+KEY+", self.name, key.public_key, bytes(self.signing_key), ALG_COSIGNATURE_V1)

    def cosign(self, checkpoint_text: str, timestamp: int) -> NoteSignature:
        """The cosignature line on a checkpoint's note text (checked by the caller)."""
        signature = self.signing_key.sign(signed_message(checkpoint_text, timestamp)).signature
        return NoteSignature(self.name, self.key.key_id, _TIMESTAMP.pack(timestamp) + signature)


def generate_witness_key(name: str) -> WitnessSigner:
    if not is_valid_name(name):
        raise NoteError(f"invalid witness name {name!r}")
    return WitnessSigner(name, nacl.signing.SigningKey.generate())


@dataclass(frozen=True)
class Cosigned:
    """What a note's cosignature lines prove, for the witnesses a reader trusts."""

    valid: dict[str, int]  # witness label -> cosignature time, for each valid cosignature
    invalid: list[str]  # labels of trusted witnesses whose line on the note does not verify
    missing: list[str]  # labels of trusted witnesses without a line on the note


def check_cosignatures(note_text: str, witnesses: list[WitnessKey]) -> Cosigned:
    """Each trusted witness's cosignature on a signed note (a checkpoint with its lines).
    Lines of other keys are ignored, as tlog-witness asks of clients."""
    text, signatures = split_note(note_text)
    valid, invalid, missing = {}, [], []
    for witness in witnesses:
        claimed = [signature for signature in signatures if witness.claims(signature)]
        times = [t for t in (witness.timestamp_of(text, signature) for signature in claimed) if t is not None]
        if times:
            valid[witness.label] = max(times)
        elif claimed:
            invalid.append(witness.label)
        else:
            missing.append(witness.label)
    return Cosigned(valid, invalid, missing)
