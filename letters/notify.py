"""Notifications by e-mail, sent by the task worker after the change that causes them commits.

Each message has a key (what happened, to whom); a Notification row with that key is written
before sending and marked sent only after the mail server accepted the message. A failed send
leaves the row unsent, so `retry_unsent` (or the same task run again) sends it, up to
MAX_ATTEMPTS tries; a sent row is never sent again. People choose which kinds of mail they get (NotificationPreference).
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
from django.utils.translation import gettext
from django_tasks import task

from letters import states
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
from register.names import display_name
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
        letter = Letter.objects.get(pk=args[0])
        for user in _members(args[1], [ROLE_SIGNER, ROLE_DRAFTER], "invited"):
            yield (
                f"invited:{letter.id}:{user.id}",
                user,
                "A joint letter awaits your signature",
                _text("You are invited to read and sign a joint letter.", letter),
            )
    elif what == "new_version":
        letter = Letter.objects.get(pk=args[0])
        signed = (
            Signature.objects.filter(letter=letter, withdrawn_at=None, replaced_at=None)
            .exclude(version__number=args[1])
            .values_list("organisation_id", flat=True)
        )
        for user in _members(list(signed), [ROLE_SIGNER], "new_version"):
            yield (
                f"new_version:{letter.id}:{args[1]}:{user.id}",
                user,
                "A letter you signed has a new version",
                _text(f"Version {args[1]} replaces the version you signed. Read the changes and re-confirm.", letter),
            )
    elif what == "reminded":
        # The penholder's reminder (letters.actions.reminding): once a day per person and letter.
        letter = Letter.objects.get(pk=args[0])
        for user in _members(args[2], [ROLE_SIGNER], "reminder"):
            yield (
                f"reminded:{letter.id}:{args[1]}:{user.id}",
                user,
                "A reminder: a joint letter awaits your answer",
                _text("The penholder reminds you that a joint letter awaits your signature.", letter),
            )
    elif what == "delivered":
        delivery = Delivery.objects.select_related("letter").get(pk=args[0])
        for user in _members([delivery.letter.addressee_id], [ROLE_SIGNER, ROLE_DRAFTER], "delivered"):
            yield (
                f"delivered:{delivery.id}:{user.id}",
                user,
                "A joint letter has been delivered to you",
                _text("Please acknowledge receipt.", delivery.letter, f"/deliveries/{delivery.id}/"),
            )
    elif what == "report_shared":
        yield from _report_shared(args[0])
    elif what == "commented":
        yield from _commented(args[0])
    elif what == "acknowledged":
        delivery = Delivery.objects.select_related("letter").get(pk=args[0])
        for user in _members([delivery.letter.penholder_id], [ROLE_DRAFTER], "acknowledged"):
            yield (
                f"acknowledged:{delivery.id}:{user.id}",
                user,
                "Receipt of your letter was acknowledged",
                _text("The addressee acknowledged receipt.", delivery.letter),
            )


def _members(organisation_ids, roles, kind: str):
    users, seen = [], set()
    for member in Member.objects.filter(organisation_id__in=organisation_ids, role__in=roles).select_related("user"):
        user = member.user
        if user.id not in seen and user.email and user.is_active:
            seen.add(user.id)
            users.append(user)
    return NotificationPreference.users_who_want(kind, users)


def _text(line: str, letter: Letter, path: str | None = None) -> str:
    # Mail says what to do and links to the page; the letter's text stays on the server, where
    # access is checked. (Comment mails name the title and quote the comment: only people who
    # may read both receive them.)
    return f"{line}\n\n{settings.SITE_URL}{path or f'/letters/{letter.id}/'}\n"


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
        languages = _languages_of(recipients)
        for user in recipients:
            with translation.override(languages.get(user.id) or settings.LANGUAGE_CODE):
                subject, body = _comment_mail(comment, invitee)
            yield (f"commented:{comment.id}:{user.id}", user, subject, body)


def _comments_shared(letter: Letter) -> bool:
    return CommentSharing.objects.filter(letter=letter, shared=True).exists()


def _comment_mail(comment: Comment, to_invitee: bool) -> tuple[str, str]:
    """The subject and text in the active language: who commented, on which version of which letter."""
    names = {
        "organisation": _organisation_name(comment.organisation),
        "version": comment.version.number,
        "title": comment.version.title,
    }
    if to_invitee:
        subject = gettext("%(organisation)s commented on a draft you are invited to sign") % names
    else:
        subject = gettext("%(organisation)s commented on your draft") % names
    line = gettext("%(organisation)s commented on version %(version)s of “%(title)s”:") % names
    quoted = "\n".join(f"> {row}" for row in comment.body.splitlines())
    return subject, _text(f"{line}\n\n{quoted}", comment.letter)


def _organisation_name(organisation) -> str:
    """A State by its UN name in the active language; other organisations by their own name."""
    if organisation.country:
        return display_name(organisation.country, translation.get_language())
    return gettext(organisation.name)


def _languages_of(users) -> dict[int, str]:
    """The language each user saved their mail settings in (absent: the site's default)."""
    return dict(
        NotificationPreference.objects.filter(user__in=users).exclude(language="").values_list("user_id", "language")
    )


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
    if letter.deadline is None:  # send_deadline_reminders asks only about letters with one
        return
    signed = set(
        Signature.objects.filter(
            letter=letter, withdrawn_at=None, replaced_at=None, version__number=letter.current_version
        ).values_list("organisation_id", flat=True)
    )
    pending = [
        i for i in Invitation.objects.filter(letter=letter).values_list("organisation_id", flat=True) if i not in signed
    ]
    deadline = letter.deadline.strftime("%Y-%m-%d %H:%M UTC")
    for user in _members(pending, [ROLE_SIGNER], "reminder"):
        yield (
            f"reminder:{letter.id}:{letter.deadline.isoformat()}:{user.id}",
            user,
            "A joint letter's deadline is near",
            _text(f"The deadline for signatures is {deadline}.", letter),
        )


@receiver(version_shared)
def _on_version_shared(sender, share_id: int, **kwargs) -> None:
    enqueue("report_shared", share_id)


def _report_shared(share_id: int):
    """The State concerned's signers and drafters: a version is shared with them for comment.
    The mail links to the public timeline and names nothing of the report's content."""
    share = Share.objects.select_related("report", "version").get(pk=share_id)
    report = share.report
    deadline = share.deadline.strftime("%Y-%m-%d %H:%M UTC")
    for user in _members([report.concerning_id], [ROLE_SIGNER, ROLE_DRAFTER], "invited"):
        yield (
            f"report_shared:{share.id}:{user.id}",
            user,
            "A report has been shared with your State for comment",
            f"Version {share.version.number} of a report concerning your State is shared with you for comment; "
            f"comments are due by {deadline}.\n\n{settings.SITE_URL}/r/{report.handle}\n",
        )


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
    deadline = share.deadline.strftime("%Y-%m-%d %H:%M UTC")
    for user in _members([report.concerning_id], [ROLE_SIGNER], "reminder"):
        yield (
            f"report-reminder:{report.id}:{share.deadline.isoformat()}:{user.id}",
            user,
            "Comments on a report shared with your State are due soon",
            f"The deadline for your comments is {deadline}.\n\n{settings.SITE_URL}/r/{report.handle}\n",
        )


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
