"""Letters, their immutable versions, invitations, signatures and deliveries.

Rows that record a fact (a version, a signature, a delivery) are never deleted; the few fields
that change (a letter's status, a signature's withdrawal) change only through letters.actions,
which records each change as an event in the log in the same transaction.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from documents.models import HashedVersion
from letters import limits, states
from orgs.models import Organisation
from reports.models import Report


def new_handle() -> str:
    # 128 random bits: the handle is the key to a letter's public page and must not be guessable.
    return secrets.token_urlsafe(16)


class Letter(models.Model):
    handle = models.CharField(max_length=32, unique=True, default=new_handle, editable=False)
    penholder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="letters_held")
    addressee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="letters_received")
    status = models.CharField(max_length=16, choices=states.STATUSES, default=states.DRAFT)
    language = models.CharField(max_length=limits.LANGUAGE, default="en")
    names_visible_to = models.CharField(max_length=16, choices=states.NAMES_VISIBILITY, default=states.NAMES_PENHOLDER)
    deadline = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True, default="")
    current_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # The request that created it, so a retried POST answers with the same letter.
    request_digest = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # The report this letter is about (DESIGN.md: a letter may name the report it concerns).
    concerning_report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )

    # Not a column: the current version's number and hash, set on a letter an action has locked
    # (letters.rows.lock_letters).
    current: "Version"

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"letter {self.id}"

    @property
    def title(self) -> str:
        return self.version(self.current_version).title

    def version(self, number: int) -> "Version":
        return self.versions.get(number=number)


class Version(HashedVersion):
    """A letter's version: the text, and the addressee, its signatories sign."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="versions")
    addressee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    hash = models.CharField(max_length=64, db_index=True)  # looked up by /check, whole or by its first digits

    class Meta:
        ordering = ["letter", "number"]
        constraints = [models.UniqueConstraint(fields=["letter", "number"], name="one_version_number")]

    def __str__(self):
        return f"v{self.number} of letter {self.letter_id}"


class Invitation(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    invited_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["letter", "organisation"], name="invited_once")]


class VersionView(models.Model):
    """Who has opened which version: the penholder's view of the circulation."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="views")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    first_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["letter", "organisation", "version"], name="seen_once")]


class Signature(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="signatures")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="signatures")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="signatures")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    late = models.BooleanField(default=False)
    log_index = models.BigIntegerField()
    # A signature stops being live when withdrawn or when the same organisation re-confirms
    # on a newer version; the row itself stays, bound to the version it named.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.CharField(max_length=limits.REASON, blank=True, default="")
    withdrawal_late = models.BooleanField(default=False)
    withdrawal_log_index = models.BigIntegerField(null=True, blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces")

    class Meta:
        ordering = ["log_index"]
        constraints = [
            # The database itself guarantees one live signature per organisation and letter,
            # whatever races the application layer loses.
            models.UniqueConstraint(
                fields=["letter", "organisation"],
                condition=Q(withdrawn_at__isnull=True, replaced_at__isnull=True),
                name="one_live_signature",
            )
        ]

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None and self.replaced_at is None


class Delivery(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="deliveries")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="deliveries")
    hash = models.CharField(max_length=64, unique=True)
    signatories = models.JSONField(help_text="Slugs, in the order they signed")
    withdrawn = models.JSONField(default=list, help_text="Slugs withdrawn since an earlier delivery")
    addendum_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="addenda")
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    delivered_at = models.DateTimeField()
    log_index = models.BigIntegerField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledgement_log_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["log_index"]


class Notification(models.Model):
    """One row per message: written before sending, so a retry never sends a message twice."""

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Sends tried, the successful one included")
    last_error = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="What the last failed send raised (its kind and SMTP code, no text)",
    )


# The kinds of mail letters.notify sends; each is a switch of NotificationPreference.
MAIL_KINDS = ("invited", "new_version", "delivered", "acknowledged", "reminder", "comments")


class NotificationPreference(models.Model):
    """Which kinds of mail a person wants (all, until they switch some off)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited = models.BooleanField(default=True)
    new_version = models.BooleanField(default=True)
    delivered = models.BooleanField(default=True)
    acknowledged = models.BooleanField(default=True)
    reminder = models.BooleanField(default=True)
    comments = models.BooleanField(default=True)
    # The language the person last saved these settings in; mail that is translated comes in it
    # (empty: the site's default language).
    language = models.CharField(max_length=limits.LANGUAGE, blank=True, default="")

    def wants(self, kind: str) -> bool:
        return getattr(self, kind, True)

    @classmethod
    def users_who_want(cls, kind: str, users) -> list:
        """The users (an iterable) who have not switched off this kind of mail; one query."""
        users = list(users)
        off = set(cls.objects.filter(user__in=users, **{kind: False}).values_list("user_id", flat=True))
        return [user for user in users if user.id not in off]


class Comment(models.Model):
    """An invitee's comment on a version while the letter circulates: the drafting conversation.

    Never on the log and never public: it is talk about the text, not a fact about the letter.
    The penholder reads every comment; an invited organisation reads its own, and the others'
    only when the penholder shares them (CommentSharing)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="comments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["letter", "created_at"], name="comments_of_letter")]


class CommentSharing(models.Model):
    """The penholder's choice to let every invitee read every comment (off until switched on)."""

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, primary_key=True, related_name="comment_sharing")
    shared = models.BooleanField(default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()


class CheckedText(models.Model):
    """A version's text in the loose form letters.check compares (quotes, dashes, spacing and
    Markdown markup folded away), computed once per version rather than on every check."""

    version = models.OneToOneField(Version, on_delete=models.CASCADE, primary_key=True, related_name="checked_text")
    loose_hash = models.CharField(max_length=64, db_index=True)
    loose_text = models.TextField()


class TextFingerprint(models.Model):
    """One sampled shingle of a published version's loose text: pasted text finds its nearest
    versions by the fingerprints they share, without reading every text."""

    text = models.ForeignKey(CheckedText, on_delete=models.CASCADE, related_name="fingerprints")
    value = models.BigIntegerField(db_index=True)
