"""A member's passkeys: the page that lists them and the browser's registration ceremony.

The ceremony (WebAuthn §7.1) is two requests from web/static/web/passkeys.js: ``options`` makes
a challenge, keeps it in the session and answers the options ``navigator.credentials.create``
takes; ``add`` checks the browser's answer against that challenge, this site's relying party
and origin (py_webauthn), and registers the passkey's public key with orgs.key_actions, which
puts it on the log. The private key never leaves the member's device.
"""

import json

import webauthn
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from webauthn.helpers import exceptions as webauthn_errors
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from core.errors import ActionError, Invalid
from ledger.key_events import KIND_WEBAUTHN
from orgs import key_actions
from orgs.models import ROLE_SIGNER, OwnKey

# The two algorithms ledger/webauthn.py verifies offline; Chromium's and platform authenticators
# offer both. RS256 is left out: the verifier would have to carry RSA for it.
ALGORITHMS = [COSEAlgorithmIdentifier.ECDSA_SHA_256, COSEAlgorithmIdentifier.EDDSA]
_CHALLENGE = "passkey_registration_challenge"
MAX_CREDENTIAL_JSON = 64 * 1024


@login_required
@require_GET
def passkeys_page(request):
    return render(
        request,
        "web/passkeys.html",
        {"passkeys": _passkeys_of(request.user), "organisations": _signing_organisations(request.actor)},
    )


@login_required
@require_POST
def registration_options(request):
    """The options for ``navigator.credentials.create``; the challenge stays in the session, for one use."""
    options = webauthn.generate_registration_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        rp_name="Undersigned",
        user_id=_user_handle(request.user),
        user_name=request.user.get_username(),
        user_display_name=request.user.get_full_name() or request.user.get_username(),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.REQUIRED
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=bytes(key.credential_id)) for key in _passkeys_of(request.user)
        ],
        supported_pub_key_algs=ALGORITHMS,
    )
    request.session[_CHALLENGE] = webauthn.helpers.bytes_to_base64url(options.challenge)
    return JsonResponse(json.loads(webauthn.options_to_json(options)))


@login_required
@require_POST
def add_passkey(request):
    """Check the browser's new credential and register its public key for the chosen organisation."""
    challenge = request.session.pop(_CHALLENGE, None)
    try:
        body = _json_body(request)
        verified = _verified_registration(body.get("credential"), challenge)
        outcome = key_actions.register_key(
            request.actor,
            KIND_WEBAUTHN,
            verified.credential_public_key,
            organisation=body.get("organisation") or None,
            credential_id=verified.credential_id,
        )
    except ActionError as refusal:
        return _refusal(refusal)
    key = outcome.object
    return JsonResponse(
        {"fingerprint": key.fingerprint, "status": key.status, "log_index": key.registered_log_index},
        status=201 if outcome.created else 200,
    )


def _verified_registration(credential, challenge: str | None):
    if not challenge:
        raise Invalid(_("Start again: the passkey's challenge has expired or was already used."), code="no_challenge")
    if not isinstance(credential, dict):
        raise Invalid(_("The browser sent no passkey."), field="credential")
    try:
        return webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=webauthn.base64url_to_bytes(challenge),
            expected_rp_id=settings.WEBAUTHN_RP_ID,
            expected_origin=settings.WEBAUTHN_ORIGIN,
            require_user_verification=True,
            supported_pub_key_algs=ALGORITHMS,
        )
    except (webauthn_errors.InvalidRegistrationResponse, webauthn_errors.InvalidCBORData, ValueError, KeyError) as e:
        raise Invalid(
            _("The passkey could not be checked: %(reason)s") % {"reason": e}, code="invalid_passkey"
        ) from None


def _json_body(request) -> dict:
    if len(request.body) > MAX_CREDENTIAL_JSON:
        raise Invalid(_("The browser sent too much."), code="too_large")
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise Invalid(_("The browser sent no passkey."), field="credential")
    return body


def _refusal(refusal: ActionError) -> JsonResponse:
    return JsonResponse({"error": {"code": refusal.code, "message": refusal.message}}, status=refusal.status)


def _user_handle(user) -> bytes:
    """WebAuthn's user handle: stable for a person, and telling nothing about them (§14.6.1)."""
    return salted_hmac("undersigned/passkey-user-handle", str(user.pk)).digest()


def _passkeys_of(user):
    return list(OwnKey.objects.filter(member=user, kind=KIND_WEBAUTHN).select_related("organisation"))


def _signing_organisations(actor) -> list:
    """The organisations this person signs for: a passkey signs for one of them."""
    found = [org for org_id, org in actor.organisations.items() if actor.has_role(org_id, ROLE_SIGNER)]
    return sorted(found, key=lambda org: org.slug)
