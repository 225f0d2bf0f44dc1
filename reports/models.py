"""Reports the Office writes about a State, their immutable versions, the shares with the State
concerned, its comments, and publication.

Rows that record a fact (a version, a share, a comment) are never deleted; the few fields that
change (a report's status, a share's acknowledgement, publication) change only through
reports.actions, which records each change as an event in the log in the same transaction.
"""

import secrets

from django.conf import settings
from django.db import models

from documents.models import HashedVersion
from orgs.models import Organisation
from reports import states


def new_handle() -> str:
    # 128 random bits: the handle is the key to the report's public timeline.
    return secrets.token_urlsafe(16)


class Report(models.Model):
    handle = models.CharField(max_length=32, unique=True, default=new_handle, editable=False)
    office = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports_written")
    concerning = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports_concerning")
    status = models.CharField(max_length=16, choices=states.STATUSES, default=states.DRAFT)
    current_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # The request that created it, so a retried POST answers with the same report.
    request_digest = models.CharField(max_length=64, blank=True, default="", db_index=True)
    published_version = models.PositiveIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    publication_log_index = models.BigIntegerField(null=True, blank=True)
    none_by_deadline = models.BooleanField(default=False, help_text="Published recording that no comments came")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"report {self.id}"


class ReportVersion(HashedVersion):
    """A version: Markdown written here, or an uploaded PDF or DOCX kept by its SHA-256 (then
    ``body`` is the text extracted from it, for search and diffs, and ``hash`` the file's)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    file_sha256 = models.CharField(max_length=64, blank=True, default="")
    file_name = models.CharField(max_length=255, blank=True, default="")
    media_type = models.CharField(max_length=100, blank=True, default="")
    file_size = models.BigIntegerField(null=True, blank=True)
    answers = models.JSONField(default=list, help_text="Ids of the comments this version answers")

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_report_version_number")]

    def __str__(self):
        return f"v{self.number} of report {self.report_id}"


class Share(models.Model):
    """A version sent to the State concerned for comment, with a deadline."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="shares")
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="shares")
    deadline = models.DateTimeField()
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField()
    log_index = models.BigIntegerField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledgement_log_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["log_index"]


class Comment(models.Model):
    """The State's comments on a shared version, signed with its key; text or a file."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="comments")
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="comments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(blank=True, default="")
    file_sha256 = models.CharField(max_length=64, blank=True, default="")
    file_name = models.CharField(max_length=255, blank=True, default="")
    media_type = models.CharField(max_length=100, blank=True, default="")
    hash = models.CharField(max_length=64)
    annex = models.BooleanField()
    late = models.BooleanField(default=False)
    signature = models.CharField(max_length=100)
    sent_at = models.DateTimeField()
    log_index = models.BigIntegerField()

    class Meta:
        ordering = ["log_index"]
