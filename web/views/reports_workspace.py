"""The pages where the Office writes, shares, revises and publishes a report, and where the State
concerned reads what was shared with it, acknowledges it and sends its comments.

Every change goes through reports.actions, as the API's do; who sees what is reports.access's
one rule: a report one may not see is a 404 with the same words as one that does not exist. A
refusal is shown on the report page with the action's message and status. Sharing, commenting
and publishing take a second look in words first (the form's `review`), as a letter's signing does.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.files import File
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ActionError, NotFound
from orgs.actors import actor_of
from orgs.models import KIND_OBSERVER, KIND_STATE, ROLE_DRAFTER, Organisation
from reports import access, actions, files, queries, states
from web.views.common import number
from web.views.confirm import wants_review

HELD_FILE_SALT = "web.reports.held-comment-file"
HELD_FILE_MAX_AGE = 3600  # seconds: time enough to read the confirmation, short enough to expire


def report_or_404(request, report_id):
    """The report if this person may see it; a 404 otherwise, exactly as if it did not exist."""
    try:
        return queries.report_for(request.actor, report_id)
    except NotFound:
        raise Http404(_("No such report.")) from None


def _refused_status(error: ActionError) -> int:
    if error.status == 404:
        raise Http404(error.message)
    return error.status


# ------------------------------------------------------------------ the list and writing


@login_required
@require_GET
def report_list(request):
    reports = access.visible_reports(request.actor).select_related("office", "concerning")[:500]
    return render(request, "web/report_list.html", {"reports": reports, "may_write": bool(_offices(request))})


def _offices(request) -> list[Organisation]:
    """The organisations this person drafts for, which may write a report."""
    actor = actor_of(request.actor)
    drafting = actor.with_role(ROLE_DRAFTER)
    return sorted((org for org_id, org in actor.organisations.items() if org_id in drafting), key=lambda o: o.slug)


def _states():
    return Organisation.objects.filter(kind__in=(KIND_STATE, KIND_OBSERVER)).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    context = {"offices": _offices(request), "states": _states(), "values": request.POST}
    if request.method == "GET":
        return render(request, "web/report_new.html", context)
    post = request.POST
    try:
        outcome = actions.create_report(
            request.actor,
            title=post.get("title", ""),
            concerning=post.get("concerning", ""),
            note=post.get("note", ""),
            body=post.get("body") or None,
            file=request.FILES.get("file"),
            office=post.get("office") or None,
        )
    except ActionError as error:
        return render(request, "web/report_new.html", {**context, "error": error.message}, status=error.status)
    messages.success(request, _("The report is written. Nobody outside the Office can see it yet."))
    return redirect(reverse("web:report_workspace", args=[outcome.object.id]))


# ------------------------------------------------------------------ the report page


@login_required
@require_GET
def report_workspace(request, report_id):
    report = report_or_404(request, report_id)
    return render(request, "web/report.html", report_context(request, report))


def report_context(request, report, **extra) -> dict:
    """What the report page shows this person: the versions and comments the access rule lets
    them see, and the forms of the actions their role allows."""
    actor = request.actor
    versions = access.visible_versions(actor, report)
    shares = list(report.shares.select_related("version").order_by("log_index"))
    visible_numbers = {v.number for v in versions}
    is_office = access.is_office_member(actor, report)
    context = {
        "report": report,
        "versions": versions,
        "current": versions[-1],
        "status_label": states.label(report.status),
        "shares": [s for s in shares if s.version.number in visible_numbers],
        "latest_share": shares[-1] if shares else None,
        "comments": access.visible_comments(actor, report),
        "is_office": is_office,
        "office_drafter": access.is_office_drafter(actor, report),
        "state_signer": not is_office and access.is_concerned_signer(actor, report),
        "shared_versions": [v for v in versions if v.number in {s.version.number for s in shares}],
        "published": report.status == states.PUBLISHED,
        "shareable": report.status in states.SHAREABLE,
        "revisable": report.status in states.REVISABLE,
        "publishable": report.status in states.PUBLISHABLE,
        "commentable": report.status in states.COMMENTABLE,
        "acknowledgeable": report.status in states.ACKNOWLEDGEABLE,
        "values": {},
    }
    context.update(extra)
    return context


def _act(request, report, run, done: str):
    """Run one action; on refusal show the report page again with the reason, the action's
    status and what was typed."""
    try:
        run()
    except ActionError as error:
        status = _refused_status(error)
        context = report_context(request, report, error=error.message, values=request.POST)
        return render(request, "web/report.html", context, status=status)
    messages.success(request, done)
    return redirect(reverse("web:report_workspace", args=[report.id]))


def _version_named(request, report):
    """The visible version the form names, or None (the action then refuses with its own words)."""
    wanted = number(request.POST.get("version"))
    return next((v for v in access.visible_versions(request.actor, report) if v.number == wanted), None)


def _deadline(value: str):
    """A date from the form means the end of that day in UTC; anything else goes to the action
    as typed, so that it refuses it with its message."""
    try:
        day = datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=datetime.UTC)


def _now() -> datetime.datetime:
    return timezone.now()


def _what_publication_records(request, report) -> dict:
    """How many comments go in the annex and, when none came at all, whether the publication
    will record that none came by the deadline (the action's rule: the last share's deadline
    has passed)."""
    comments = access.visible_comments(request.actor, report)
    latest = report.shares.order_by("-log_index").first()
    return {
        "annexed": sum(1 for c in comments if c.annex),
        "no_comments": not comments,
        "deadline_passed": latest is not None and _now() > latest.deadline,
        "deadline": latest.deadline if latest else None,
    }


def _confirmation(request, report, action: str, **described):
    fields = {key: value for key, value in request.POST.items() if key not in ("csrfmiddlewaretoken", "review")}
    context = {"report": report, "action": action, "fields": fields, **described}
    return render(request, "web/report_confirm.html", context)


@login_required
@require_POST
def report_share(request, report_id):
    report = report_or_404(request, report_id)
    post = request.POST
    version = _version_named(request, report)
    deadline = _deadline(post.get("deadline", ""))
    if wants_review(request) and version is not None and isinstance(deadline, datetime.datetime):
        return _confirmation(request, report, "share", version=version, deadline=deadline)
    return _act(
        request,
        report,
        lambda: actions.share(
            request.actor,
            report.id,
            version=number(post.get("version")),
            version_hash=post.get("version_hash") or (version.hash if version else ""),
            deadline=deadline,
        ),
        _("The version is shared with the State concerned."),
    )


@login_required
@require_POST
def report_revise(request, report_id):
    report = report_or_404(request, report_id)
    post = request.POST
    return _act(
        request,
        report,
        lambda: actions.add_version(
            request.actor,
            report.id,
            note=post.get("note", ""),
            base_version=number(post.get("base_version")),
            body=post.get("body") or None,
            file=request.FILES.get("file"),
            title=post.get("title") or None,
            answers=[int(c) for c in post.getlist("answers") if c.isdecimal()],
        ),
        _("The new version is recorded."),
    )


@login_required
@require_POST
def report_acknowledge(request, report_id):
    report = report_or_404(request, report_id)
    return _act(
        request, report, lambda: actions.acknowledge(request.actor, report.id), _("The receipt is acknowledged.")
    )


@login_required
@require_POST
def report_comment(request, report_id):
    report = report_or_404(request, report_id)
    post = request.POST
    version = _version_named(request, report)
    annex = post.get("annex") == "yes"
    if wants_review(request) and version is not None:
        return _review_comment(request, report, version, annex)
    return _act(
        request,
        report,
        lambda: actions.comment(
            request.actor,
            report.id,
            version_hash=post.get("version_hash") or (version.hash if version else ""),
            annex=annex,
            body=post.get("body") or None,
            file=request.FILES.get("file") or _held_file(request, report),
        ),
        _("Your comments are sent to the Office, signed with your State's key."),
    )


def _review_comment(request, report, version, annex: bool):
    """The second look before comments go. A file cannot ride along to the next page without
    JavaScript, so it is checked and kept now (by its hash, as every report file is), and the
    confirmation carries a signed token naming it, for this person and this report only."""
    upload = request.FILES.get("file")
    held = None
    if upload is not None:
        try:
            # Only the State's signer may send comments: nobody else's file is stored.
            actions.require_commenter(actor_of(request.actor), report)
            stored = files.store_upload(upload)
        except ActionError as error:
            context = report_context(request, report, error=error.message, values=request.POST)
            return render(request, "web/report.html", context, status=_refused_status(error))
        held = {"sha256": stored.sha256, "name": stored.name}
        token = {**held, "user": request.user.pk, "report": report.id}
        held["token"] = signing.dumps(token, salt=HELD_FILE_SALT)
    body = "" if held else request.POST.get("body", "")
    return _confirmation(request, report, "comment", version=version, annex=annex, body=body, held=held)


def _held_file(request, report):
    """The file kept at the confirmation, if the form names one this person was given for this
    report within the hour; a token that is not is refused."""
    token = request.POST.get("held_file")
    if not token:
        return None
    try:
        held = signing.loads(token, salt=HELD_FILE_SALT, max_age=HELD_FILE_MAX_AGE)
    except signing.BadSignature:
        held = None
    if not held or held.get("user") != request.user.pk or held.get("report") != report.id:
        raise ActionError(_("The file to send is no longer held; choose it again."))
    return File(files.open_stored(held["sha256"]), name=held["name"])


@login_required
@require_POST
def report_publish(request, report_id):
    report = report_or_404(request, report_id)
    post = request.POST
    version = _version_named(request, report)
    if wants_review(request) and version is not None:
        return _confirmation(request, report, "publish", version=version, **_what_publication_records(request, report))
    return _act(
        request,
        report,
        lambda: actions.publish(
            request.actor,
            report.id,
            version=number(post.get("version")),
            version_hash=post.get("version_hash") or (version.hash if version else ""),
        ),
        _("The report is published."),
    )
