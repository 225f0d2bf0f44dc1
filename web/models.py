"""Per-person preferences for the web pages: which kinds of mail a person wants."""

from django.conf import settings
from django.db import models

# The kinds of mail letters.notify sends, with the field that switches each on or off.
KINDS = ("invited", "new_version", "delivered", "acknowledged", "reminder")


class NotificationPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited = models.BooleanField(default=True)
    new_version = models.BooleanField(default=True)
    delivered = models.BooleanField(default=True)
    acknowledged = models.BooleanField(default=True)
    reminder = models.BooleanField(default=True)

    def wants(self, kind: str) -> bool:
        return getattr(self, kind, True)


def users_who_want(kind: str, users):
    """The users (an iterable) who have not switched off this kind of mail; one query."""
    users = list(users)
    off = set(
        NotificationPreference.objects.filter(user__in=users, **{kind: False}).values_list("user_id", flat=True)
    )
    return [user for user in users if user.id not in off]
