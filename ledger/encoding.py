"""Strict base64 and hex, so one value has exactly one accepted spelling."""

import binascii
import re

_HEX = re.compile(r"[0-9a-f]*")


def b64encode(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def b64decode(text: str) -> bytes:
    """Standard padded base64; raises ValueError on any other spelling.

    A verifier decodes a dozen of these per entry, so this calls binascii directly
    (``base64.b64decode(text, validate=True)`` is the same strict decoder)."""
    if not isinstance(text, str):
        raise ValueError(f"expected a base64 string, found {type(text).__name__}")
    try:
        data = binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"invalid base64 {text[:20]!r}: {error}") from None
    if binascii.b2a_base64(data, newline=False).decode("ascii") != text:
        raise ValueError(f"non-canonical base64 {text[:20]!r}")
    return data


def is_hex_digest(text: object) -> bool:
    """Lowercase hex of a SHA-256 digest."""
    return isinstance(text, str) and len(text) == 64 and _HEX.fullmatch(text) is not None
