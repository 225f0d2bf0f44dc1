"""Signing a letter, and withdrawing the signature, with a passkey from the letter page.

The page shows the statement in words first ("Sign version 2 of … on behalf of …"): the
device shows nothing of it. ``challenge`` then answers the options for
``navigator.credentials.get`` whose challenge is the SHA-256 of the statement's bytes
(ledger.webauthn.challenge_for), the same statement ``GET /api/v1/letters/{id}/statement``
serves (letters/actions/own_keys.py). The form sends the assertion back as the proof, in the
API's shape (``{"kind": "webauthn", "credential": …}``); the signing action checks it before it
records anything. Withdrawing works the same way over the withdrawal statement (``action``
``withdraw`` in the challenge's body), and so does acknowledging a delivery from its page
(``acknowledge`` with the ``delivery``'s id, by a member of the addressee), and delivering from
the delivery's confirmation (``deliver`` with the ``version``, by the penholder; the form posts
to the letter's ``deliver``): each action checks its proof. The sign and withdraw forms share
the letter page's helpers (web/views/letters.py), which take the proof.
"""

import json

import webauthn
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from webauthn.helpers.structs import PublicKeyCredentialDescriptor, UserVerificationRequirement

from core.errors import ActionError, Invalid
from ledger.webauthn import challenge_for
from letters import access
from letters.actions import own_keys
from letters.actions.common import acting_organisation
from letters.actions.delivery import acknowledgement_statement, delivery_statement
from letters.actions.signing import withdrawal_statement
from orgs.models import OwnKey
from web.views import letters
from web.views.common import letter_or_404, number
from web.views.passkeys import _json_body, _refusal


@login_required
@require_POST
def challenge(request, letter_id):
    """The statement to sign now and the options that make the passkey sign its SHA-256."""
    letter = letter_or_404(request, letter_id)
    try:
        body = _json_body(request)
        if body.get("action") == "acknowledge":
            statement = acknowledgement_statement(request.actor, letter, body.get("delivery"))
            credentials = _credential_ids(request.user, letter.addressee)
        elif body.get("action") == "deliver":
            statement = delivery_statement(request.actor, letter, version=number(body.get("version")))
            credentials = _credential_ids(request.user, letter.penholder)
        else:
            organisation = _signing_organisation(request.actor, letter, body.get("organisation"))
            credentials = _credential_ids(request.user, organisation)
            statement = _signing_statement(letter, organisation, body)
    except ActionError as refusal:
        return _refusal(refusal)
    options = webauthn.generate_authentication_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        challenge=challenge_for(statement),
        allow_credentials=[PublicKeyCredentialDescriptor(id=credential) for credential in credentials],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return JsonResponse(
        {
            "options": json.loads(webauthn.options_to_json(options)),
            "statement": statement,
        }
    )


@login_required
@require_POST
def sign_with_passkey(request, letter_id):
    letter = letter_or_404(request, letter_id)
    return letters.sign_as_posted(
        request, letter, _("Your signature is recorded, made with your passkey."), with_passkey=True
    )


@login_required
@require_POST
def withdraw_with_passkey(request, letter_id):
    letter = letter_or_404(request, letter_id)
    return letters.withdraw_as_posted(
        request, letter, _("Your signature is withdrawn, with your passkey."), with_passkey=True
    )


def _signing_statement(letter, organisation, body: dict) -> dict:
    """The statement to sign (``action`` ``sign``, the default) or to withdraw with (``withdraw``)."""
    if body.get("action") == "withdraw":
        return withdrawal_statement(letter, organisation)
    return own_keys.sign_statement(letter, organisation, own_keys.version_to_sign(letter, body.get("version")))


def _signing_organisation(actor, letter, slug):
    """The organisation named, refused as the signing action would refuse it."""
    return acting_organisation(actor, access.signing_organisations(actor, letter), slug or None)


def holds_a_passkey(actor, organisation_id: int) -> bool:
    """Whether this person holds an active passkey of the organisation (one query)."""
    return OwnKey.objects.active_passkeys(actor.user, organisation_id).exists()


def _credential_ids(user, organisation) -> list[bytes]:
    keys = OwnKey.objects.active_passkeys(user, organisation.id).values_list("credential_id", flat=True)
    found = [bytes(credential) for credential in keys if credential is not None]  # a passkey always has one
    if not found:
        raise Invalid(_("You have no active passkey for this organisation."), code="no_passkey")
    return found
