from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_own_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="ownkey",
            name="sign_count",
            field=models.BigIntegerField(default=0),
        ),
    ]
