"""Reminders before a report's deadline, through the site's mail: the State concerned's signers,
once per deadline, unless the State has commented since the share; nobody else."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from letters import notify
from reports import actions


@pytest.fixture
def due_tomorrow(written, office):
    actions.share(
        office.user,
        written["id"],
        version=1,
        version_hash=written["current_hash"],
        deadline=timezone.now() + datetime.timedelta(hours=24),
    )
    return written


def test_the_states_signer_is_reminded_once_before_the_deadline(due_tomorrow, state_signer, penholder, signer):
    mail.outbox.clear()

    assert notify.send_deadline_reminders() == 1
    assert notify.send_deadline_reminders() == 0

    (message,) = mail.outbox
    assert message.to == [state_signer.user.email]
    assert f"/r/{due_tomorrow['handle']}" in message.body
    assert "illustrative" not in message.body  # the mail names no content of the report


def test_no_reminder_once_the_state_has_commented(due_tomorrow, state_signer):
    actions.comment(
        state_signer.user,
        due_tomorrow["id"],
        version_hash=due_tomorrow["current_hash"],
        annex=False,
        body="Our comments.",
    )
    mail.outbox.clear()

    assert notify.send_deadline_reminders() == 0


def test_no_reminder_while_the_deadline_is_far(written, office, state_signer):
    actions.share(
        office.user,
        written["id"],
        version=1,
        version_hash=written["current_hash"],
        deadline=timezone.now() + datetime.timedelta(days=10),
    )
    mail.outbox.clear()

    assert notify.send_deadline_reminders() == 0


def test_a_failed_reminder_is_sent_again_from_its_key(due_tomorrow, state_signer):
    from unittest import mock

    with (
        mock.patch("letters.notify.send_mail", side_effect=ConnectionError("smtp down")),
        pytest.raises(notify.MailNotSent),
    ):
        notify.send_deadline_reminders()
    mail.outbox.clear()

    assert notify.retry_unsent() == 1
    assert mail.outbox[0].to == [state_signer.user.email]


def test_the_state_hears_by_mail_that_a_version_is_shared_with_it(
    written, office, state_signer, penholder, signer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        actions.share(
            office.user,
            written["id"],
            version=1,
            version_hash=written["current_hash"],
            deadline=timezone.now() + datetime.timedelta(days=30),
        )

    assert sorted(m.to[0] for m in mail.outbox) == sorted([state_signer.user.email, penholder.user.email])
    assert f"/r/{written['handle']}" in mail.outbox[0].body
    assert "illustrative" not in mail.outbox[0].body.lower()
