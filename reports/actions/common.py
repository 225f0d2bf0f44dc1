"""What every report action shares: its answer, the locked report, the checks of state and role,
and the cleaning of what people type."""

import datetime
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.text import refuse_invisible_characters
from ledger.canonical import normalise_text
from orgs.actors import Actor
from reports import access, states
from reports.models import Report

Made = TypeVar("Made")


@dataclass
class Outcome(Generic[Made]):
    """What an action made, and whether this request made it (False: an identical earlier request did)."""

    object: Made
    created: bool


def now(at):
    return at or timezone.now()


def report_id(value) -> int | None:
    if isinstance(value, str) and value.isdecimal():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value
    return None


def lock_report(actor: Actor, identifier) -> Report:
    """The report, locked until commit, if the actor may see it."""
    found = report_id(identifier)
    report = (
        Report.objects.select_for_update(no_key=True).select_related("office", "concerning").filter(pk=found).first()
        if found is not None
        else None
    )
    if report is None or not access.can_see_report(actor, report):
        raise NotFound(_("No such report."))
    return report


def require_state(report: Report, allowed: AbstractSet[str], action: str) -> None:
    if report.status not in allowed:
        raise Conflict(
            _("%(action)s: not possible while the report is %(status)s.")
            % {"action": action, "status": states.label(report.status).lower()},
            code="illegal_transition",
            current_status=report.status,
            allowed_from=sorted(allowed),
        )


def require_office_drafter(actor: Actor, report: Report) -> None:
    if not access.is_office_drafter(actor, report):
        raise Forbidden(_("Only a drafter of the Office that writes the report may do this."))


def set_status(report: Report, status: str) -> None:
    Report.objects.filter(pk=report.pk).update(status=status)
    report.status = status


def clean_text(value, field: str, limit: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_("%(field)s must be text.") % {"field": field}, field=field)
    value = normalise_text(value) if field == "body" else normalise_text(value).strip()
    refuse_invisible_characters(value, field)
    if required and not value.strip():
        raise Invalid(_("%(field)s is required.") % {"field": field}, field=field)
    if len(value) > limit:
        raise Invalid(
            _("%(field)s is %(length)s characters long; the limit is %(limit)s.")
            % {"field": field, "length": len(value), "limit": limit},
            field=field,
        )
    return value


def clean_deadline(deadline) -> datetime.datetime:
    if isinstance(deadline, str):
        try:
            deadline = datetime.datetime.fromisoformat(deadline.replace("Z", "+00:00"))
        except ValueError:
            deadline = None
    if not isinstance(deadline, datetime.datetime):
        raise Invalid(_("deadline must be an ISO 8601 date and time, such as 2022-07-15T18:00:00Z."), field="deadline")
    return deadline if deadline.tzinfo else deadline.replace(tzinfo=datetime.UTC)


def whole_number(value, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid(_("%(field)s must be a version number.") % {"field": field}, field=field)
    return value


def require_hash(version, version_hash, field: str = "version_hash") -> None:
    """The caller names the exact text it acts on: a hash that is not the version's is stale."""
    if version_hash != version.hash:
        raise Conflict(
            _("The hash %(given)s is not that of version %(number)s (%(hash)s); read the version again.")
            % {"given": str(version_hash)[:64], "number": version.number, "hash": version.hash},
            code="stale_version",
            version=version.number,
            version_hash=version.hash,
        )
