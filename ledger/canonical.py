"""Canonical bytes: every hash and signature in the record is over these."""

import hashlib
import json
import json.encoder
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

import rfc8785

# RFC 8785 writes strings, integers, booleans, null, arrays and objects exactly as the standard
# library's C encoder does with these settings (same escapes, lowercase \u00xx, raw UTF-8),
# provided object keys sort the same by code point as by UTF-16 (true of ASCII keys) and
# integers are within the range JCS allows. Floats are spelt differently, so they, and anything
# unusual, go to rfc8785 itself.
# check_circular is off: _plain has walked (or, for plain_json, the caller's argument has shown)
# every value, and parsed JSON never refers to itself.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":"), check_circular=False
)
SAFE_INTEGER = 2**53 - 1  # RFC 8785 writes integers exactly up to this magnitude


def _c_encoder() -> Callable[[Any, int], Iterable[str]] | None:
    """The C encoding function ``_ENCODER.encode`` builds afresh on every call (with the
    arguments json.encoder.JSONEncoder.iterencode passes it), built once; None without _json."""
    make_encoder = getattr(json.encoder, "c_make_encoder", None)  # undocumented, so untyped
    if make_encoder is None:
        return None
    e = _ENCODER
    return make_encoder(
        None,
        e.default,
        json.encoder.encode_basestring,
        e.indent,
        e.key_separator,
        e.item_separator,
        e.sort_keys,
        e.skipkeys,
        e.allow_nan,
    )


_C_ENCODE = _c_encoder()


def _plain(value: Any) -> bool:
    """True when ``value`` holds only what the standard encoder writes as RFC 8785 does."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not key.isascii():
                return False
            if type(item) is not str and not _plain(item):
                return False
        return True
    if kind is list or kind is tuple:
        # A loop, not all(): this walk is canonical_json's hot path, and all() over a generator
        # takes three times as long on a short list
        for item in value:  # noqa: SIM110
            if type(item) is not str and not _plain(item):
                return False
        return True
    if kind is int:
        return -SAFE_INTEGER <= value <= SAFE_INTEGER
    return kind is str or kind is bool or value is None


def canonical_json(obj: Any) -> bytes:
    """RFC 8785 (JCS) canonical JSON of ``obj`` as UTF-8 bytes.

    The common case goes through the C JSON encoder (rfc8785 is pure Python and was most of
    the verifier's time); tests/ledger/test_canonical.py checks both give the same bytes."""
    if _plain(obj):
        try:
            return plain_json(obj)
        except UnicodeEncodeError:
            pass  # a lone surrogate: rfc8785 raises its own error for it
    return rfc8785.dumps(obj)


def plain_json(obj: Any) -> bytes:
    """``canonical_json`` of a value its caller has already shown to be plain (``_plain(obj)``
    holds), without walking it again: the C encoder alone. A lone surrogate in a string raises
    UnicodeEncodeError (a ValueError), as it has no RFC 8785 form."""
    if _C_ENCODE is None:
        return _ENCODER.encode(obj).encode("utf-8")
    return "".join(_C_ENCODE(obj, 0)).encode("utf-8")


def normalise_text(text: str) -> str:
    """NFC with LF line ends, so the same text typed on any system hashes the same."""
    unix = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", unix)


def version_hash(title: str, addressee: str, body: str) -> str:
    """Hex ``H(JCS({"title", "addressee", "body"}))`` with the body normalised
    (docs/record.md, "Rules the verifier checks")."""
    content = {"title": title, "addressee": addressee, "body": normalise_text(body)}
    return hashlib.sha256(canonical_json(content)).hexdigest()
