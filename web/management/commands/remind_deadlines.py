from django.core.management.base import BaseCommand

from letters import notify


class Command(BaseCommand):
    help = "Remind signers of deadlines within 48 hours, and retry mail whose sending failed."

    def handle(self, *args, **options):
        reminded = notify.send_deadline_reminders()
        retried = notify.retry_unsent()
        self.stdout.write(f"{reminded} reminders sent, {retried} failed messages sent again")
