"""The immutable, hashed version a letter and a report both have.

A version is never changed or deleted once written: its hash is what signatures, shares and
comments name, and its row carries the index of the event in the log that recorded it."""

from django.conf import settings
from django.db import models

from documents import limits


class HashedVersion(models.Model):
    """The columns every version has; each flow's model adds the document it belongs to (and
    its own ordering and constraints, which name that document)."""

    number = models.PositiveIntegerField()
    title = models.CharField(max_length=limits.TITLE)
    body = models.TextField()
    hash = models.CharField(max_length=64)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=limits.NOTE)
    created_at = models.DateTimeField()
    log_index = models.BigIntegerField()

    class Meta:
        abstract = True
