from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "record"
    verbose_name = "Public record"

    def ready(self):
        from record import checks  # noqa: F401  (registers the system checks)
