"""The letter page and the forms on it. Every change goes through letters.actions; a refusal is
shown on the page itself with the action's message and status, and nothing is changed."""

import hashlib
from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from core.errors import ActionError
from letters import access, actions, queries, states
from letters.diff import diff_html
from letters.models import Signature
from web.views import confirm, invitees
from web.views.common import error_status, letter_or_404, number, split_list
from web.views.passkeys import passkey_organisations, proof_from_form


@login_required
@require_GET
def letter_page(request, letter_id):
    letter = letter_or_404(request, letter_id)
    queries.note_seen(request.actor, letter, letter.current_version)
    return render(request, "web/letter.html", letter_context(request, letter))


def letter_context(request, letter, **extra) -> dict:
    """Everything the letter page shows, in a fixed number of queries whatever the signatory count."""
    actor = request.actor
    versions = queries.versions_of(letter)
    by_number = {v.number: v for v in versions}
    current = versions[-1]
    shown = by_number.get(number(request.GET.get("v")), current)
    signatures = queries.signatures_of(letter, versions)
    counts = queries.counts_by_version(letter, versions)
    context = {
        "letter": letter,
        "versions": versions,
        "current": current,
        "shown": shown,
        "counts": counts,
        "total": sum(c["count"] for c in counts),
        "signatories": _signatories(queries.visible_signatures(actor, letter, signatures)),
        "signing": _signing_state(actor, letter, signatures, current),
        "deliveries": queries.deliveries_of(letter),
        "diff": _diff(request, by_number),
        "is_penholder": access.is_penholder_drafter(actor, letter),
        "visibility_choices": states.NAMES_VISIBILITY,
        "live_etag": live_etag(letter, signatures),
    }
    context["passkeys"] = passkey_organisations(actor, context["signing"])
    if context["is_penholder"]:
        context["invitees"] = invitees.invitees_table(request, letter, signatures)
        if letter.status in states.CIRCULATABLE:
            context["picker"] = invitees.picker(letter, context["invitees"]["invited"])
    context.update(extra)
    return context


def _signatories(visible):
    """Visible signatures, live first, grouped by the version they name (None: names hidden)."""
    if visible is None:
        return None
    return {"live": [s for s in visible if s.is_live], "past": [s for s in visible if not s.is_live]}


def _signing_state(actor, letter, signatures, current) -> list[dict]:
    """For each organisation this person may sign for: its live signature, if any, and what it may do."""
    eligible = access.signing_organisations(actor, letter)
    if not eligible or letter.status not in states.SIGNABLE | {states.CLOSED}:
        return []
    live = {s.organisation_id: s for s in signatures if s.is_live}
    rows = []
    for organisation in _organisations(letter, eligible, signatures):
        signature = live.get(organisation.id)
        rows.append(
            {
                "organisation": organisation,
                "signature": signature,
                "can_sign": letter.status in states.SIGNABLE
                and (signature is None or signature.version_id != current.id),
                "reconfirm_diff": diff_html(signature.version.body, current.body)
                if signature and signature.version_id != current.id
                else None,
            }
        )
    return rows


def _organisations(letter, ids, signatures):
    known = {s.organisation_id: s.organisation for s in signatures}
    known.setdefault(letter.penholder_id, letter.penholder)
    missing = [i for i in ids if i not in known]
    if missing:
        from orgs.models import Organisation

        known.update({o.id: o for o in Organisation.objects.filter(id__in=missing)})
    return sorted((known[i] for i in ids), key=lambda o: o.slug)


def _diff(request, by_number):
    old, new = by_number.get(number(request.GET.get("from"))), by_number.get(number(request.GET.get("to")))
    if not (old and new):
        return None
    return {"old": old, "new": new, "title": diff_html(old.title, new.title), "body": diff_html(old.body, new.body)}


# ------------------------------------------------------------------ the live count


def live_etag(letter, signatures=None) -> str:
    """A validator that changes whenever the counts or the status change."""
    marks: Iterable[tuple]
    if signatures is None:
        marks = Signature.objects.filter(letter=letter).values_list("log_index", "withdrawal_log_index", "replaced_at")
    else:
        marks = [(s.log_index, s.withdrawal_log_index, s.replaced_at) for s in signatures]
    seed = repr((letter.status, letter.current_version, sorted(marks, key=lambda m: m[0])))
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


@login_required
@require_GET
def live_counts(request, letter_id):
    """The count fragment the letter page polls.

    Polling a small fragment with an ETag keeps the server cheap: an unchanged letter costs the
    access check and one narrow query, and answers 304 with no body and no template rendering.
    The browser's own HTTP cache revalidates (Cache-Control: no-cache) so htmx needs no custom
    code. Plain polling also works through any proxy and needs no long-lived connection per
    reader, unlike server-sent events or websockets on a small pool of synchronous workers.
    """
    letter = letter_or_404(request, letter_id)
    etag = live_etag(letter)
    response: HttpResponse
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        versions = queries.versions_of(letter)
        counts = queries.counts_by_version(letter, versions)
        response = render(
            request,
            "web/_counts.html",
            {
                "letter": letter,
                "counts": counts,
                "total": sum(c["count"] for c in counts),
                "live_etag": etag,
            },
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def diff_fragment(request, letter_id):
    letter = letter_or_404(request, letter_id)
    by_number = {v.number: v for v in queries.versions_of(letter)}
    return render(request, "web/_diff.html", {"letter": letter, "diff": _diff(request, by_number)})


# ------------------------------------------------------------------ forms on the page


def _act(request, letter, run, done: str, **kept):
    """Run one action; on refusal, show the letter page again with the reason and the action's
    status, and what the person typed (`kept`) still in the form."""
    try:
        run()
    except ActionError as error:
        status = error_status(error)
        context = letter_context(request, letter, error=error.message, error_code=error.code, **kept)
        return render(request, "web/letter.html", context, status=status)
    messages.success(request, done)
    return redirect(reverse("web:letter", args=[letter.id]))


@login_required
@require_POST
def sign(request, letter_id):
    letter = letter_or_404(request, letter_id)
    if confirm.wants_review(request) and (page := confirm.review(request, letter, "sign")):
        return page
    return sign_as_posted(request, letter, _("Your signature is recorded."))


@login_required
@require_POST
def withdraw(request, letter_id):
    letter = letter_or_404(request, letter_id)
    if confirm.wants_review(request) and (page := confirm.review(request, letter, "withdraw")):
        return page
    return withdraw_as_posted(request, letter, _("Your signature is withdrawn."))


def sign_as_posted(request, letter, done: str, *, with_passkey: bool = False):
    """Sign as the form asks (the version and hash shown, the organisation chosen): with the
    custodial key, or ``with_passkey``, with the assertion the passkey form carries as the proof."""
    post = request.POST
    return _act(
        request,
        letter,
        lambda: actions.sign(
            request.actor,
            letter.id,
            version=number(post.get("version")),
            version_hash=post.get("version_hash"),
            organisation=post.get("organisation") or None,
            proof=_posted_proof(post, with_passkey),
        ),
        done,
    )


def withdraw_as_posted(request, letter, done: str, *, with_passkey: bool = False):
    """Withdraw as the form asks, with the custodial key or (``with_passkey``) the passkey's proof."""
    post = request.POST
    return _act(
        request,
        letter,
        lambda: actions.withdraw(
            request.actor,
            letter.id,
            reason=post.get("reason", ""),
            organisation=post.get("organisation") or None,
            proof=_posted_proof(post, with_passkey),
        ),
        done,
    )


def _posted_proof(post, with_passkey: bool) -> dict | None:
    """The passkey's assertion a passkey form carries (refused, as an action's refusal, when it
    carries none: such a form must never fall back to the custodial key); None for other forms."""
    return proof_from_form(post.get("proof")) if with_passkey else None


@login_required
@require_POST
def circulate(request, letter_id):
    letter = letter_or_404(request, letter_id)
    post = request.POST
    return _act(
        request,
        letter,
        lambda: actions.circulate(
            request.actor,
            letter.id,
            invitees=post.getlist("invite") + split_list(post.get("invitees")),
            deadline=post.get("deadline") or None,
            message=post.get("message", ""),
            names_visible_to=post.get("names_visible_to") or None,
        ),
        _("The letter is circulating."),
        circulate_values={**post.dict(), "invite": post.getlist("invite")},
    )


@login_required
@require_POST
def visibility(request, letter_id):
    letter = letter_or_404(request, letter_id)
    return _act(
        request,
        letter,
        lambda: actions.set_names_visibility(request.actor, letter.id, request.POST.get("names_visible_to")),
        _("Who sees the names is updated."),
    )


@login_required
@require_POST
def deliver(request, letter_id):
    """Deliver the current version: after the second look (``review``), with the custodial key,
    or with the penholder's passkey when the confirmation's passkey form sends its proof."""
    letter = letter_or_404(request, letter_id)
    if confirm.wants_review(request) and (page := confirm.review(request, letter, "deliver")):
        return page
    with_passkey = "proof" in request.POST
    return _act(
        request,
        letter,
        lambda: actions.deliver(
            request.actor,
            letter.id,
            version=number(request.POST.get("version")),
            proof=_posted_proof(request.POST, with_passkey),
        ),
        _("The letter is delivered, with your passkey.") if with_passkey else _("The letter is delivered."),
    )


SIMPLE = {
    "close": (actions.close, gettext_noop("Signature is closed.")),
    "publish": (actions.publish, gettext_noop("The letter is published.")),
    "abandon": (actions.abandon, gettext_noop("The letter is abandoned.")),
}


@login_required
@require_POST
def transition(request, letter_id, action):
    letter = letter_or_404(request, letter_id)
    if action == "publish" and confirm.wants_review(request) and (page := confirm.review(request, letter, action)):
        return page
    run, done = SIMPLE[action]
    return _act(request, letter, lambda: run(request.actor, letter.id), _(done))
