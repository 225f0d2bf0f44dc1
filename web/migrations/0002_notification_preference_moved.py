"""Notification preferences now live in the letters app (letters 0004 copied the rows)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("web", "0001_initial"),
        ("letters", "0004_notification_preference"),
    ]

    operations = [
        migrations.DeleteModel(name="NotificationPreference"),
    ]
