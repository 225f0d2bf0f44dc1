"""The 195 States of core/data/un_states.csv, so the register works right after `migrate`."""

import csv

from django.db import migrations

from core import datafiles


def load_countries(apps, schema_editor):
    Country = apps.get_model("register", "Country")
    with datafiles.path("un_states.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    Country.objects.bulk_create(
        [Country(iso3=row["iso3"], iso2=row["iso2"], name=row["name"], status=row["status"],
                 regional_group=_group(row["regional_group"])) for row in rows],
        ignore_conflicts=True,
    )


def _group(value: str) -> str:
    # The Holy See and the State of Palestine sit in no regional group ("none" in the file).
    return "" if value == "none" else value


def unload_countries(apps, schema_editor):
    apps.get_model("register", "Country").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [migrations.RunPython(load_countries, unload_countries)]
