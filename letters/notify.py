"""Notifications by e-mail, sent by the task worker after the change that causes them commits.

Each message has a key (what happened, to whom); a Notification row with that key is written
before sending and marked sent only after the mail server accepted the message. A failed send
leaves the row unsent, so `retry_unsent` (or the same task run again) sends it, up to
MAX_ATTEMPTS tries; a sent row is never sent again. People choose which kinds of mail they get
(NotificationPreference), and each mail comes in the language they saved those choices in
(letters/mail_texts.py writes the words).
"""

import datetime
import itertools
import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone, translation
from django_tasks import task

from letters import access, states
from letters import mail_texts as texts
from letters.models import (
    Comment,
    CommentSharing,
    Delivery,
    Invitation,
    Letter,
    Notification,
    NotificationPreference,
    Signature,
)
from orgs.models import ROLE_DRAFTER, ROLE_SIGNER, ROLE_VIEWER, Member
from reports import states as report_states
from reports.models import Report, Share
from reports.signals import version_shared

logger = logging.getLogger(__name__)

REMIND_BEFORE = datetime.timedelta(hours=48)
# A message whose sending failed this many times is not retried again (an address that bounces
# would otherwise be tried every hour for ever); its row keeps the count and the last error.
MAX_ATTEMPTS = 5


_quiet = threading.local()


@contextmanager
def suppressed():
    """No mail for changes committed inside: loading history (the demo) must not notify anyone."""
    _quiet.depth = getattr(_quiet, "depth", 0) + 1
    try:
        yield
    finally:
        _quiet.depth -= 1


def enqueue(what: str, *args) -> None:
    if getattr(_quiet, "depth", 0):
        return
    try:
        send_notifications.enqueue(what, list(args))
    except Exception:
        # A change that committed must not fail because the queue is unavailable.
        logger.exception("could not queue %s notifications", what)


@task()
def send_notifications(what: str, args: list) -> int:
    return _send_all(_messages(what, args))


@task()
def remind_deadlines() -> int:
    """Run by the worker (or `manage.py remind_deadlines`) every hour or so."""
    return send_deadline_reminders()


class MailNotSent(Exception):
    """Some messages of a task failed; their rows stay unsent for retry_unsent."""


def _send_all(messages) -> int:
    """Send each message once; one failure does not stop the others, and MailNotSent is raised at
    the end so the task is recorded as failed and its unsent rows are retried."""
    sent, failed = 0, None
    for key, user, subject, body in messages:
        try:
            sent += _send_once(key, user, subject, body)
        except Exception as error:  # noqa: BLE001 - the mail backend may raise anything
            logger.warning("could not send %s: %s", key, _describe(error))
            failed = error
    if failed is not None:
        # Not the mail error itself: the task runner logs what a task raises, and an SMTP
        # refusal's text quotes the recipient's address.
        raise MailNotSent(f"some messages were not sent; the last error: {_describe(failed)}")
    return sent


def _messages(what, args):
    if what == "invited":
        letter = Letter.objects.select_related("penholder", "addressee").get(pk=args[0])
        version = letter.version(letter.current_version)
        users = _members(args[1], [ROLE_SIGNER, ROLE_DRAFTER], "invited")
        yield from _about_letter(
            users, letter, f"invited:{letter.id}", lambda shown: texts.invitation(letter, version, shown)
        )
    elif what == "new_version":
        letter = Letter.objects.select_related("penholder", "addressee").get(pk=args[0])
        version = letter.version(args[1])
        signed = (
            Signature.objects.filter(letter=letter, withdrawn_at=None, replaced_at=None)
            .exclude(version__number=args[1])
            .values_list("organisation_id", flat=True)
        )
        users = _members(list(signed), [ROLE_SIGNER], "new_version")
        key = f"new_version:{letter.id}:{args[1]}"
        yield from _about_letter(users, letter, key, lambda shown: texts.new_version(letter, version, shown))
    elif what == "reminded":
        # The penholder's reminder (letters.actions.reminding): once a day per person and letter.
        letter = Letter.objects.select_related("penholder", "addressee").get(pk=args[0])
        version = letter.version(letter.current_version)
        users = _members(args[2], [ROLE_SIGNER], "reminder")
        key = f"reminded:{letter.id}:{args[1]}"
        yield from _about_letter(users, letter, key, lambda shown: texts.penholder_reminder(letter, version, shown))
    elif what in ("delivered", "acknowledged"):
        delivery = Delivery.objects.select_related("letter__penholder", "letter__addressee", "version").get(pk=args[0])
        if what == "delivered":
            users = _members([delivery.letter.addressee_id], [ROLE_SIGNER, ROLE_DRAFTER], "delivered")
            build = texts.delivered
        else:
            users = _members([delivery.letter.penholder_id], [ROLE_DRAFTER], "acknowledged")
            build = texts.acknowledged
        key = f"{what}:{delivery.id}"
        yield from _about_letter(users, delivery.letter, key, lambda shown: build(delivery, shown))
    elif what == "report_shared":
        yield from _report_shared(args[0])
    elif what == "commented":
        yield from _commented(args[0])


def _about_letter(users, letter: Letter, key: str, build):
    """Each user's message about a letter, in their language, naming the letter's title only to
    those who may read it (letters/mail_texts.py says why)."""
    return _in_their_languages(users, key, lambda user: build(access.can_see_letter(user, letter)))


def _in_their_languages(users, key: str, build):
    """(key, user, subject, body) for each user, written in the language they read mail in:
    the one they saved their mail settings in, else the site's default. A retry rebuilds the
    message from its key the same way, so it comes in the same words."""
    languages = _languages_of(users)
    for user in users:
        with translation.override(languages.get(user.id) or settings.LANGUAGE_CODE):
            subject, body = build(user)
        yield f"{key}:{user.id}", user, subject, body


def _members(organisation_ids, roles, kind: str):
    users, seen = [], set()
    for member in Member.objects.filter(organisation_id__in=organisation_ids, role__in=roles).select_related("user"):
        user = member.user
        if user.id not in seen and user.email and user.is_active:
            seen.add(user.id)
            users.append(user)
    return NotificationPreference.users_who_want(kind, users)


def _languages_of(users) -> dict[int, str]:
    """The language each user saved their mail settings in (absent: the site's default). The
    project keeps no other record of a person's language (the pages follow the browser)."""
    return dict(
        NotificationPreference.objects.filter(user__in=users).exclude(language="").values_list("user_id", "language")
    )


def _send_once(key: str, user, subject: str, body: str) -> int:
    try:
        with transaction.atomic():
            Notification.objects.create(key=key, user=user)
    except IntegrityError:
        pass  # an earlier attempt wrote the row; it may or may not have sent it
    try:
        with transaction.atomic():
            # The row lock makes a second worker wait until the first has sent and marked the
            # message, and then see it as sent: two workers never both send it.
            notification = Notification.objects.select_for_update().get(key=key)
            if notification.sent_at:
                return 0
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
    except Exception as error:
        _record_failure(key, error)
        raise
    return 1


def _describe(error: Exception) -> str:
    """An error's kind and SMTP code, without its text, which may quote the recipient's address."""
    code = getattr(error, "smtp_code", None)
    return type(error).__name__ + (f" {code}" if code else "")


def _record_failure(key: str, error: Exception) -> None:
    """Count the failed attempt; after MAX_ATTEMPTS the message is no longer retried."""
    described = _describe(error)
    Notification.objects.filter(key=key, sent_at=None).update(attempts=F("attempts") + 1, last_error=described[:200])
    if Notification.objects.filter(key=key, sent_at=None, attempts__gte=MAX_ATTEMPTS).exists():
        logger.error("giving up on message %s after %d failed attempts (%s)", key, MAX_ATTEMPTS, described)


# ---------------------------------------------------------------- comments on a draft


def _commented(comment_id: int):
    """A new comment goes to those who may read it and did not write it: an invitee's to the
    penholder's drafters (and to the other invitees once the penholder shares comments), the
    penholder's to every invited organisation's members. Each recipient may read the comment, so
    the mail quotes it; the commenting organisation's own members hear nothing of it."""
    comment = Comment.objects.select_related("letter", "version", "organisation").filter(pk=comment_id).first()
    if comment is None:
        return
    letter = comment.letter
    own = set(Member.objects.filter(organisation_id=comment.organisation_id).values_list("user_id", flat=True))
    audiences = [(False, _members([letter.penholder_id], [ROLE_DRAFTER], "comments"))]
    if comment.organisation_id == letter.penholder_id or _comments_shared(letter):
        invited = list(Invitation.objects.filter(letter=letter).values_list("organisation_id", flat=True))
        audiences.append((True, _members(invited, [ROLE_SIGNER, ROLE_DRAFTER, ROLE_VIEWER], "comments")))
    seen = set(own)
    for invitee, users in audiences:
        recipients = [user for user in users if user.id not in seen]
        seen.update(user.id for user in recipients)
        key = f"commented:{comment.id}"
        yield from _in_their_languages(recipients, key, lambda user, invitee=invitee: texts.comment(comment, invitee))


def _comments_shared(letter: Letter) -> bool:
    return CommentSharing.objects.filter(letter=letter, shared=True).exists()


# ---------------------------------------------------------------- deadline reminders


def send_deadline_reminders(now=None) -> int:
    """Remind the signers of invited organisations that have not signed the current version of a
    circulating letter whose deadline is less than REMIND_BEFORE away; once per deadline."""
    now = now or timezone.now()
    letters = Letter.objects.filter(status=states.CIRCULATING, deadline__gt=now, deadline__lte=now + REMIND_BEFORE)
    reports = _reports_due(now)
    return _send_all(
        itertools.chain(
            (message for letter in letters for message in _reminders(letter)),
            (message for report in reports for message in _report_reminders(report)),
        )
    )


def _reminders(letter: Letter):
    deadline = letter.deadline
    if deadline is None:  # send_deadline_reminders asks only about letters with one
        return
    signed = set(
        Signature.objects.filter(
            letter=letter, withdrawn_at=None, replaced_at=None, version__number=letter.current_version
        ).values_list("organisation_id", flat=True)
    )
    pending = [
        i for i in Invitation.objects.filter(letter=letter).values_list("organisation_id", flat=True) if i not in signed
    ]
    version = letter.version(letter.current_version)
    users = _members(pending, [ROLE_SIGNER], "reminder")
    key = f"reminder:{letter.id}:{deadline.isoformat()}"
    yield from _about_letter(
        users, letter, key, lambda shown: texts.deadline_reminder(letter, version, deadline, shown)
    )


@receiver(version_shared)
def _on_version_shared(sender, share_id: int, **kwargs) -> None:
    enqueue("report_shared", share_id)


def _report_shared(share_id: int):
    """The State concerned's signers and drafters: a version is shared with them for comment.
    The mail links to the public timeline and names nothing of the report's content."""
    share = Share.objects.select_related("report__office", "version").get(pk=share_id)
    users = _members([share.report.concerning_id], [ROLE_SIGNER, ROLE_DRAFTER], "invited")
    yield from _in_their_languages(users, f"report_shared:{share.id}", lambda user: texts.report_shared(share))


def _reports_due(now) -> list[Report]:
    """Reports with the State concerned whose last share is due within REMIND_BEFORE."""
    due = Share.objects.filter(
        report__status=report_states.SHARED, deadline__gt=now, deadline__lte=now + REMIND_BEFORE
    ).select_related("report")
    return list({share.report_id: share.report for share in due}.values())


def _report_reminders(report: Report):
    """The State concerned's signers, reminded once per deadline of the last share, unless the
    State has sent comments since. The mail links to the public timeline: it names no content."""
    share = report.shares.order_by("-log_index").first()
    if share is None or report.comments.filter(log_index__gt=share.log_index).exists():
        return
    users = _members([report.concerning_id], [ROLE_SIGNER], "reminder")
    key = f"report-reminder:{report.id}:{share.deadline.isoformat()}"
    yield from _in_their_languages(users, key, lambda user: texts.report_reminder(share))


# ---------------------------------------------------------------- retries


def retry_unsent() -> int:
    """Send again every message whose earlier attempts failed (fewer than MAX_ATTEMPTS times),
    by rebuilding it from its key. A message another worker is sending right now waits on its
    row lock and is then skipped."""
    sent = 0
    for key in Notification.objects.filter(sent_at=None, attempts__lt=MAX_ATTEMPTS).values_list("key", flat=True):
        message = _rebuild(key)
        if message is not None:
            sent += _send_all([message])
    return sent


def _rebuild(key: str):
    what, *args = key.split(":")
    user_id = int(key.rsplit(":", 1)[1])
    if what == "reminder":
        letter = Letter.objects.filter(pk=int(args[0])).first()
        candidates = list(_reminders(letter)) if letter else []
    elif what == "report-reminder":
        report = Report.objects.filter(pk=int(args[0])).first()
        candidates = list(_report_reminders(report)) if report else []
    else:
        first = int(args[0])
        extra = {
            "invited": lambda: [first, _orgs_of(user_id)],
            "new_version": lambda: [first, int(args[1])],
            "reminded": lambda: [first, args[1], _orgs_of(user_id)],
        }
        candidates = list(_messages(what, extra.get(what, lambda: [first])()))
    return next((m for m in candidates if m[0] == key), None)


def _orgs_of(user_id: int) -> list[int]:
    return list(Member.objects.filter(user_id=user_id).values_list("organisation_id", flat=True))
