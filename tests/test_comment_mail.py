"""Mail about comments on a draft: who may read a new comment hears of it, in their language; nobody else does."""

from unittest import mock

import pytest
from django.core import mail

from letters import notify
from letters.models import Notification, NotificationPreference


@pytest.fixture
def comment(django_capture_on_commit_callbacks):
    """Comment through the API, running the after-commit mail queue the test transaction would never reach."""

    def comment(persona, letter, body="Please soften the second paragraph.", version=1):
        with django_capture_on_commit_callbacks(execute=True):
            return persona.api.post(f"/letters/{letter['id']}/comments", {"version": version, "body": body})

    return comment


def recipients():
    return sorted(message.to[0] for message in mail.outbox)


def email(persona):
    return persona.user.email


def test_the_penholders_drafter_hears_of_an_invitees_comment(circulating, comment, signer, penholder):
    mail.outbox.clear()
    assert comment(signer, circulating, "Please soften the second paragraph.").status_code == 201
    assert recipients() == [email(penholder)]
    message = mail.outbox[0]
    assert "Pakistan" in message.subject
    assert "Pakistan" in message.body and "version 1" in message.body
    assert "Joint letter on the assessment" in message.body
    assert "> Please soften the second paragraph." in message.body
    assert f"/letters/{circulating['id']}/" in message.body


def test_the_commenting_organisation_and_the_penholders_signers_hear_nothing(
    circulating, comment, signer, viewer, penholder_signer, penholder
):
    mail.outbox.clear()
    comment(signer, circulating)
    assert email(signer) not in recipients() and email(viewer) not in recipients()
    assert email(penholder_signer) not in recipients()


def test_an_outsider_and_the_addressee_never_hear_of_a_comment(
    circulating, comment, signer, penholder, outsider, addressee
):
    mail.outbox.clear()
    comment(signer, circulating, "From Pakistan")
    comment(penholder, circulating, "Noted: softened in version 2")
    assert email(outsider) not in recipients() and email(addressee) not in recipients()


def test_another_invitee_does_not_hear_of_a_comment_it_may_not_read(circulating, comment, signer, second_signer):
    mail.outbox.clear()
    comment(signer, circulating)
    assert email(second_signer) not in recipients()


def test_once_the_penholder_shares_comments_the_other_invitees_hear_of_them(
    circulating, comment, signer, second_signer, penholder, viewer
):
    assert penholder.api.post(f"/letters/{circulating['id']}/comments/sharing", {"shared": True}).status_code == 201
    mail.outbox.clear()
    comment(signer, circulating)
    assert recipients() == sorted([email(penholder), email(second_signer)])
    to_cuba = next(m for m in mail.outbox if m.to == [email(second_signer)])
    assert "invited to sign" in to_cuba.subject


def test_every_invitees_members_hear_of_the_penholders_answer(
    circulating, comment, penholder, signer, second_signer, viewer
):
    mail.outbox.clear()
    assert comment(penholder, circulating, "Noted: softened in version 2").status_code == 201
    assert recipients() == sorted([email(signer), email(second_signer), email(viewer)])
    message = mail.outbox[0]
    assert "China" in message.subject and "> Noted: softened in version 2" in message.body


def test_a_drafter_who_switched_comment_mail_off_hears_nothing(circulating, comment, signer, penholder):
    NotificationPreference.objects.create(user=penholder.user, comments=False)
    mail.outbox.clear()
    assert comment(signer, circulating).status_code == 201
    assert mail.outbox == []


def test_a_refused_comment_sends_nothing(circulating, comment, viewer, outsider):
    mail.outbox.clear()
    assert comment(viewer, circulating).status_code == 403
    assert comment(outsider, circulating).status_code == 404
    assert mail.outbox == []


def test_the_same_comment_sent_again_mails_nobody_twice(circulating, comment, signer):
    comment(signer, circulating)
    mail.outbox.clear()
    assert comment(signer, circulating).status_code == 200
    assert mail.outbox == []


def test_the_mail_comes_in_the_language_the_drafter_saved_their_settings_in(circulating, comment, signer, penholder):
    penholder.web.cookies["django_language"] = "fr"
    assert penholder.web.post("/settings/notifications/", {"comments": "on"}).status_code == 302
    assert NotificationPreference.objects.get(user=penholder.user).language == "fr"
    mail.outbox.clear()
    comment(signer, circulating)
    message = mail.outbox[0]
    assert message.subject == "Pakistan a commenté votre projet"
    assert "Pakistan a commenté la version 1 de « Joint letter on the assessment » :" in message.body


def test_the_settings_page_offers_to_switch_comment_mail_off(signer):
    assert b'name="comments"' in signer.web.get("/settings/notifications/").content
    assert signer.web.post("/settings/notifications/", {"invited": "on"}).status_code == 302
    assert not NotificationPreference.objects.get(user=signer.user).comments


def test_no_mail_leaves_before_the_comment_is_committed(circulating, signer, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        assert (
            signer.api.post(f"/letters/{circulating['id']}/comments", {"version": 1, "body": "Later"}).status_code
            == 201
        )
    assert mail.outbox == [] and len(waiting) == 1


def test_the_commenting_state_is_named_as_the_un_names_it_in_the_recipients_language(
    circulating, comment, penholder, signer
):
    signer.web.cookies["django_language"] = "ru"
    assert signer.web.post("/settings/notifications/", {"comments": "on"}).status_code == 302
    mail.outbox.clear()
    comment(penholder, circulating, "Noted")
    to_pakistan = next(m for m in mail.outbox if m.to == [email(signer)])
    assert to_pakistan.subject == "Китай: новый комментарий к проекту, который вам предложено подписать"


def test_a_comment_mail_that_failed_is_sent_again_once_by_the_retry(circulating, comment, signer, penholder):
    with mock.patch("letters.notify.send_mail", side_effect=ConnectionError("smtp down")):
        comment(signer, circulating)
    assert Notification.objects.get(user=penholder.user).sent_at is None
    mail.outbox.clear()
    assert notify.retry_unsent() == 1
    assert recipients() == [email(penholder)] and "Pakistan" in mail.outbox[0].subject
    assert notify.retry_unsent() == 0


def test_a_comment_written_on_the_letter_page_mails_the_penholder_too(
    circulating, signer, penholder, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signer.web.post(
            f"/letters/{circulating['id']}/comments/add", {"version": "1", "body": "From the page"}
        )
    assert response.status_code == 302
    assert recipients() == [email(penholder)] and "> From the page" in mail.outbox[0].body
