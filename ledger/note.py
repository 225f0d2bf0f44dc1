"""C2SP signed-note with Ed25519 keys (https://c2sp.org/signed-note)."""

import hashlib
import re
from dataclasses import dataclass
from typing import NamedTuple

import nacl.exceptions
import nacl.signing

from .encoding import b64decode, b64encode

ALG_ED25519 = b"\x01"
SIGNATURE_PREFIX = "\u2014 "  # em dash and space
MAX_SIGNATURES = 100
_KEY_ID = re.compile(r"[0-9a-f]{8}")
_FORBIDDEN_TEXT = re.compile(r"[\x00-\x09\x0b-\x1f]")


class NoteError(ValueError):
    """A note, key or signature that the signed-note spec rejects."""


def is_valid_name(name: str) -> bool:
    """signed-note "Signatures": a key name is non-empty, has no space and no ``+``."""
    return bool(name) and not any(c.isspace() for c in name) and "+" not in name


def key_id(name: str, public_key: bytes, algorithm: bytes = ALG_ED25519) -> bytes:
    """signed-note "Signatures": first 4 bytes of ``H(name ‖ 0x0A ‖ algorithm ‖ key)``, where
    the algorithm byte is 0x01 for a note signature (tlog-cosignature's keys use 0x04)."""
    return hashlib.sha256(name.encode() + b"\n" + algorithm + public_key).digest()[:4]


def encode_key(prefix: str, name: str, public_key: bytes, material: bytes, algorithm: bytes = ALG_ED25519) -> str:
    """``<prefix><name>+<key id>+<b64(algorithm ‖ material)>``: a vkey (material = the public
    key, no prefix) or Go's private key form (material = the seed, ``PRIVATE+KEY+``)."""
    return f"{prefix}{name}+{key_id(name, public_key, algorithm).hex()}+{b64encode(algorithm + material)}"


def decode_key(text: str, prefix: str, algorithm: bytes = ALG_ED25519) -> tuple[str, bytes, bytes]:
    """``(name, key id, 32-byte key material)`` of ``<prefix><name>+<id>+<b64(algorithm‖key)>``;
    the caller checks the key id, which for a private key needs the public key first."""
    if not text.startswith(prefix):
        raise NoteError(f"key does not start with {prefix!r}")
    # Base64 may itself contain "+", so split off only the name and the key id.
    parts = text[len(prefix) :].split("+", 2)
    if len(parts) != 3 or not is_valid_name(parts[0]) or not _KEY_ID.fullmatch(parts[1]):
        raise NoteError("key is not <name>+<8 lowercase hex>+<base64>")
    try:
        material = b64decode(parts[2])
    except ValueError as error:
        raise NoteError(f"key material: {error}") from None
    if len(material) != 33 or material[:1] != algorithm:
        raise NoteError(f"key material is not 0x{algorithm.hex()} followed by 32 bytes (Ed25519)")
    return parts[0], bytes.fromhex(parts[1]), material[1:]


@dataclass(frozen=True)
class Verifier:
    name: str
    key_id: bytes
    public_key: bytes

    @classmethod
    def from_vkey(cls, vkey: str) -> "Verifier":
        """Parse ``<name>+<8 hex key id>+<b64(0x01 ‖ public key)>``, checking the id."""
        name, claimed_id, public_key = decode_key(vkey, "")
        if claimed_id != key_id(name, public_key):
            raise NoteError(f"vkey id {claimed_id.hex()} does not match its key ({key_id(name, public_key).hex()})")
        return cls(name, claimed_id, public_key)

    @property
    def vkey(self) -> str:
        return encode_key("", self.name, self.public_key, self.public_key)

    def verify(self, text: bytes, signature: bytes) -> bool:
        try:
            nacl.signing.VerifyKey(self.public_key).verify(text, signature)
        except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
            return False
        return True


@dataclass(frozen=True)
class Signer:
    name: str
    signing_key: nacl.signing.SigningKey

    @classmethod
    def from_private(cls, private: str) -> "Signer":
        """Parse Go's ``PRIVATE+KEY+<name>+<8 hex>+<b64(0x01 ‖ seed)>``, checking the id."""
        name, claimed_id, seed = decode_key(private, "PRIVATE+KEY+")
        signer = cls(name, nacl.signing.SigningKey(seed))
        if claimed_id != key_id(name, signer.public_key):
            raise NoteError("private key id does not match its key")
        return signer

    @property
    def public_key(self) -> bytes:
        return bytes(self.signing_key.verify_key)

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    @property
    def vkey(self) -> str:
        return encode_key("", self.name, self.public_key, self.public_key)

    @property
    def private(self) -> str:
        return encode_key("PRIVATE+KEY+", self.name, self.public_key, bytes(self.signing_key))

    def sign_note(self, text: str) -> str:
        """The note: ``text``, a blank line, and this key's signature line."""
        _check_text(text)
        signature = self.signing_key.sign(text.encode()).signature
        return f"{text}\n{SIGNATURE_PREFIX}{self.name} {b64encode(self.key_id + signature)}\n"


def generate_signer_key(name: str) -> tuple[str, str]:
    """A new Ed25519 key as ``(private key string, vkey)``."""
    if not is_valid_name(name):
        raise NoteError(f"invalid key name {name!r}")
    signer = Signer(name, nacl.signing.SigningKey.generate())
    return signer.private, signer.vkey


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    if _FORBIDDEN_TEXT.search(text):
        raise NoteError("note text contains a control character other than newline")


class NoteSignature(NamedTuple):
    name: str
    key_id: bytes
    signature: bytes  # what follows the key id: 64 bytes for Ed25519, 8 + 64 for a cosignature

    @property
    def line(self) -> str:
        return f"{SIGNATURE_PREFIX}{self.name} {b64encode(self.key_id + self.signature)}\n"


def _parse_signature_line(line: str) -> NoteSignature:
    """The parts of ``— <name> <b64(key id ‖ signature)>``."""
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteError(f"signature line does not start with an em dash: {line[:30]!r}")
    name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    try:
        raw = b64decode(encoded)
    except ValueError as error:
        raise NoteError(f"signature of {name!r}: {error}") from None
    if not is_valid_name(name) or len(raw) < 5:
        raise NoteError(f"malformed signature line: {line[:30]!r}")
    return NoteSignature(name, raw[:4], raw[4:])


def split_note(note: str) -> tuple[str, list[NoteSignature]]:
    """signed-note "Format": the note's text (ending in a newline) and its signature lines,
    none of them verified."""
    _check_text(note)
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("note has no blank line before its signatures")
    text, lines = note[: split + 1], note[split + 2 :].split("\n")[:-1]
    if not lines or len(lines) > MAX_SIGNATURES:
        raise NoteError(f"note has {len(lines)} signature lines")
    return text, [_parse_signature_line(line) for line in lines]


def open_note(note: str, verifier: Verifier) -> str:
    """signed-note "Format": return the note's text if ``verifier`` signed it.

    Signatures by other keys are ignored; a signature that claims the verifier's name and id
    but does not verify is an error, as in Go's ``note.Open``.
    """
    text, signatures = split_note(note)
    verified = False
    for name, claimed_id, signature in signatures:
        if (name, claimed_id) != (verifier.name, verifier.key_id):
            continue
        if not verifier.verify(text.encode(), signature):
            raise NoteError(f"signature by {name}+{claimed_id.hex()} does not verify")
        verified = True
    if not verified:
        raise NoteError(f"note has no signature by {verifier.name}+{verifier.key_id.hex()}")
    return text
