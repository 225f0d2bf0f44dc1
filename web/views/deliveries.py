"""A delivery as the addressee sees it: the list as delivered, the list now, and receipt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ActionError
from letters import access, actions, queries
from letters.models import Delivery
from orgs.models import ROLE_SIGNER, Organisation
from web.views.passkey_signing import holds_a_passkey
from web.views.passkeys import proof_from_form


def _delivery_or_404(request, delivery_id) -> Delivery:
    delivery = (
        Delivery.objects.select_related("letter", "letter__penholder", "letter__addressee", "version")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        raise Http404(_("No such delivery."))
    letter = delivery.letter
    # The page lists who signed, so it is for those who may see the names (the one rule in
    # letters.access) among the two parties to the delivery.
    actor = request.actor
    parties = access.is_addressee_member(actor, letter) or access.is_penholder_member(actor, letter)
    if not (parties and access.can_see_names(actor, letter)):
        raise Http404(_("No such delivery."))
    return delivery


@login_required
@require_GET
def delivery_page(request, delivery_id):
    return render(request, "web/delivery.html", _context(request, _delivery_or_404(request, delivery_id)))


def _context(request, delivery, **extra) -> dict:
    letter = delivery.letter
    now = [s for s in queries.signatures_of(letter) if s.is_live and s.version_id == delivery.version_id]
    names = {o.slug: o for o in Organisation.objects.filter(slug__in=delivery.signatories + delivery.withdrawn)}
    delivered = [names[slug] for slug in delivery.signatories if slug in names]
    listed = set(delivery.signatories)
    can_acknowledge = access.is_addressee_member(request.actor, letter) and request.actor.has_role(
        letter.addressee_id, ROLE_SIGNER
    )
    return {
        "delivery": delivery,
        "letter": letter,
        "version": delivery.version,
        "delivered": delivered,
        "withdrawn": [names[s] for s in delivery.withdrawn if s in names],
        "now": [s.organisation for s in now],
        "added_since": [s.organisation for s in now if s.organisation.slug not in listed],
        "gone_since": [o for o in delivered if o.id not in {s.organisation_id for s in now}],
        "can_acknowledge": can_acknowledge,
        "passkey": can_acknowledge and holds_a_passkey(request.actor, letter.addressee_id),
        **extra,
    }


@login_required
@require_POST
def acknowledge(request, delivery_id):
    delivery = _delivery_or_404(request, delivery_id)
    try:
        proof = proof_from_form(request.POST.get("proof")) if "proof" in request.POST else None
        actions.acknowledge(request.actor, delivery.id, proof=proof)
    except ActionError as error:
        if error.status == 404:
            raise Http404(error.message) from None
        return render(
            request, "web/delivery.html", _context(request, delivery, error=error.message), status=error.status
        )
    messages.success(request, _("Receipt is acknowledged and recorded."))
    return redirect(reverse("web:delivery", args=[delivery.id]))
