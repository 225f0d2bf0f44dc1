"""The comments panel of a letter page (web/_comments.html, loaded into the page by htmx, or as a
page of its own without JavaScript): the drafting conversation between invitees and the penholder,
the penholder's switch to share it, the version as Word or PDF, and a Word document uploaded as
the next version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ActionError
from letters import access, actions, comments, docx, queries, states
from web.views.common import error_status, letter_or_404, number


@login_required
@require_GET
def comments_panel(request, letter_id):
    letter = letter_or_404(request, letter_id)
    template = "web/_comments_panel.html" if request.headers.get("HX-Request") else "web/comments.html"
    return render(request, template, _context(request, letter))


def _context(request, letter, **extra) -> dict:
    actor = request.actor
    versions = queries.versions_of(letter)
    by_number = {v.number: v for v in versions}
    shown = by_number.get(number(request.GET.get("v")), versions[-1])
    in_conversation = access.is_penholder_member(actor, letter) or access.is_invitee_member(actor, letter)
    return {
        "letter": letter,
        "versions": versions,
        "shown": shown,
        "in_conversation": in_conversation,
        "comments": comments.comments_for(actor, letter) if in_conversation else [],
        "open_for_comments": in_conversation and letter.status in states.EDITABLE,
        "is_penholder": access.is_penholder_drafter(actor, letter),
        "current": versions[-1],
        "can_revise": letter.status in states.EDITABLE,
        "shared": comments.is_shared(letter) if in_conversation else False,
        **extra,
    }


@login_required
@require_POST
def add_comment(request, letter_id):
    letter = letter_or_404(request, letter_id)
    try:
        comments.add_comment(
            request.actor, letter.id, version=number(request.POST.get("version")), body=request.POST.get("body", "")
        )
    except ActionError as refusal:
        context = _context(request, letter, comment_error=refusal.message, body=request.POST.get("body", ""))
        return render(request, "web/comments.html", context, status=error_status(refusal))
    messages.success(request, _("Your comment was sent to the penholder."))
    return redirect(reverse("web:letter", args=[letter.id]) + "#comments")


@login_required
@require_POST
def share_comments(request, letter_id):
    letter = letter_or_404(request, letter_id)
    shared = request.POST.get("shared") == "1"
    try:
        comments.set_shared(request.actor, letter.id, shared)
    except ActionError as refusal:
        context = _context(request, letter, comment_error=refusal.message)
        return render(request, "web/comments.html", context, status=error_status(refusal))
    messages.success(
        request,
        _("Every invitee now reads every comment.") if shared else _("Each invitee now reads only its own comments."),
    )
    return redirect(reverse("web:letter", args=[letter.id]) + "#comments")


@login_required
@require_POST
def upload_version(request, letter_id):
    """The penholder's Word document becomes the next version's text (letters.docx says what is kept)."""
    letter = letter_or_404(request, letter_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ActionError(_("Choose a Word document (.docx) to upload."), code="no_file", field="file")
        docx.refuse_if_too_large(upload.size)
        imported = docx.read(upload.read())
        outcome = actions.add_version(
            request.actor,
            letter.id,
            body=imported.body,
            note=request.POST.get("note", ""),
            base_version=number(request.POST.get("base_version")),
            title=imported.title,
        )
    except ActionError as refusal:
        context = _context(request, letter, upload_error=refusal.message, note=request.POST.get("note", ""))
        return render(request, "web/comments.html", context, status=error_status(refusal))
    messages.success(
        request, _("Version %(number)s was made from your Word document.") % {"number": outcome.object.number}
    )
    return redirect(reverse("web:letter", args=[letter.id]))
