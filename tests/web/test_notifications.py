"""Mail: preferences decide who gets what; reminders before deadlines; a failed send is retried, never doubled."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from letters import notify
from letters.models import Letter, Notification, NotificationPreference


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Circulate, running the after-commit mail queue the test transaction would never reach."""

    def invite(penholder, letter_id, slugs, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = penholder.api.post(f"/letters/{letter_id}/circulate", {"invitees": slugs, **extra})
        assert response.status_code in (200, 201), response.content

    return invite


def test_the_signer_sees_and_saves_the_preferences_page(signer):
    page = signer.web.get("/settings/notifications/")
    assert page.status_code == 200 and b'name="invited"' in page.content
    response = signer.web.post("/settings/notifications/", {"delivered": "on", "reminder": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=signer.user)
    assert not preference.invited and preference.delivered and preference.reminder


def test_anonymous_cannot_open_the_preferences_page(client, db):
    assert client.get("/settings/notifications/").status_code == 302


def test_a_signer_who_switched_off_invitations_gets_none(draft, penholder, signer, second_signer, invite):
    NotificationPreference.objects.create(user=signer.user, invited=False)
    mail.outbox.clear()
    invite(penholder, draft["id"], ["pak", "cub"])
    recipients = [m.to[0] for m in mail.outbox]
    assert second_signer.user.email in recipients
    assert signer.user.email not in recipients


def test_signers_who_have_not_signed_are_reminded_once_before_the_deadline(
    draft, penholder, signer, second_signer, invite
):
    deadline = timezone.now() + datetime.timedelta(hours=24)
    invite(penholder, draft["id"], ["pak", "cub"], deadline=deadline.isoformat())
    from tests.conftest import sign

    assert sign(signer, draft).status_code == 201
    mail.outbox.clear()
    assert notify.send_deadline_reminders() == 1
    assert [m.to[0] for m in mail.outbox] == [second_signer.user.email]
    assert notify.send_deadline_reminders() == 0


def test_no_reminder_while_the_deadline_is_far(draft, penholder, second_signer, invite):
    invite(penholder, draft["id"], ["cub"], deadline=(timezone.now() + datetime.timedelta(days=10)).isoformat())
    assert notify.send_deadline_reminders() == 0


def test_a_failed_send_stays_unsent_and_a_retry_sends_it_exactly_once(draft, penholder, second_signer, invite):
    with mock.patch("letters.notify.send_mail", side_effect=ConnectionError("smtp down")):
        invite(penholder, draft["id"], ["cub"])
    row = Notification.objects.get(user=second_signer.user)
    assert row.sent_at is None
    mail.outbox.clear()
    assert notify.retry_unsent() == 1
    assert [m.to[0] for m in mail.outbox] == [second_signer.user.email]
    assert notify.retry_unsent() == 0
    assert (
        notify.send_notifications.call("invited", [draft["id"], [second_signer.user.memberships.get().organisation_id]])
        == 0
    )
    assert len(mail.outbox) == 1


def test_the_management_command_reminds(draft, penholder, second_signer, capsys, invite):
    from django.core.management import call_command

    invite(penholder, draft["id"], ["cub"], deadline=(timezone.now() + datetime.timedelta(hours=3)).isoformat())
    call_command("remind_deadlines")
    assert "1 reminders sent" in capsys.readouterr().out
    assert Letter.objects.get(pk=draft["id"]).deadline is not None


def test_a_message_that_keeps_failing_is_given_up_after_five_attempts(draft, penholder, second_signer, invite, caplog):
    refused = smtplib.SMTPRecipientsRefused({second_signer.user.email: (550, b"no such user")})
    with mock.patch("letters.notify.send_mail", side_effect=refused):
        invite(penholder, draft["id"], ["cub"])  # the first attempt
        for _ in range(notify.MAX_ATTEMPTS - 1):
            with pytest.raises(notify.MailNotSent):
                notify.retry_unsent()
        assert notify.retry_unsent() == 0  # given up: not tried again
    row = Notification.objects.get(user=second_signer.user)
    assert row.sent_at is None and row.attempts == notify.MAX_ATTEMPTS
    assert row.last_error == "SMTPRecipientsRefused"
    assert "giving up" in caplog.text
    assert second_signer.user.email not in caplog.text  # the refusal's text names the address


def test_the_management_command_fails_loudly_but_without_addresses_when_mail_fails(
    draft, penholder, second_signer, invite, capsys
):
    from django.core.management import CommandError, call_command

    with mock.patch("letters.notify.send_mail", side_effect=ConnectionError("smtp down")):
        invite(penholder, draft["id"], ["cub"])
        with pytest.raises(CommandError, match="retries: some messages were not sent") as raised:
            call_command("remind_deadlines")
    assert second_signer.user.email not in str(raised.value)
    assert "0 reminders sent, 0 failed messages sent again" in capsys.readouterr().out
    assert Notification.objects.get().sent_at is None
