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
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
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

from core.errors import ActionError, Invalid, NotFound
from ledger.key_events import KIND_WEBAUTHN
from ledger.webauthn import challenge_for
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
    return render(request, "web/passkeys.html", _page_context(request))


def _page_context(request, **extra) -> dict:
    organisations = _signing_organisations(request.actor)
    passkeys = _passkeys_of(request.user)
    approving = {key.organisation_id for key in passkeys if key.status == OwnKey.STATUS_ACTIVE}
    return {
        "passkeys": passkeys,
        "organisations": organisations,
        "elsewhere": _passkeys_origin_if_elsewhere(request),
        "reason_limit": key_actions.MAX_REASON,
        "pending": [
            {"key": key, "can_approve": key.organisation_id in approving}
            for key in OwnKey.objects.filter(organisation__in=organisations, status=OwnKey.STATUS_PENDING)
            .select_related("organisation", "member")
            .order_by("registered_log_index")
        ],
        **extra,
    }


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
            sign_count=verified.sign_count,
        )
    except ActionError as refusal:
        return _refusal(refusal)
    key = outcome.object
    return JsonResponse(
        {"fingerprint": key.fingerprint, "status": key.status, "log_index": key.registered_log_index},
        status=201 if outcome.created else 200,
    )


@login_required
@require_POST
def approval_challenge(request, key_id):
    """The options that make the member's passkey sign the statement approving a pending key of
    their organisation (orgs.key_actions.approval_statement), by its SHA-256."""
    try:
        key = _pending_key(request.actor, key_id)
        credentials = [
            bytes(own.credential_id)
            for own in _passkeys_of(request.user)
            if own.organisation_id == key.organisation_id and own.status == OwnKey.STATUS_ACTIVE
        ]
        if not credentials:
            raise Invalid(_("You have no active passkey for this organisation."), code="no_passkey")
    except ActionError as refusal:
        return _refusal(refusal)
    statement = key_actions.approval_statement(key)
    options = webauthn.generate_authentication_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        challenge=challenge_for(statement),
        allow_credentials=[PublicKeyCredentialDescriptor(id=credential) for credential in credentials],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return JsonResponse({"options": json.loads(webauthn.options_to_json(options)), "statement": statement})


@login_required
@require_POST
def approve_with_passkey(request, key_id):
    """Approve a pending key with the assertion the member's passkey made over the approval."""
    try:
        key_actions.approve_key(request.actor, key_id, proof=proof_from_form(request.POST.get("proof")))
    except ActionError as refusal:
        context = _page_context(request, error=refusal.message)
        return render(request, "web/passkeys.html", context, status=refusal.status)
    messages.success(request, _("The key is approved."))
    return redirect("web:passkeys")


@login_required
@require_POST
def revoke_passkey(request, key_id):
    """Revoke one of the member's passkeys (a lost or replaced device): it signs nothing from now
    on; what it signed before stays valid, since it was valid when logged."""
    key = OwnKey.objects.filter(pk=key_id, member=request.user, kind=KIND_WEBAUTHN).first()
    try:
        if key is None:
            raise NotFound(_("No such key."))
        key_actions.revoke_key(request.actor, key.id, reason=request.POST.get("reason", ""))
    except ActionError as refusal:
        context = _page_context(request, error=refusal.message)
        return render(request, "web/passkeys.html", context, status=refusal.status)
    messages.success(request, _("The passkey is revoked."))
    return redirect("web:passkeys")


def proof_from_form(text) -> dict:
    """The proof a passkey form carries, as JSON in its ``proof`` field."""
    try:
        proof = json.loads(text or "")
    except ValueError:
        proof = None
    if not isinstance(proof, dict):
        raise Invalid(_("The browser sent no passkey."), field="proof")
    return proof


def _pending_key(actor, key_id) -> OwnKey:
    """A pending key of an organisation this person signs for; any other is not found."""
    key = OwnKey.objects.filter(pk=key_id, status=OwnKey.STATUS_PENDING).select_related("organisation").first()
    if key is None or not actor.has_role(key.organisation_id, ROLE_SIGNER):
        raise NotFound(_("No such key."))
    return key


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


def _passkeys_origin_if_elsewhere(request) -> str | None:
    """The origin passkeys are made for, when this page is read at another (the demo at
    127.0.0.1, say): the browser would refuse the ceremony there, so the page says where to go."""
    here = f"{request.scheme}://{request.get_host()}"
    return None if here == settings.WEBAUTHN_ORIGIN else settings.WEBAUTHN_ORIGIN


def _user_handle(user) -> bytes:
    """WebAuthn's user handle: stable for a person, and telling nothing about them (§14.6.1)."""
    return salted_hmac("undersigned/passkey-user-handle", str(user.pk)).digest()


def _passkeys_of(user):
    return list(OwnKey.objects.filter(member=user, kind=KIND_WEBAUTHN).select_related("organisation"))


def _signing_organisations(actor) -> list:
    """The organisations this person signs for: a passkey signs for one of them."""
    found = [org for org_id, org in actor.organisations.items() if actor.has_role(org_id, ROLE_SIGNER)]
    return sorted(found, key=lambda org: org.slug)


def passkey_organisations(actor, signing_rows: list[dict]) -> set[int]:
    """The organisations of the letter page's signing rows for which this person holds an active
    passkey: one query, and none for a reader who signs for nobody here."""
    if not signing_rows:
        return set()
    ids = [row["organisation"].id for row in signing_rows]
    active = OwnKey.objects.filter(
        member=actor.user, kind=KIND_WEBAUTHN, status=OwnKey.STATUS_ACTIVE, organisation_id__in=ids
    )
    return set(active.values_list("organisation_id", flat=True))
