"""Writing a letter and revising it, with a preview; a note saying why is always required."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ActionError
from letters import access, actions, queries
from orgs.models import ROLE_DRAFTER, Organisation
from web.countries import sorted_by_name
from web.views.common import letter_or_404, number

LETTER_LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ru", "Русский"),
    ("ar", "العربية"),
    ("zh", "中文"),
]


@login_required
@require_http_methods(["GET", "POST"])
def compose(request):
    drafter_of = request.actor.with_role(ROLE_DRAFTER)
    if not drafter_of:
        raise Http404(_("You are not a drafter of any organisation."))
    context = {
        "addressees": sorted_by_name(Organisation.objects.exclude(id__in=drafter_of)),
        "languages": LETTER_LANGUAGES,
        "penholders": Organisation.objects.filter(id__in=drafter_of),
        "values": request.POST,
    }
    if request.method == "POST" and not request.POST.get("preview"):
        try:
            outcome = actions.create_letter(
                request.actor,
                title=request.POST.get("title"),
                addressee=request.POST.get("addressee"),
                body=request.POST.get("body"),
                note=request.POST.get("note"),
                language=request.POST.get("language") or "en",
                penholder=request.POST.get("penholder") or None,
            )
        except ActionError as error:
            return render(request, "web/compose.html", {**context, "error": error.message}, status=error.status)
        return redirect(reverse("web:letter", args=[outcome.object.id]))
    return render(request, "web/compose.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def revise(request, letter_id):
    letter = letter_or_404(request, letter_id)
    if not access.is_penholder_drafter(request.actor, letter):
        raise Http404(_("Only the penholder's drafters revise a letter."))
    current = queries.version_of(letter, letter.current_version)
    values = request.POST or {"title": current.title, "body": current.body, "base_version": current.number}
    context = {"letter": letter, "current": current, "values": values}
    if request.method == "POST" and not request.POST.get("preview"):
        try:
            actions.add_version(
                request.actor,
                letter.id,
                body=request.POST.get("body"),
                note=request.POST.get("note"),
                base_version=number(request.POST.get("base_version")),
                title=request.POST.get("title") or None,
            )
        except ActionError as error:
            return render(
                request,
                "web/revise.html",
                {**context, "error": error.message, "error_code": error.code},
                status=error.status,
            )
        return redirect(reverse("web:letter", args=[letter.id]))
    return render(request, "web/revise.html", context)


@login_required
@require_POST
def preview(request):
    """The Markdown as it will read, for the compose and revise pages (htmx swaps it in)."""
    return render(request, "web/_preview.html", {"body": request.POST.get("body", "")})
