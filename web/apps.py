from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"

    def ready(self):
        # The API serves versions as PDF and Word with the pages' renderer and names (letters.documents).
        from web import documents

        documents.register()

        from web import checks  # noqa: F401  (registers the passkeys' system checks)
