"""SSH Ed25519 public keys and SSHSIG signatures, checked offline (OpenSSH's PROTOCOL.sshsig).

A mission that works from scripts signs a statement with ``ssh-keygen -Y sign -n
undersigned-sign-v1 -f KEY FILE``. The armored signature it writes holds the signer's public
key, the namespace, the hash algorithm and an Ed25519 signature over::

    "SSHSIG" ‖ string(namespace) ‖ string(reserved) ‖ string(hash algorithm) ‖ string(H(message))

where ``string`` is SSH's uint32 length followed by the bytes (RFC 4251 §5). This module reads
that format itself, Ed25519 only: the format is small, and a verifier anyone can rerun should
depend on as little as possible.
"""

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass

import nacl.bindings
import nacl.exceptions

from .errors import SignatureError

NAMESPACE = "undersigned-sign-v1"
KEY_TYPE = "ssh-ed25519"
ED25519_KEY_BYTES = 32
ED25519_SIGNATURE_BYTES = 64
# An Ed25519 key line is about 80 characters before its comment; anything near this is not one.
MAX_PUBLIC_KEY_LINE = 1024
# An armored Ed25519 SSHSIG is about 300 characters.
MAX_ARMORED_SIGNATURE = 4096

_MAGIC = b"SSHSIG"
_VERSION = 1
_HASHES = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}
_BEGIN, _END = "-----BEGIN SSH SIGNATURE-----", "-----END SSH SIGNATURE-----"
_KEY_LINE = re.compile(r"(?P<type>\S+)\s+(?P<blob>[A-Za-z0-9+/]+={0,2})(?:\s+(?P<comment>.*))?")


class KeyLineError(ValueError):
    """A public key line that is not an SSH Ed25519 key; ``code`` says why, for the API."""

    def __init__(self, message: str, code: str = "invalid_key"):
        super().__init__(message)
        self.code = code


class SshsigError(SignatureError):
    """An SSHSIG that does not prove the signature it must; the message says which check failed."""


@dataclass(frozen=True)
class PublicKey:
    raw: bytes  # the 32-byte Ed25519 key
    comment: str = ""

    @property
    def wire(self) -> bytes:
        """The key as SSH writes it on the wire (RFC 8709 §4): string(type) ‖ string(key)."""
        return _string(KEY_TYPE.encode()) + _string(self.raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw)

    @property
    def line(self) -> str:
        """The ``ssh-ed25519 AAAA…`` line, without its comment."""
        return f"{KEY_TYPE} {base64.b64encode(self.wire).decode()}"


def fingerprint(raw_key: bytes) -> str:
    """``SHA256:`` and the unpadded base64 of the SHA-256 of the key's wire form, as
    ``ssh-keygen -l`` prints it."""
    wire = _string(KEY_TYPE.encode()) + _string(raw_key)
    return "SHA256:" + base64.b64encode(hashlib.sha256(wire).digest()).decode().rstrip("=")


def parse_public_key(line: str) -> PublicKey:
    """The Ed25519 key of an ``ssh-ed25519 AAAA… comment`` line (an authorized_keys line without
    options); raises KeyLineError with code ``unsupported_key`` for another kind of key,
    ``too_large`` for an overlong line, ``invalid_key`` for anything malformed."""
    if not isinstance(line, str):
        raise KeyLineError("public_key must be a string such as 'ssh-ed25519 AAAA… comment'.")
    if len(line) > MAX_PUBLIC_KEY_LINE:
        raise KeyLineError(f"A public key line is at most {MAX_PUBLIC_KEY_LINE} characters.", "too_large")
    match = _KEY_LINE.fullmatch(line.strip())
    if match is None:
        raise KeyLineError("public_key is not an OpenSSH public key line ('ssh-ed25519 AAAA… comment').")
    if match["type"] != KEY_TYPE:
        raise KeyLineError(
            f"Only Ed25519 keys ({KEY_TYPE}) are accepted, not {match['type'][:40]}: "
            "make one with ssh-keygen -t ed25519.",
            "unsupported_key",
        )
    try:
        blob = base64.b64decode(match["blob"], validate=True)
        reader = _Reader(blob)
        key_type, raw = reader.string(), reader.string()
        reader.end()
    except (binascii.Error, ValueError):
        raise KeyLineError("public_key's base64 is not an SSH key.") from None
    if key_type != KEY_TYPE.encode() or len(raw) != ED25519_KEY_BYTES:
        raise KeyLineError("public_key's base64 is not an Ed25519 key of 32 bytes.")
    return PublicKey(raw, (match["comment"] or "").strip())


@dataclass(frozen=True)
class Sshsig:
    """A parsed SSHSIG blob."""

    public_key: bytes  # the signer's raw Ed25519 key
    namespace: str
    reserved: bytes
    hash_algorithm: str
    signature: bytes  # the raw 64-byte Ed25519 signature

    def signed_data(self, message: bytes) -> bytes:
        """What the Ed25519 signature is over, for this message."""
        digest = _HASHES[self.hash_algorithm](message).digest()
        return (
            _MAGIC
            + _string(self.namespace.encode())
            + _string(self.reserved)
            + _string(self.hash_algorithm.encode())
            + _string(digest)
        )


def parse_armored(armored: str) -> Sshsig:
    """The SSHSIG inside ``-----BEGIN SSH SIGNATURE-----`` armor; raises SshsigError."""
    if not isinstance(armored, str):
        raise SshsigError("an SSH signature is the armored text ssh-keygen -Y sign writes")
    if len(armored) > MAX_ARMORED_SIGNATURE:
        raise SshsigError(f"an SSH signature is at most {MAX_ARMORED_SIGNATURE} characters")
    lines = armored.strip().splitlines()
    if len(lines) < 3 or lines[0].strip() != _BEGIN or lines[-1].strip() != _END:
        raise SshsigError(f"an SSH signature starts with {_BEGIN} and ends with {_END}")
    try:
        blob = base64.b64decode("".join(line.strip() for line in lines[1:-1]), validate=True)
    except binascii.Error:
        raise SshsigError("the SSH signature's armor does not hold base64") from None
    return parse_blob(blob)


def parse_blob(blob: bytes) -> Sshsig:
    """The fields of an SSHSIG blob (PROTOCOL.sshsig §2), Ed25519 only; raises SshsigError."""
    try:
        reader = _Reader(blob)
        if reader.take(len(_MAGIC)) != _MAGIC:
            raise SshsigError("the blob does not start with SSHSIG")
        version = reader.uint32()
        if version != _VERSION:
            raise SshsigError(f"SSHSIG version {version}; only version {_VERSION} exists")
        key = _Reader(reader.string())
        key_type, public_key = key.string(), key.string()
        key.end()
        namespace, reserved, hash_algorithm = reader.string(), reader.string(), reader.string()
        signature = _Reader(reader.string())
        signature_type, raw_signature = signature.string(), signature.string()
        signature.end()
        reader.end()
    except ValueError as error:
        raise SshsigError(f"the SSH signature is malformed: {error}") from None
    if key_type != KEY_TYPE.encode() or len(public_key) != ED25519_KEY_BYTES:
        raise SshsigError(f"the SSH signature is by a {key_type[:40]!r} key; only {KEY_TYPE} keys are accepted")
    if signature_type != KEY_TYPE.encode() or len(raw_signature) != ED25519_SIGNATURE_BYTES:
        raise SshsigError("the SSH signature's signature is not an Ed25519 signature of 64 bytes")
    algorithm = hash_algorithm.decode("ascii", "replace")
    if algorithm not in _HASHES:
        raise SshsigError(f"the SSH signature's hash algorithm is {algorithm[:20]!r}, not sha256 or sha512")
    try:
        namespace_text = namespace.decode("utf-8")
    except UnicodeDecodeError:
        raise SshsigError("the SSH signature's namespace is not UTF-8") from None
    return Sshsig(public_key, namespace_text, reserved, algorithm, raw_signature)


def verify(armored: str, public_key: bytes, message: bytes, namespace: str = NAMESPACE) -> Sshsig:
    """Raise SshsigError unless ``armored`` is an SSHSIG by ``public_key`` (raw Ed25519) over
    ``message`` in ``namespace``; return the parsed signature."""
    sig = parse_armored(armored)
    if sig.namespace != namespace:
        raise SshsigError(
            f"the SSH signature was made for namespace {sig.namespace[:60]!r}, not {namespace!r} "
            f"(sign with ssh-keygen -Y sign -n {namespace})"
        )
    if sig.public_key != public_key:
        raise SshsigError(
            f"the SSH signature is by key {fingerprint(sig.public_key)}, not by the registered key "
            f"{fingerprint(public_key)}"
        )
    try:
        nacl.bindings.crypto_sign_open(sig.signature + sig.signed_data(message), public_key)
    except (nacl.exceptions.BadSignatureError, ValueError):
        raise SshsigError(
            f"the SSH signature by key {fingerprint(public_key)} does not verify over the statement"
        ) from None
    return sig


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


class _Reader:
    """Reads SSH wire fields (RFC 4251 §5) from a blob; raises ValueError when one runs past its end."""

    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def take(self, count: int) -> bytes:
        if count > len(self.data) - self.at:
            raise ValueError(f"a field of {count} bytes runs past the end at byte {self.at}")
        chunk = self.data[self.at : self.at + count]
        self.at += count
        return chunk

    def uint32(self) -> int:
        value: int = struct.unpack(">I", self.take(4))[0]
        return value

    def string(self) -> bytes:
        return self.take(self.uint32())

    def end(self) -> None:
        if self.at != len(self.data):
            raise ValueError(f"{len(self.data) - self.at} bytes follow the last field")
