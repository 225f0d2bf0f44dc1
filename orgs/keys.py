"""Custodial organisation keys: Ed25519 seeds encrypted at rest with a key from the settings."""

import base64
import hashlib
import secrets
from functools import lru_cache

import nacl.secret
import nacl.signing
from django.conf import settings

from core.secrets import instance_secret


@lru_cache(maxsize=1)
def _box() -> nacl.secret.SecretBox:
    configured = settings.ORG_KEY_ENCRYPTION_KEY or instance_secret(
        settings.VAR_DIR, "org_key_encryption_key", lambda: secrets.token_urlsafe(32)
    )
    # Any string the operator chooses becomes a 32-byte key; the domain tag keeps it from
    # being reused for anything else.
    key = hashlib.sha256(b"undersigned/org-key-encryption/v1\x00" + configured.encode()).digest()
    return nacl.secret.SecretBox(key)


def new_keypair() -> tuple[bytes, bytes]:
    """Return (public key, encrypted seed) for a fresh Ed25519 key."""
    signing_key = nacl.signing.SigningKey.generate()
    return bytes(signing_key.verify_key), bytes(_box().encrypt(bytes(signing_key)))


def seed_of(organisation) -> bytes:
    return _box().decrypt(bytes(organisation.encrypted_seed))


def public_key_b64(organisation) -> str:
    return base64.b64encode(bytes(organisation.public_key)).decode()
