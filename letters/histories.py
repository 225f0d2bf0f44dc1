"""A mission's histories: the letters it held, was invited to, signed or received, for every
member whatever their role (a viewer of an invited mission finds the letter too), searchable and
filtered by status, with their dates.

A list costs the same few queries however many letters it shows: the letters, their current
titles, the mission's signatures on them and their deliveries, one query each.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from core.errors import ActionError
from letters import access, states
from letters.models import Delivery, Letter, Signature, Version
from orgs.actors import actor_of

HELD, INVITED, SIGNED, RECEIVED = "held", "invited", "signed", "received"
ROLES = (HELD, INVITED, SIGNED, RECEIVED)
STATUSES = tuple(status for status, _label in states.STATUSES)
LONGEST = 500  # letters in one list; a search narrows it
SEARCH_LENGTH = 200
FIRST_YEAR, LAST_YEAR = 1945, 2200  # the years a letter may have been written in, for the filter


class BadFilter(ActionError):
    status = 400
    code = "bad_filter"


@dataclass
class MySignature:
    """The mission's last signature on a letter: withdrawn later, it is still listed, and says so."""

    organisation: str
    version: int
    signed_at: datetime
    late: bool
    withdrawn_at: datetime | None
    live: bool


@dataclass
class HistoryRow:
    letter: Letter
    title: str
    delivered_at: datetime | None
    acknowledged_at: datetime | None
    signature: MySignature | None


def history(
    actor, role: str | None = None, q: str = "", status: str | None = None, year: int | None = None
) -> list[HistoryRow]:
    """The actor's letters in one role (or every letter they may open), newest first; ``year``
    keeps the letters written that year."""
    actor = actor_of(actor)
    letters = _filtered(actor, _checked(role, ROLES, "role"), q, _checked(status, STATUSES, "status"))
    if year is not None:
        letters = letters.filter(created_at__year=_checked_year(year))
    letters = list(letters[:LONGEST])
    titles = _current_titles(letters)
    signatures = _my_signatures(actor, letters)
    deliveries = _last_deliveries(letters)
    return [
        HistoryRow(
            letter=letter,
            title=titles.get(letter.id, ""),
            delivered_at=deliveries[letter.id].delivered_at if letter.id in deliveries else None,
            acknowledged_at=deliveries[letter.id].acknowledged_at if letter.id in deliveries else None,
            signature=signatures.get(letter.id),
        )
        for letter in letters
    ]


def _checked(value: str | None, allowed: tuple[str, ...], name: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in allowed:
        raise BadFilter(
            _("%(name)s must be one of %(allowed)s.") % {"name": name, "allowed": ", ".join(allowed)}, field=name
        )
    return value


def _checked_year(year) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadFilter(
            _("year must be a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field="year",
        )
    return year


def _filtered(actor, role: str | None, q: str, status: str | None):
    organisations = set(actor.roles)
    if role is None:
        letters = access.visible_letters(actor)
    else:
        letters = Letter.objects.filter(_in_role(role, organisations)).distinct()
    if status:
        letters = letters.filter(status=status)
    q = (q or "").strip()[:SEARCH_LENGTH]
    if q:
        letters = letters.filter(_matching(q))
    return letters.select_related("penholder", "addressee").order_by("-created_at", "-id")


def _in_role(role: str, organisations: set[int]) -> Q:
    if role == HELD:
        return Q(penholder_id__in=organisations)
    if role == INVITED:
        # Every member of an invited organisation, viewers included; a draft is not shown to invitees.
        return Q(invitations__organisation_id__in=organisations) & ~Q(status=states.DRAFT)
    if role == SIGNED:
        # Any signature, live or not: a mission finds what it signed and later withdrew.
        return Q(signatures__organisation_id__in=organisations)
    # The addressee keeps what was delivered to it, acknowledged or not.
    return Q(addressee_id__in=organisations, status__in=[states.DELIVERED, states.PUBLISHED])


def _matching(q: str) -> Q:
    """Letters whose current title, penholder or addressee holds the words searched for."""
    current_title = Version.objects.filter(
        letter=OuterRef("pk"), number=OuterRef("current_version"), title__icontains=q
    )
    return (
        Q(Exists(current_title))
        | Q(penholder__name__icontains=q)
        | Q(penholder__slug__iexact=q)
        | Q(addressee__name__icontains=q)
        | Q(addressee__slug__iexact=q)
    )


def _current_titles(letters: list[Letter]) -> dict[int, str]:
    wanted = {(letter.id, letter.current_version) for letter in letters}
    rows = Version.objects.filter(letter__in=letters).values_list("letter_id", "number", "title")
    return {letter_id: title for letter_id, number, title in rows if (letter_id, number) in wanted}


def _my_signatures(actor, letters: list[Letter]) -> dict[int, MySignature]:
    """The latest signature of one of the actor's organisations on each letter."""
    found: dict[int, MySignature] = {}
    for signature in (
        Signature.objects.filter(letter__in=letters, organisation_id__in=set(actor.roles))
        .select_related("organisation", "version")
        .order_by("log_index")
    ):
        found[signature.letter_id] = MySignature(
            organisation=signature.organisation.slug,
            version=signature.version.number,
            signed_at=signature.signed_at,
            late=signature.late,
            withdrawn_at=signature.withdrawn_at,
            live=signature.is_live,
        )
    return found


def _last_deliveries(letters: list[Letter]) -> dict[int, Delivery]:
    last: dict[int, Delivery] = {}
    for delivery in Delivery.objects.filter(letter__in=letters).order_by("log_index"):
        last[delivery.letter_id] = delivery
    return last
