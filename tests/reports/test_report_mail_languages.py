"""The State concerned hears of a shared report, and of its coming deadline, in the language each
of its people saved their mail settings in (English until they do): the Office that shared it and
the deadline in UTC, as that language writes dates, and nothing of the report's content."""

import datetime
from unittest import mock

import pytest
from django.core import mail

from letters import notify
from letters.models import NotificationPreference
from reports import actions

DEADLINE = datetime.datetime(2030, 7, 15, 18, 5, tzinfo=datetime.UTC)


def share(office, report, deadline, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.share(office.user, report["id"], version=1, version_hash=report["current_hash"], deadline=deadline)


def mail_to(persona):
    (message,) = [m for m in mail.outbox if m.to == [persona.user.email]]
    return message


def test_the_states_signer_who_reads_arabic_hears_of_the_share_in_arabic_and_its_drafter_in_english(
    written, office, state_signer, penholder, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=state_signer.user, language="ar")
    mail.outbox.clear()
    share(office, written, DEADLINE, django_capture_on_commit_callbacks)

    arabic = mail_to(state_signer)
    assert arabic.subject == "أُحيل تقرير إلى دولتكم للتعليق عليه"
    assert arabic.body.startswith("أُحيلت إليكم للتعليق النسخة 1 من تقرير يتعلق بدولتكم.\n\n")
    assert "الجهة المُحيلة: المفوضية السامية لحقوق الإنسان\n" in arabic.body
    assert "الموعد النهائي للتعليقات: 15 يوليو 2030، الساعة 18:05 بالتوقيت العالمي المنسق (UTC)\n" in arabic.body
    assert arabic.body.endswith(f"/r/{written['handle']}\n")

    english = mail_to(penholder)
    assert english.subject == "A report has been shared with your State for comment"
    assert english.body.startswith(
        "Version 1 of a report concerning your State is shared with you for comment.\n\n"
        "Shared by: Office of the High Commissioner for Human Rights\n"
        "Comments due by: 15 July 2030 at 18:05 UTC\n"
    )
    assert "illustrative" not in english.body.lower() and "illustrative" not in arabic.body.lower()


def test_the_reminder_before_the_deadline_comes_in_french_to_a_signer_who_reads_french(
    written, office, state_signer, django_capture_on_commit_callbacks
):
    deadline = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0) + datetime.timedelta(hours=24)
    share(office, written, deadline, django_capture_on_commit_callbacks)
    NotificationPreference.objects.create(user=state_signer.user, language="fr")
    mail.outbox.clear()

    assert notify.send_deadline_reminders() == 1
    french = mail_to(state_signer)
    assert french.subject == "Les commentaires sur un rapport communiqué à votre État sont bientôt attendus"
    assert french.body.startswith("La date limite de vos commentaires est le ")
    assert f" à {deadline:%H:%M} UTC.\n\n" in french.body
    assert "Communiqué par : Haut-Commissariat aux droits de l’homme\n" in french.body


def test_the_reminder_comes_in_english_to_a_signer_who_saved_no_language_and_a_retry_in_the_same_words(
    written, office, state_signer, django_capture_on_commit_callbacks
):
    deadline = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0) + datetime.timedelta(hours=24)
    share(office, written, deadline, django_capture_on_commit_callbacks)
    with (
        mock.patch("letters.notify.send_mail", side_effect=ConnectionError("smtp down")) as refused,
        pytest.raises(notify.MailNotSent),
    ):
        notify.send_deadline_reminders()
    subject, body = refused.call_args.args[:2]
    mail.outbox.clear()

    assert notify.retry_unsent() == 1
    assert (mail.outbox[0].subject, mail.outbox[0].body) == (subject, body)
    assert subject == "Comments on a report shared with your State are due soon"
    assert body.startswith(f"The deadline for your comments is {deadline:%-d %B %Y} at {deadline:%H:%M} UTC.\n\n")
