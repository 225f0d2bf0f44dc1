from django.db import migrations


def create_singletons(apps, schema_editor):
    # The two rows every append and every integration locks; they must exist before the first event.
    apps.get_model("record", "LogHead").objects.get_or_create(pk=1)
    apps.get_model("record", "TreeState").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("record", "0001_initial")]
    operations = [migrations.RunPython(create_singletons, migrations.RunPython.noop)]
