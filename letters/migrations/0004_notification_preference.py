"""Notification preferences move from the web app to the letters domain, which sends the mail.

The rows are copied from the web app's table, which web's migration 0002 then drops."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SWITCHES = ("invited", "new_version", "delivered", "acknowledged", "reminder")


def copy_preferences(apps, schema_editor):
    old = apps.get_model("web", "NotificationPreference")
    new = apps.get_model("letters", "NotificationPreference")
    new.objects.bulk_create(
        new(user_id=row["user_id"], **{name: row[name] for name in SWITCHES})
        for row in old.objects.values("user_id", *SWITCHES)
    )


def copy_back(apps, schema_editor):
    old = apps.get_model("web", "NotificationPreference")
    new = apps.get_model("letters", "NotificationPreference")
    old.objects.bulk_create(
        old(user_id=row["user_id"], **{name: row[name] for name in SWITCHES})
        for row in new.objects.values("user_id", *SWITCHES)
    )


class Migration(migrations.Migration):

    dependencies = [
        ("letters", "0003_notification_attempts"),
        ("web", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NotificationPreference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("invited", models.BooleanField(default=True)),
                ("new_version", models.BooleanField(default=True)),
                ("delivered", models.BooleanField(default=True)),
                ("acknowledged", models.BooleanField(default=True)),
                ("reminder", models.BooleanField(default=True)),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                              to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.RunPython(copy_preferences, copy_back),
    ]
