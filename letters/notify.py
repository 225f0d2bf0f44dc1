"""Notifications by e-mail, sent by the task worker after the change that causes them commits.

Each message has a key (what happened, to whom); a Notification row with that key is written
before sending, so a retried task never sends the same message twice.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from letters.models import Delivery, Letter, Notification, Signature
from orgs.models import ROLE_DRAFTER, ROLE_SIGNER, Member

logger = logging.getLogger(__name__)


def enqueue(what: str, *args) -> None:
    try:
        send_notifications.enqueue(what, list(args))
    except Exception:
        # A change that committed must not fail because the queue is unavailable.
        logger.exception("could not queue %s notifications", what)


@task()
def send_notifications(what: str, args: list) -> int:
    sent = 0
    for key, user, subject, body in _messages(what, args):
        sent += _send_once(key, user, subject, body)
    return sent


def _messages(what, args):
    if what == "invited":
        letter = Letter.objects.get(pk=args[0])
        for user in _members(args[1], [ROLE_SIGNER, ROLE_DRAFTER]):
            yield (f"invited:{letter.id}:{user.id}", user, "A joint letter awaits your signature",
                   _text("You are invited to read and sign a joint letter.", letter))
    elif what == "new_version":
        letter = Letter.objects.get(pk=args[0])
        signed = Signature.objects.filter(letter=letter, withdrawn_at=None, replaced_at=None).exclude(
            version__number=args[1]).values_list("organisation_id", flat=True)
        for user in _members(list(signed), [ROLE_SIGNER]):
            yield (f"new_version:{letter.id}:{args[1]}:{user.id}", user, "A letter you signed has a new version",
                   _text(f"Version {args[1]} replaces the version you signed. Read the changes and re-confirm.",
                         letter))
    elif what == "delivered":
        delivery = Delivery.objects.select_related("letter").get(pk=args[0])
        for user in _members([delivery.letter.addressee_id], [ROLE_SIGNER, ROLE_DRAFTER]):
            yield (f"delivered:{delivery.id}:{user.id}", user, "A joint letter has been delivered to you",
                   _text("Please acknowledge receipt.", delivery.letter))
    elif what == "acknowledged":
        delivery = Delivery.objects.select_related("letter").get(pk=args[0])
        for user in _members([delivery.letter.penholder_id], [ROLE_DRAFTER]):
            yield (f"acknowledged:{delivery.id}:{user.id}", user, "Receipt of your letter was acknowledged",
                   _text("The addressee acknowledged receipt.", delivery.letter))


def _members(organisation_ids, roles):
    seen = set()
    for member in Member.objects.filter(organisation_id__in=organisation_ids, role__in=roles).select_related("user"):
        user = member.user
        if user.id not in seen and user.email and user.is_active:
            seen.add(user.id)
            yield user


def _text(line: str, letter: Letter) -> str:
    # Mail says what to do and links to the page; the letter's text and title stay on the
    # server, where access is checked.
    return f"{line}\n\n{settings.SITE_URL}/letters/{letter.id}/\n"


def _send_once(key: str, user, subject: str, body: str) -> int:
    try:
        with transaction.atomic():
            notification = Notification.objects.create(key=key, user=user)
    except IntegrityError:
        notification = Notification.objects.get(key=key)
        if notification.sent_at:
            return 0
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now())
    return 1
