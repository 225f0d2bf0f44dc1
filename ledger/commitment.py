"""Commitments to private fields, and their openings (docs/record.md, "Openings")."""

import hashlib
import os

from .canonical import canonical_json
from .encoding import b64decode
from .errors import OpeningError

COMMITMENT_TAG = b"undersigned/commitment/v1\x00"
SALT_BYTES = 32


def new_salt() -> bytes:
    """32 random bytes: without them a guessable field (an organisation's slug) could be
    found by hashing every candidate."""
    return os.urandom(SALT_BYTES)


def new_salts(count: int) -> list[bytes]:
    """``count`` salts from one call to the system's generator (the same source as new_salt;
    a batch of events then makes one system call, not one per event)."""
    pool = os.urandom(SALT_BYTES * count)
    return [pool[i : i + SALT_BYTES] for i in range(0, len(pool), SALT_BYTES)]


def commit(salt: bytes, fields: dict) -> str:
    """Hex ``H("undersigned/commitment/v1" ‖ 0x00 ‖ salt ‖ JCS(fields))``."""
    return commit_canonical(salt, canonical_json(fields))


def commit_canonical(salt: bytes, canonical_fields: bytes) -> str:
    """``commit`` of fields whose JCS bytes the caller already has."""
    if len(salt) != SALT_BYTES:
        raise ValueError(f"salt must be {SALT_BYTES} bytes, got {len(salt)}")
    return hashlib.sha256(COMMITMENT_TAG + salt + canonical_fields).hexdigest()


def check_opening(entry: dict, opening: dict) -> None:
    """Raise OpeningError unless ``opening`` (salt, fields) opens ``entry``'s commitment."""
    index = opening.get("index")
    if "commitment" not in entry:
        raise OpeningError(f"opening for index {index}: the entry has no commitment")
    try:
        salt = b64decode(opening["salt"])
    except ValueError as error:
        raise OpeningError(f"opening for index {index}: salt: {error}") from None
    if len(salt) != SALT_BYTES:
        raise OpeningError(f"opening for index {index}: salt is {len(salt)} bytes, expected {SALT_BYTES}")
    computed = commit(salt, opening["fields"])
    if computed != entry["commitment"]:
        raise OpeningError(f"opening for index {index}: expected commitment {entry['commitment']}, computed {computed}")
