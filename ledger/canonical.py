"""Canonical bytes: every hash and signature in the record is over these."""

import hashlib
import unicodedata

import rfc8785


def canonical_json(obj) -> bytes:
    """RFC 8785 (JCS) canonical JSON of ``obj`` as UTF-8 bytes."""
    return rfc8785.dumps(obj)


def normalise_text(text: str) -> str:
    """NFC with LF line ends, so the same text typed on any system hashes the same."""
    unix = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", unix)


def version_hash(title: str, addressee: str, body: str) -> str:
    """Hex ``H(JCS({"title", "addressee", "body"}))`` with the body normalised
    (docs/record.md, "Rules the verifier checks")."""
    content = {"title": title, "addressee": addressee, "body": normalise_text(body)}
    return hashlib.sha256(canonical_json(content)).hexdigest()
