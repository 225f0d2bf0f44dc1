from django.core.management.base import BaseCommand, CommandError

from letters import notify


class Command(BaseCommand):
    help = "Remind signers of deadlines within 48 hours, and retry mail whose sending failed."

    def handle(self, *args, **options):
        failures = []
        reminded = retried = 0
        try:
            reminded = notify.send_deadline_reminders()
        except notify.MailNotSent as error:
            failures.append(f"reminders: {error}")
        try:
            retried = notify.retry_unsent()
        except notify.MailNotSent as error:
            failures.append(f"retries: {error}")
        self.stdout.write(f"{reminded} reminders sent, {retried} failed messages sent again")
        if failures:
            # A non-zero exit tells cron; the unsent rows are tried again next time.
            raise CommandError("; ".join(failures))
