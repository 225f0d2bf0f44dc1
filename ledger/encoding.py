"""Strict base64 and hex, so one value has exactly one accepted spelling."""

import base64
import binascii
import re

_HEX = re.compile(r"[0-9a-f]*")


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    """Standard padded base64; raises ValueError on any other spelling."""
    if not isinstance(text, str):
        raise ValueError(f"expected a base64 string, found {type(text).__name__}")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"invalid base64 {text[:20]!r}: {error}") from None
    if b64encode(data) != text:
        raise ValueError(f"non-canonical base64 {text[:20]!r}")
    return data


def is_hex_digest(text) -> bool:
    """Lowercase hex of a SHA-256 digest."""
    return isinstance(text, str) and len(text) == 64 and _HEX.fullmatch(text) is not None
