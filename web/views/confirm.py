"""The second look before an irreversible action: signing, withdrawing, delivering, publishing.

The letter page's forms carry `review`; the view then answers with this page, which says in words
what will happen (and, for a delivery, shows what the addressee will receive) and whose button
posts the same fields without `review`. It needs no JavaScript, and the API is unchanged: a
request without `review` acts at once, as programs expect.

A penholder holding a passkey of the penholder also finds, on the delivery's confirmation, the
statement its passkey would sign in words, with the delivery hash, and a form that makes the
device sign it (web/static/web/passkeys.js) and posts the assertion to the same ``deliver``.
"""

from django.shortcuts import render

from core.errors import ActionError
from letters import access, queries, states
from letters.actions.delivery import delivery_lists, delivery_statement
from orgs.models import Organisation, OwnKey
from web.countries import named_in_a_sentence
from web.views.common import number

REVIEW = "review"


def wants_review(request) -> bool:
    return bool(request.POST.get(REVIEW))


def review(request, letter, action: str):
    """The confirmation page of `action` on `letter`, with the form's fields kept; None when
    there is nothing to confirm (no organisation this person signs for), so that the action
    itself answers with its refusal."""
    versions = queries.versions_of(letter)
    current = versions[-1]
    context = {
        "letter": letter,
        "action": action,
        "current": current,
        "fields": {key: value for key, value in request.POST.items() if key not in ("csrfmiddlewaretoken", REVIEW)},
    }
    described = BUILDERS[action](request, letter, current)
    if described is None:
        return None
    context.update(described)
    return render(request, "web/confirm.html", context)


def _organisation(request, letter):
    """The organisation the form names, or the one the action would sign for without a name."""
    slug = request.POST.get("organisation") or ""
    if slug:
        return Organisation.objects.filter(slug=slug).first()
    eligible = access.signing_organisations(request.actor, letter)
    return Organisation.objects.filter(id__in=eligible).order_by("slug").first()


def _sign(request, letter, current):
    """The version the form names is the one signed (a stale one is refused by the action)."""
    organisation = _organisation(request, letter)
    if organisation is None:
        return None
    named = number(request.POST.get("version"))
    shown = next((v for v in queries.versions_of(letter) if v.number == named), current)
    return {
        "organisation": organisation,
        "shown": shown,
        "late": letter.status in states.LATE,
        "delivered_at": _first_delivery_time(letter),
    }


def _withdraw(request, letter, current):
    organisation = _organisation(request, letter)
    if organisation is None:
        return None
    live = next(
        (
            s
            for s in queries.signatures_of(letter)
            if s.is_live and organisation is not None and s.organisation_id == organisation.id
        ),
        None,
    )
    return {
        "organisation": organisation,
        "signed_version": live.version.number if live else None,
        "late": letter.status in states.LATE,
        "reason": request.POST.get("reason", ""),
    }


def _deliver(request, letter, current):
    """What the addressee will receive: the version and the list of its signatories, in the
    order the delivery will bind them (the action's own rule, so the preview cannot differ)."""
    version = current  # the action delivers the current version only, and refuses any other
    earlier = [d for d in queries.deliveries_of(letter) if d.version_id == version.id]
    signatories, withdrawn = delivery_lists(letter, version, earlier)
    by_slug = {o.slug: o for o in Organisation.objects.filter(slug__in=signatories + withdrawn)}
    return {
        "shown": version,
        "addendum": bool(earlier),
        "signatories": [by_slug[slug] for slug in signatories if slug in by_slug],
        "withdrawn": [by_slug[slug] for slug in withdrawn if slug in by_slug],
        "addressee_name": named_in_a_sentence(letter.addressee),
        "passkey_delivery": _passkey_delivery(request, letter, version),
    }


def _passkey_delivery(request, letter, version) -> dict | None:
    """The statement a penholder holding a passkey of the penholder signs to make this delivery
    (its delivery hash names this text and these lists), or None: no passkey, or nothing to
    deliver (the action then answers with its refusal)."""
    if not OwnKey.objects.active_passkeys(request.user, letter.penholder_id).exists():
        return None
    try:
        return delivery_statement(request.actor, letter, version=version.number)
    except ActionError:  # not deliverable as it stands: the plain button's answer says why
        return None


def _publish(request, letter, current):
    live = [s for s in queries.signatures_of(letter) if s.is_live]
    return {"names": len(live)}


def _first_delivery_time(letter):
    deliveries = queries.deliveries_of(letter)
    return deliveries[0].delivered_at if deliveries else None


BUILDERS = {"sign": _sign, "withdraw": _withdraw, "deliver": _deliver, "publish": _publish}
