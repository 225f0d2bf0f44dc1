"""A signer adds a passkey from the passkeys page: the browser's new credential is checked for
this site, with the user verified, against a challenge used once; its public key is registered
for the signer's organisation and the registration is on the log. A software authenticator
(tests/passkey.py) stands in for the device; the browser test drives Chromium's."""

import base64
import json

import pytest

from orgs.models import OwnKey
from record.models import Entry
from tests.passkey import ORIGIN, RP_ID, Passkey


@pytest.fixture(autouse=True)
def this_site(settings):
    settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGIN = RP_ID, ORIGIN


def options(persona) -> dict:
    response = persona.web.post("/settings/passkeys/options")
    assert response.status_code == 200, response.content
    return response.json()


def add(persona, credential, organisation=""):
    body = json.dumps({"organisation": organisation, "credential": credential})
    return persona.web.post("/settings/passkeys/add", body, content_type="application/json")


def challenge_of(answer: dict) -> bytes:
    return base64.urlsafe_b64decode(answer["challenge"] + "==")


def test_a_signer_registers_a_passkey_and_the_registration_is_on_the_log(signer):
    passkey = Passkey("ES256")
    response = add(signer, passkey.register(challenge_of(options(signer))))
    assert response.status_code == 201, response.content
    key = OwnKey.objects.get()
    assert (key.organisation.slug, key.member, key.kind) == ("pak", signer.user, "webauthn")
    assert bytes(key.public_key) == passkey.public_key_cose
    assert bytes(key.credential_id) == passkey.credential_id
    assert response.json()["status"] == "active"  # the organisation's first key
    logged = json.loads(bytes(Entry.objects.get(index=key.registered_log_index).data))
    assert (logged["type"], logged["org"], logged["fingerprint"]) == ("key.registered", "pak", key.fingerprint)


def test_an_ed25519_passkey_is_registered_too(signer):
    passkey = Passkey("Ed25519")
    assert add(signer, passkey.register(challenge_of(options(signer)))).status_code == 201
    assert bytes(OwnKey.objects.get().public_key) == passkey.public_key_cose


def test_the_options_ask_for_user_verification_and_the_two_algorithms_the_verifier_checks(signer):
    answer = options(signer)
    assert answer["rp"]["id"] == RP_ID
    assert answer["authenticatorSelection"]["userVerification"] == "required"
    assert [p["alg"] for p in answer["pubKeyCredParams"]] == [-7, -8]


def test_a_challenge_serves_once(signer):
    credential = Passkey().register(challenge_of(options(signer)))
    assert add(signer, credential).status_code == 201
    again = add(signer, credential)
    assert again.status_code == 422
    assert again.json()["error"]["code"] == "no_challenge"


def test_a_passkey_made_for_another_site_is_refused(signer):
    response = add(signer, Passkey().register(challenge_of(options(signer)), rp_id="evil.example"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_passkey"
    assert not OwnKey.objects.exists()


def test_a_passkey_made_from_another_origin_is_refused(signer):
    response = add(signer, Passkey().register(challenge_of(options(signer)), origin="https://evil.example"))
    assert response.status_code == 422
    assert not OwnKey.objects.exists()


def test_a_passkey_that_did_not_verify_its_user_is_refused(signer):
    response = add(signer, Passkey().register(challenge_of(options(signer)), flags=0x01))
    assert response.status_code == 422
    assert not OwnKey.objects.exists()


def test_a_passkey_over_another_challenge_is_refused(signer):
    options(signer)
    response = add(signer, Passkey().register(b"a challenge the server never gave"))
    assert response.status_code == 422
    assert not OwnKey.objects.exists()


def test_a_viewer_is_told_only_signers_add_passkeys_and_cannot_add_one(viewer):
    page = viewer.web.get("/settings/passkeys/")
    assert page.status_code == 200
    assert "Only a signer of an organisation can add a passkey." in page.content.decode()
    response = add(viewer, Passkey().register(challenge_of(options(viewer))))
    assert response.status_code == 403
    assert not OwnKey.objects.exists()


def test_the_passkeys_page_lists_the_signers_passkeys(signer, second_signer):
    add(signer, Passkey().register(challenge_of(options(signer))))
    key = OwnKey.objects.get()
    assert key.fingerprint in signer.web.get("/settings/passkeys/").content.decode()
    assert key.fingerprint not in second_signer.web.get("/settings/passkeys/").content.decode()


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get("/settings/passkeys/").status_code == 302
    assert client.post("/settings/passkeys/options").status_code == 302


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("ar", "مفاتيح المرور"),
        ("es", "Llaves de acceso"),
        ("fr", "Clés d’accès"),
        ("ru", "Ключи доступа"),
        ("zh-hans", "通行密钥"),
    ],
)
def test_the_passkeys_page_speaks_the_readers_language(signer, language, heading):
    page = signer.web.get("/settings/passkeys/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert "A passkey lets you sign" not in page
