from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"

    def ready(self):
        # The mail's receivers (a report shared with a State) connect when notify is imported.
        from letters import notify  # noqa: F401
