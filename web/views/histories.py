"""My mission's letters: held, invited to, signed, received, with search, a status filter and
their dates, for every member whatever their role (letters.histories, as GET /api/v1/letters)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from core.errors import ActionError
from letters import histories, states
from web.views.common import number

TABS = [
    (histories.SIGNED, gettext_lazy("My mission signed")),
    (histories.INVITED, gettext_lazy("Invited")),
    (histories.RECEIVED, gettext_lazy("Received")),
    (histories.HELD, gettext_lazy("Held")),
]


@login_required
def history_page(request):
    role = request.GET.get("role") or histories.SIGNED
    q = request.GET.get("q", "")[: histories.SEARCH_LENGTH]
    status = request.GET.get("status", "")
    year = request.GET.get("year", "").strip()
    context = {"tabs": TABS, "role": role, "q": q, "status": status, "year": year, "statuses": states.STATUSES}
    context["first_year"], context["last_year"] = histories.FIRST_YEAR, histories.LAST_YEAR
    try:
        context["rows"] = histories.history(request.actor, role=role, q=q, status=status, year=number(year) or None)
    except ActionError as refusal:
        context.update(rows=[], filter_error=refusal.message)
        return render(request, "web/histories.html", context, status=refusal.status)
    return render(request, "web/histories.html", context)
