"""Every mail about a letter comes in the language its recipient saved their mail settings in
(English, the site's language, until they do), says which letter it is about, and writes its
deadline as that language writes dates, in UTC; a mail that failed is sent again in the same words."""

import datetime
from unittest import mock

import pytest
from django.core import mail

from letters import notify
from letters.models import NotificationPreference
from tests.conftest import sign

DEADLINE = datetime.datetime(2030, 7, 15, 18, 5, tzinfo=datetime.UTC)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a request and the mail queued after its commit, which the test's transaction never reaches."""

    def committed(request, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = request(*args, **kwargs)
        assert response.status_code in (200, 201, 302), response.content
        return response

    return committed


def reads_mail_in(persona, language):
    NotificationPreference.objects.create(user=persona.user, language=language)


def mail_to(persona):
    (message,) = [m for m in mail.outbox if m.to == [persona.user.email]]
    return message


def circulate(penholder, letter, committed, deadline=DEADLINE):
    invitation = {"invitees": ["pak", "cub"], "deadline": deadline.isoformat()}
    committed(penholder.api.post, f"/letters/{letter['id']}/circulate", invitation)


def test_an_invitation_comes_in_french_to_a_signer_who_reads_french_and_in_english_to_one_who_saved_nothing(
    draft, penholder, signer, second_signer, committed
):
    reads_mail_in(signer, "fr")
    mail.outbox.clear()
    circulate(penholder, draft, committed)

    french = mail_to(signer)
    assert french.subject == "Une lettre conjointe attend votre signature : « Joint letter on the assessment »"
    assert french.body.startswith("Vous êtes invité à lire et à signer une lettre conjointe.\n\n")
    assert "Lettre : « Joint letter on the assessment », version 1\n" in french.body
    assert "Rédacteur principal : Chine\n" in french.body
    assert "Destinataire : Haut-Commissariat aux droits de l’homme\n" in french.body
    assert "Date limite des signatures : 15 juillet 2030 à 18:05 UTC\n" in french.body
    assert french.body.endswith(f"/letters/{draft['id']}/\n")

    english = mail_to(second_signer)
    assert english.subject == "A joint letter awaits your signature: “Joint letter on the assessment”"
    assert english.body.startswith("You are invited to read and sign a joint letter.\n\n")
    assert "Penholder: China\n" in english.body
    assert "Addressee: Office of the High Commissioner for Human Rights\n" in english.body
    assert "Deadline for signatures: 15 July 2030 at 18:05 UTC\n" in english.body


def test_an_invitation_comes_in_arabic_with_the_states_un_name_and_the_date_as_arabic_writes_it(
    draft, penholder, signer, committed
):
    reads_mail_in(signer, "ar")
    mail.outbox.clear()
    circulate(penholder, draft, committed)

    arabic = mail_to(signer)
    assert arabic.subject == "رسالة مشتركة بانتظار توقيعكم: «Joint letter on the assessment»"
    assert "الجهة الصائغة: الصين\n" in arabic.body
    assert "المرسل إليه: المفوضية السامية لحقوق الإنسان\n" in arabic.body
    assert "الموعد النهائي للتوقيع: 15 يوليو 2030، الساعة 18:05 بالتوقيت العالمي المنسق (UTC)\n" in arabic.body


def test_a_new_version_is_announced_in_the_signers_language(draft, penholder, signer, second_signer, committed):
    circulate(penholder, draft, committed)
    assert sign(signer, draft).status_code == 201
    assert sign(second_signer, draft).status_code == 201
    reads_mail_in(signer, "fr")
    mail.outbox.clear()
    revision = {"body": "A softer text.", "note": "Softer", "base_version": 1, "title": "A softer letter"}
    committed(penholder.api.post, f"/letters/{draft['id']}/versions", revision)

    french = mail_to(signer)
    assert french.subject == "Une lettre que vous avez signée a une nouvelle version : « A softer letter »"
    assert french.body.startswith(
        "La version 2 remplace celle que vous avez signée. Lisez les modifications et reconfirmez votre signature."
    )
    assert "Lettre : « A softer letter », version 2\n" in french.body
    english = mail_to(second_signer)
    assert english.subject == "A letter you signed has a new version: “A softer letter”"
    assert "Letter: “A softer letter”, version 2\n" in english.body


def test_the_penholders_reminder_comes_in_arabic_to_a_signer_who_reads_arabic(
    draft, penholder, signer, second_signer, committed
):
    circulate(penholder, draft, committed)
    reads_mail_in(signer, "ar")
    mail.outbox.clear()
    committed(penholder.web.post, f"/letters/{draft['id']}/remind")

    arabic = mail_to(signer)
    assert arabic.subject == "تذكير: رسالة مشتركة بانتظار ردّكم: «Joint letter on the assessment»"
    assert arabic.body.startswith("تذكّركم الجهة الصائغة بأن رسالة مشتركة بانتظار توقيعكم.\n\n")
    english = mail_to(second_signer)
    assert english.subject == "A reminder: a joint letter awaits your answer: “Joint letter on the assessment”"
    assert english.body.startswith("The penholder reminds you that a joint letter awaits your signature.\n\n")


def test_the_deadline_reminder_writes_the_deadline_in_the_signers_language_and_in_utc(
    draft, penholder, signer, second_signer, committed
):
    deadline = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0) + datetime.timedelta(hours=24)
    circulate(penholder, draft, committed, deadline)
    reads_mail_in(signer, "fr")
    mail.outbox.clear()
    assert notify.send_deadline_reminders() == 2

    french = mail_to(signer)
    assert french.subject == "La date limite d’une lettre conjointe approche : « Joint letter on the assessment »"
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre"]
    months += ["novembre", "décembre"]
    day = f"{deadline.day} {months[deadline.month - 1]} {deadline.year}"
    assert french.body.startswith(f"La date limite des signatures est le {day} à {deadline:%H:%M} UTC.\n\n")
    english = mail_to(second_signer)
    assert english.subject == "A joint letter's deadline is near: “Joint letter on the assessment”"
    assert english.body.startswith(f"The deadline for signatures is {deadline:%-d %B %Y} at {deadline:%H:%M} UTC.")


def test_a_delivery_is_announced_to_the_addressee_in_french_and_its_receipt_to_the_penholder_in_arabic(
    draft, penholder, signer, addressee, committed
):
    circulate(penholder, draft, committed)
    assert sign(signer, draft).status_code == 201
    reads_mail_in(addressee, "fr")
    reads_mail_in(penholder, "ar")
    mail.outbox.clear()
    delivery = committed(penholder.api.post, f"/letters/{draft['id']}/deliver", {"version": 1}).json()

    delivered = mail_to(addressee)
    assert delivered.subject == "Une lettre conjointe vous a été remise : « Joint letter on the assessment »"
    assert delivered.body.startswith(
        "La lettre a été remise à votre organisation. Veuillez en accuser réception sur sa page.\n\n"
    )
    assert "Rédacteur principal : Chine\n" in delivered.body
    assert delivered.body.endswith(f"/deliveries/{delivery['id']}/\n")

    mail.outbox.clear()
    committed(addressee.api.post, f"/deliveries/{delivery['id']}/acknowledge")
    acknowledged = mail_to(penholder)
    assert acknowledged.subject == "تم تأكيد استلام رسالتكم: «Joint letter on the assessment»"
    assert acknowledged.body.startswith("أقرّ المرسل إليه باستلام الرسالة كما سُلِّمت.\n\n")
    assert "الرسالة: «Joint letter on the assessment»، النسخة 1\n" in acknowledged.body


def test_a_delivery_and_its_receipt_come_in_english_to_those_who_saved_no_language(
    draft, penholder, signer, addressee, committed
):
    circulate(penholder, draft, committed)
    assert sign(signer, draft).status_code == 201
    mail.outbox.clear()
    delivery = committed(penholder.api.post, f"/letters/{draft['id']}/deliver", {"version": 1}).json()
    assert mail_to(addressee).subject == "A joint letter has been delivered to you: “Joint letter on the assessment”"
    mail.outbox.clear()
    committed(addressee.api.post, f"/deliveries/{delivery['id']}/acknowledge")
    acknowledged = mail_to(penholder)
    assert acknowledged.subject == "Receipt of your letter was acknowledged: “Joint letter on the assessment”"
    assert acknowledged.body.startswith("The addressee acknowledged receipt of the letter as delivered.\n\n")


def test_a_failed_invitation_is_sent_again_in_the_same_language_and_the_same_words(draft, penholder, signer, committed):
    reads_mail_in(signer, "fr")
    with mock.patch("letters.notify.send_mail", side_effect=ConnectionError("smtp down")) as refused:
        committed(penholder.api.post, f"/letters/{draft['id']}/circulate", {"invitees": ["pak"]})
    subject, body = refused.call_args.args[:2]
    mail.outbox.clear()

    assert notify.retry_unsent() == 1
    (retried,) = mail.outbox
    assert (retried.subject, retried.body) == (subject, body)
    assert retried.subject.startswith("Une lettre conjointe attend votre signature")


def test_a_failed_deadline_reminder_is_sent_again_in_the_same_words(draft, penholder, signer, committed):
    circulate(penholder, draft, committed, datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=24))
    reads_mail_in(signer, "ar")
    with (
        mock.patch("letters.notify.send_mail", side_effect=ConnectionError("smtp down")) as refused,
        pytest.raises(notify.MailNotSent),
    ):
        notify.send_deadline_reminders()
    subject, body = refused.call_args.args[:2]
    mail.outbox.clear()

    assert notify.retry_unsent() == 1
    assert (mail.outbox[0].subject, mail.outbox[0].body) == (subject, body)
    assert "الموعد النهائي للتوقيع" in body


def test_a_recipient_who_may_not_read_the_letter_is_not_told_its_title(draft, outsider, signer, penholder, committed):
    from letters import mail_texts
    from letters.models import Letter

    circulate(penholder, draft, committed)
    letter = Letter.objects.get(pk=draft["id"])
    version = letter.version(1)
    build = lambda shown: mail_texts.invitation(letter, version, shown)  # noqa: E731
    ((_, _, hidden_subject, hidden_body),) = notify._about_letter([outsider.user], letter, "invited:x", build)
    ((_, _, subject, body),) = notify._about_letter([signer.user], letter, "invited:y", build)

    assert "Joint letter on the assessment" not in hidden_subject + hidden_body
    assert "China" not in hidden_body  # nor who holds the pen, nor to whom it is addressed
    assert "Joint letter on the assessment" in subject and "Penholder: China" in body


@pytest.mark.parametrize("language", ["ar", "es", "fr", "ru", "zh-hans"])
def test_every_line_of_an_invitation_is_translated_in_each_un_language(
    language, draft, penholder, signer, second_signer, committed
):
    reads_mail_in(signer, language)
    mail.outbox.clear()
    circulate(penholder, draft, committed)
    translated, english = mail_to(signer), mail_to(second_signer)

    assert translated.subject != english.subject and "awaits" not in translated.subject
    for line in english.body.splitlines()[:-1]:  # all but the link
        assert line == "" or line not in translated.body.splitlines()
    assert "%(" not in translated.subject + translated.body
