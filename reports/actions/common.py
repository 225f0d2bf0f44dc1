"""What every report action shares: its answer, the locked report, the checks of state and role,
and the cleaning of what people type."""

import datetime
from collections.abc import Set as AbstractSet

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Conflict, Forbidden, Invalid
from core.text import refuse_invisible_characters
from documents import actions as documents
from documents.actions import Outcome as Outcome
from documents.actions import now as now
from ledger.canonical import normalise_text
from orgs.actors import Actor
from reports import access, states
from reports.models import Report


def _locked(report_id: int) -> Report | None:
    return (
        Report.objects.select_for_update(no_key=True)
        .select_related("office", "concerning")
        .filter(pk=report_id)
        .first()
    )


REPORTS = documents.Flow(
    model=Report,
    lock=_locked,
    can_see=access.can_see_report,
    status_label=states.label,
    missing=gettext_lazy("No such report."),
    not_while=gettext_lazy("%(action)s: not possible while the report is %(status)s."),
    stale_base=gettext_lazy(
        "Version %(base)s is not the current version (%(current)s); read it and edit the current version."
    ),
)


def lock_report(actor: Actor, identifier) -> Report:
    """The report, locked until commit, if the actor may see it."""
    return documents.lock_visible(REPORTS, actor, identifier)


def require_state(report: Report, allowed: AbstractSet[str], action: str) -> None:
    documents.require_state(REPORTS, report.status, allowed, action)


def require_office_drafter(actor: Actor, report: Report) -> None:
    if not access.is_office_drafter(actor, report):
        raise Forbidden(_("Only a drafter of the Office that writes the report may do this."))


def set_status(report: Report, status: str) -> None:
    documents.set_status(REPORTS, report, status)


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
