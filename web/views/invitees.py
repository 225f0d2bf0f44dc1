"""The penholder's side of circulation: the picker that chooses whom to invite, and the table of
invitees with its summary counts, filters, sorting, withdrawal reasons and the reminder."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.errors import ActionError
from letters import queries
from letters.actions.reminding import remind_unanswered
from orgs.models import Organisation
from orgs.vocabulary import KIND_OBSERVER, KIND_STATE
from web.countries import name_of
from web.views.common import error_status, letter_or_404

# What the table can show, by the value of ?invitees= on the letter page.
FILTERS = {
    "all": gettext_lazy("All"),
    "unanswered": gettext_lazy("Not answered"),
    "unopened": gettext_lazy("Not opened"),
    "signed": gettext_lazy("Signed"),
    "withdrew": gettext_lazy("Withdrew"),
}
SORTS = {"name": gettext_lazy("Name"), "status": gettext_lazy("Answer")}


def invitee_rows(letter, signatures) -> list[dict]:
    """Each invited organisation: when invited, the versions it opened, the version it signed,
    and whether (and why) it withdrew without signing again."""
    seen = queries.seen_by(letter)
    live = {s.organisation_id: s.version.number for s in signatures if s.is_live}
    withdrawals = {s.organisation_id: s for s in signatures if s.withdrawn_at and s.organisation_id not in live}
    rows = []
    for organisation, invited_at in _invited_organisations(letter):
        withdrawal = withdrawals.get(organisation.id)
        rows.append(
            {
                "organisation": organisation,
                "name": name_of(organisation),
                "invited_at": invited_at,
                "seen": seen.get(organisation.slug, []),
                "opened": version_ranges(seen.get(organisation.slug, [])),
                "signed": live.get(organisation.id),
                "withdrew": withdrawal is not None,
                "reason": withdrawal.withdrawal_reason if withdrawal else "",
            }
        )
    return rows


def _invited_organisations(letter) -> list[tuple[Organisation, datetime.datetime]]:
    """(organisation, invited at) of every invitee, in one query that builds one object per
    invitee (not an invitation and its organisation: the page shows up to 193 of them)."""
    invited = Organisation.objects.filter(invitations__letter=letter).annotate(invited_at=F("invitations__invited_at"))
    return [(organisation, organisation.invited_at) for organisation in invited]


def version_ranges(numbers: list[int]) -> str:
    """The versions an invitee opened, runs of consecutive numbers shortened: "v1–v3, v5".
    One string per row rather than a loop in the template over every number: at 150 invitees
    and 20 versions that loop ran 3,000 times a page, and "v1–v20" reads better than twenty numbers."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"v{run[0]}" if len(run) == 1 else f"v{run[0]}–v{run[-1]}" for run in runs)


def summary(rows: list[dict]) -> dict:
    return {
        "invited": len(rows),
        "opened": sum(1 for r in rows if r["seen"]),
        "signed": sum(1 for r in rows if r["signed"]),
        "withdrew": sum(1 for r in rows if r["withdrew"]),
        "unanswered": sum(1 for r in rows if not r["signed"]),
    }


def _shown(row: dict, show: str) -> bool:
    return {
        "unanswered": not row["signed"],
        "unopened": not row["seen"],
        "signed": bool(row["signed"]),
        "withdrew": row["withdrew"],
    }.get(show, True)


def _order(row: dict, sort: str):
    if sort == "status":
        return (row["signed"] is None, row["withdrew"], not row["seen"], row["name"].casefold())
    return row["name"].casefold()


def invitees_table(request, letter, signatures) -> dict:
    rows = invitee_rows(letter, signatures)
    show = request.GET.get("invitees") if request.GET.get("invitees") in FILTERS else "all"
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    return {
        "invited": {r["organisation"].id for r in rows},
        "rows": sorted((r for r in rows if _shown(r, show)), key=lambda r: _order(r, sort)),
        "summary": summary(rows),
        "show": show,
        "sort": sort,
        "filters": FILTERS,
        "sorts": SORTS,
    }


def picker(letter, invited: set[int]) -> dict:
    """Whom the penholder may still invite (all but `invited`, the penholder and the addressee):
    States and observer States by name, other organisations after them, and the regional groups
    with the codes of the organisations each would add, so that the picker's script counts the
    union of what is ticked and typed (a group and a State of it are one invitation, not two)."""
    excluded = invited | {letter.penholder_id, letter.addressee_id}
    candidates = list(Organisation.objects.exclude(id__in=excluded))
    states = sorted((o for o in candidates if o.kind in (KIND_STATE, KIND_OBSERVER)), key=_name_key)
    others = sorted((o for o in candidates if o.kind not in (KIND_STATE, KIND_OBSERVER)), key=_name_key)
    groups: dict[str, list[str]] = {}
    for organisation in candidates:
        if organisation.regional_group:
            groups.setdefault(organisation.regional_group, []).append(organisation.slug)
    return {
        "candidates": [
            {"organisation": o, "name": name_of(o), "state": o.kind in (KIND_STATE, KIND_OBSERVER)}
            for o in states + others
        ],
        "groups": [
            {"name": group, "count": len(slugs), "members": " ".join(sorted(slugs))}
            for group, slugs in sorted(groups.items())
        ],
    }


def _name_key(organisation) -> str:
    return name_of(organisation).casefold()


@login_required
@require_POST
def remind(request, letter_id):
    letter = letter_or_404(request, letter_id)
    try:
        reminded = remind_unanswered(request.actor, letter.id)
    except ActionError as error:
        from web.views.letters import letter_context

        context = letter_context(request, letter, error=error.message, error_code=error.code)
        return render(request, "web/letter.html", context, status=error_status(error))
    if reminded:
        message = ngettext(
            "A reminder is on its way to the %(count)s organisation that has not answered.",
            "A reminder is on its way to the %(count)s organisations that have not answered.",
            len(reminded),
        ) % {"count": len(reminded)}
    else:
        message = _("Every invitee has signed the current version: nobody to remind.")
    messages.success(request, message)
    return redirect(reverse("web:letter", args=[letter.id]) + "#invitees-table")
