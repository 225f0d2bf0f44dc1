"""Organisations, their members, API tokens and the keys members hold."""

import hashlib
import secrets

from django.conf import settings
from django.db import models

from ledger import key_events
from orgs.vocabulary import (  # noqa: F401 (the names callers import from here)
    KIND_IGO,
    KIND_NGO,
    KIND_OBSERVER,
    KIND_STATE,
    KIND_UN_OFFICE,
    KINDS,
    ROLE_DRAFTER,
    ROLE_SIGNER,
    ROLE_VIEWER,
    ROLES,
    SLUG_LENGTH,
)


class Organisation(models.Model):
    slug = models.SlugField(max_length=SLUG_LENGTH, unique=True)
    kind = models.CharField(max_length=16, choices=KINDS)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=3, blank=True, default="", help_text="ISO 3166-1 alpha-3, for States")
    regional_group = models.CharField(max_length=64, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    # Custodial Ed25519 key: the public half is registered in the log; the seed is encrypted
    # at rest (see orgs.keys) so a copy of the database alone cannot sign for anyone.
    public_key = models.BinaryField(max_length=32)
    encrypted_seed = models.BinaryField()
    key_log_index = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Member(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=16, choices=ROLES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="one_role_once")]

    def __str__(self):
        return f"{self.user} · {self.role} · {self.organisation.slug}"


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, so a database leak reveals no token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The first characters, to tell tokens apart")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user) -> str:
        token = "us_" + secrets.token_urlsafe(32)
        cls.objects.create(user=user, digest=cls.digest_of(token), prefix=token[:8])
        return token


class OwnKeyQuerySet(models.QuerySet):
    def active_passkeys(self, member, organisation_id: int) -> "OwnKeyQuerySet":
        """The passkeys ``member`` holds for the organisation that may sign now."""
        return self.filter(
            member=member,
            organisation_id=organisation_id,
            kind=key_events.KIND_WEBAUTHN,
            status=key_events.STATUS_ACTIVE,
        )


class OwnKey(models.Model):
    """A key a member holds and the server never sees the private half of: an SSH Ed25519 key
    or a passkey. Its life (registration, approval, rotation, revocation) is on the log as key
    events (ledger/key_events.py); the columns repeat the log so pages and the API read them fast."""

    KIND_SSH, KIND_WEBAUTHN = key_events.KIND_SSH, key_events.KIND_WEBAUTHN
    KINDS = [(KIND_SSH, "SSH Ed25519"), (KIND_WEBAUTHN, "Passkey")]
    STATUS_ACTIVE, STATUS_PENDING, STATUS_REVOKED = (
        key_events.STATUS_ACTIVE,
        key_events.STATUS_PENDING,
        key_events.STATUS_REVOKED,
    )
    STATUSES = [(STATUS_ACTIVE, "active"), (STATUS_PENDING, "pending approval"), (STATUS_REVOKED, "revoked")]

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="own_keys")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="own_keys")
    kind = models.CharField(max_length=16, choices=KINDS)
    # Raw 32-byte Ed25519 key for ssh, the COSE key for a passkey.
    public_key = models.BinaryField(max_length=1024)
    credential_id = models.BinaryField(max_length=1024, null=True, blank=True, help_text="A passkey's credential id")
    fingerprint = models.CharField(max_length=64, unique=True)
    comment = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(max_length=16, choices=STATUSES)
    registered_log_index = models.BigIntegerField()
    approved_log_index = models.BigIntegerField(null=True, blank=True)
    revoked_log_index = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    # A passkey's signature counter in its latest accepted assertion (WebAuthn §6.1.1): a later
    # assertion must count higher, unless the authenticator counts nothing (always 0).
    sign_count = models.BigIntegerField(default=0)

    objects = OwnKeyQuerySet.as_manager()

    class Meta:
        ordering = ["registered_log_index"]

    def __str__(self):
        return f"{self.kind} {self.fingerprint} · {self.organisation.slug} · {self.status}"


class OwnKeySignature(models.Model):
    """A signature event made with an own key rather than the custodial one, by its log index:
    what public counts of ``own_keys`` count."""

    key = models.ForeignKey(OwnKey, on_delete=models.PROTECT, related_name="signatures")
    log_index = models.BigIntegerField(unique=True)
