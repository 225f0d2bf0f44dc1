"""Delivering a version with the ordered list of its signatories, and the addressee's receipt."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, Invalid, NotFound
from ledger import events, statements
from letters import access, states
from letters.actions import own_keys
from letters.actions.common import (
    Outcome,
    after_commit,
    lock_letter,
    now,
    require_penholder_drafter,
    require_state,
    set_status,
    signature_of,
)
from letters.actions.inputs import is_whole_number, row_id
from letters.actions.registering import keep_in_register
from letters.models import Delivery, Letter, Signature, Version
from orgs.actors import Actor, actor_of
from orgs.models import ROLE_SIGNER
from record.log import append_event, event_time


@dataclass(frozen=True)
class _PlannedDelivery:
    """What delivering the letter's current version now would deliver."""

    version: Version
    hash: str
    signatories: list[str]
    withdrawn: list[str]
    addendum_to: Delivery | None


def deliver(actor, letter_id, *, version, proof=None, at=None) -> Outcome[Delivery]:
    """Deliver a version with the ordered list of its signatories; after a first delivery, an
    addendum. Signed by the penholder's custodial key, or with ``proof``, a signature by a key a
    member of the penholder holds over ``delivery_statement``."""
    actor = actor_of(actor)
    if not is_whole_number(version):
        raise Invalid(_("version must be the number of the version to deliver."), field="version")
    at = now(at)
    with transaction.atomic():
        letter = lock_letter(actor, letter_id)
        planned = _plan_delivery(actor, letter, version)
        if isinstance(planned, Delivery):
            return Outcome(planned, False)
        public = {
            "delivery": planned.hash,
            "version": version,
            "version_hash": planned.version.hash,
            "count": len(planned.signatories),
            "addendum_to": planned.addendum_to.hash if planned.addendum_to else None,
        }
        private = {
            "penholder": letter.penholder.slug,
            "signatories": planned.signatories,
            "withdrawn": planned.withdrawn,
        }
        if proof is not None:
            statement = own_keys.deliver_statement(letter, planned.version, planned.hash)
            own_public, own_private = own_keys.proof_fields(
                own_keys.check_statement_proof(letter.penholder, statement, proof)
            )
            public, private = {**public, **own_public}, {**private, **own_private}
        else:
            statement = statements.deliver_action(letter.handle, letter.penholder.slug, event_time(at), planned.hash)
            private["signature"] = signature_of(letter.penholder, statement)
        appended = append_event(events.LETTER_DELIVERED, at, public, private, handle=letter.handle)
        delivery = Delivery.objects.create(
            letter=letter,
            version=planned.version,
            hash=planned.hash,
            signatories=planned.signatories,
            withdrawn=planned.withdrawn,
            addendum_to=planned.addendum_to,
            delivered_by=actor.user,
            delivered_at=at,
            log_index=appended.index,
        )
        if letter.status != states.DELIVERED:
            set_status(letter, states.DELIVERED)
            keep_in_register(letter)
    after_commit("delivered", delivery.id)
    return Outcome(delivery, True)


def delivery_statement(actor, letter: Letter, *, version: int) -> dict:
    """The statement a penholder's member signs with their own key to deliver ``version`` of a
    letter the actor may see, as it stands now (GET /letters/{id}/statement?action=deliver);
    refused as ``deliver`` would be. The same bytes until a signature or withdrawal changes the lists."""
    planned = _plan_delivery(actor_of(actor), letter, version)
    if isinstance(planned, Delivery):
        raise Conflict(_("This version has been delivered as it stands."), code="already_delivered")
    return own_keys.deliver_statement(letter, planned.version, planned.hash)


def _plan_delivery(actor: Actor, letter: Letter, version: int) -> _PlannedDelivery | Delivery:
    """The delivery to make, or the latest delivery when it would deliver nothing new; raises
    for an actor or a letter that cannot deliver this version."""
    require_penholder_drafter(actor, letter)
    require_state(letter, states.DELIVERABLE, _("Delivery"))
    if version != letter.current_version:
        raise Conflict(
            _("Only the current version (%(current)s) can be delivered.") % {"current": letter.current_version},
            code="stale_version",
            current_version=letter.current_version,
        )
    delivered_version = letter.version(version)
    earlier = list(letter.deliveries.filter(version=delivered_version).order_by("log_index"))
    signatories, withdrawn = delivery_lists(letter, delivered_version, earlier)
    if earlier and not signatories and not withdrawn:
        return earlier[-1]
    if not earlier and not signatories:
        raise Conflict(_("Nobody has signed this version yet."), code="no_signatories")
    addendum_to = earlier[-1] if earlier else None
    dhash = statements.delivery_hash(
        letter.handle,
        version,
        delivered_version.hash,
        signatories,
        withdrawn,
        addendum_to.hash if addendum_to else None,
    )
    return _PlannedDelivery(delivered_version, dhash, signatories, withdrawn, addendum_to)


def delivery_lists(letter, version, earlier: list[Delivery]) -> tuple[list[str], list[str]]:
    """(signatories, withdrawn): the live signatories of ``version`` not in its ``earlier``
    deliveries, in signing order, and the ones those deliveries listed that are live no more; the
    delivery and its confirmation page both list them so."""
    live = list(
        Signature.objects.filter(letter=letter, version=version, withdrawn_at=None, replaced_at=None)
        .order_by("log_index")
        .values_list("organisation__slug", flat=True)
    )
    listed: list[str] = []
    for delivery in earlier:
        listed = [slug for slug in listed if slug not in delivery.withdrawn] + delivery.signatories
    signatories = [slug for slug in live if slug not in listed]
    withdrawn = [slug for slug in listed if slug not in live]
    return signatories, withdrawn


def acknowledge(actor, delivery_id, proof=None, at=None) -> Outcome[Delivery]:
    """Acknowledge receipt for the addressee: with its custodial key, or with ``proof``, a
    signature by a key a member of the addressee holds over ``acknowledgement_statement``."""
    actor = actor_of(actor)
    at = now(at)
    with transaction.atomic():
        letter, delivery = _lock_delivery_for_addressee(actor, delivery_id)
        if not actor.has_role(letter.addressee_id, ROLE_SIGNER):
            raise Forbidden(_("Only a signer of the addressee may acknowledge receipt."))
        if delivery.acknowledged_at:
            return Outcome(delivery, False)
        public = {"delivery": delivery.hash}
        private = {"org": letter.addressee.slug, "person": actor.user.get_username()}
        if proof is not None:
            own_public, own_private = own_keys.proof_fields(
                own_keys.check_statement_proof(
                    letter.addressee, own_keys.acknowledge_statement(letter, delivery), proof
                )
            )
            public, private = {**public, **own_public}, {**private, **own_private}
        else:
            statement = statements.acknowledge_action(
                letter.handle, letter.addressee.slug, event_time(at), delivery.hash
            )
            private["signature"] = signature_of(letter.addressee, statement)
        appended = append_event(events.DELIVERY_ACKNOWLEDGED, at, public, private, handle=letter.handle)
        Delivery.objects.filter(pk=delivery.pk).update(
            acknowledged_at=at, acknowledged_by=actor.user, acknowledgement_log_index=appended.index
        )
        delivery.refresh_from_db()
    after_commit("acknowledged", delivery.id)
    return Outcome(delivery, True)


def acknowledgement_statement(actor, letter: Letter, delivery_id) -> dict:
    """The statement a member of the addressee signs with their own key to acknowledge a
    delivery of the letter (GET /letters/{id}/statement?action=acknowledge&delivery=ID);
    refused as ``acknowledge`` would be."""
    actor = actor_of(actor)
    with transaction.atomic():
        letter, delivery = _lock_delivery_for_addressee(actor, delivery_id, letter_id=letter.id)
    if not actor.has_role(letter.addressee_id, ROLE_SIGNER):
        raise Forbidden(_("Only a signer of the addressee may acknowledge receipt."))
    return own_keys.acknowledge_statement(letter, delivery)


def _lock_delivery_for_addressee(actor: Actor, delivery_id, letter_id: int | None = None) -> tuple[Letter, Delivery]:
    """The delivery and its letter, locked, if the actor is a member of the addressee.

    A delivery that exists but is not the actor's to acknowledge is refused with the very words
    of one that does not exist, so that delivery ids cannot be probed for letters."""
    no_such_delivery = NotFound(_("No such delivery."))
    delivery_id = row_id(delivery_id)
    found = (
        Delivery.objects.filter(pk=delivery_id).values_list("letter_id", flat=True).first()
        if (delivery_id is not None)
        else None
    )
    if found is None or letter_id not in (None, found):
        raise no_such_delivery
    try:
        letter = lock_letter(actor, found)
    except NotFound:
        raise no_such_delivery from None
    if not access.is_addressee_member(actor, letter):
        raise no_such_delivery
    return letter, Delivery.objects.select_for_update().get(pk=delivery_id)
