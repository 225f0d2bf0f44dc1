"""A signer registers a passkey in a real Chromium, signs a letter with it and re-confirms on a
new version: the device is Chromium's virtual authenticator (over CDP), user verification on, as
a phone's or a laptop's would be, with an ES256 or an Ed25519 key. The letter page shows the
statement in words before the device is touched, and the letter's bundle verifies offline.
Screenshots go to test-artifacts/screenshots/."""

import base64
import json
from pathlib import Path

import cbor2
import pytest

from ledger.verify import verify_bundle
from orgs.models import OwnKey
from tests.conftest import LETTER, make_persona, sign
from tests.web.conftest import new_version

SHOTS = Path("test-artifacts/screenshots")
PASSWORD = "correct horse 42"
COSE_ALGORITHM = {"ES256": -7, "Ed25519": -8}
REVISED = "The assessment, if published, would intensify the politicization of human rights."

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def this_site(settings, live_server):
    """Passkeys are made for the live server's own origin; browsers refuse 127.0.0.1 as a
    relying party, so it is reached as localhost."""
    assert live_server.url.startswith("http://localhost:")
    settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGIN = "localhost", live_server.url
    return live_server.url


def signed_in_with_a_device(browser, base, username):
    """A browser of its own for ``username``, signed in, with a platform authenticator that
    verifies its user; returns the context and its page."""
    context = browser.new_context(locale="en", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "ctap2Version": "ctap2_1",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/login/'] button[type=submit]")
    return context, page


@pytest.fixture
def signer_with_a_device(browser, this_site, signer):
    """Sigrid (Pakistan's signer) in her browser, with her device."""
    context, page = signed_in_with_a_device(browser, this_site, signer.username)
    yield page
    context.close()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"passkey-{name}.png"), full_page=True)


def prefer(page, algorithm):
    """Put ``algorithm`` first in the registration options: an authenticator makes a key of the
    first algorithm it supports, and the site accepts both."""

    def first(route):
        response = route.fetch()
        options = response.json()
        options["pubKeyCredParams"].sort(key=lambda param: param["alg"] != COSE_ALGORITHM[algorithm])
        route.fulfill(response=response, json=options)

    page.route("**/settings/passkeys/options", first)


def register_a_passkey(page, base, algorithm="ES256"):
    prefer(page, algorithm)
    page.goto(base + "/settings/passkeys/")
    with page.expect_navigation():  # the page reloads once the passkey is registered
        page.click("#passkey-add button[type=submit]")
    page.wait_for_selector("tr.passkey")


def sign_with_the_passkey(page, base, letter, number):
    page.goto(f"{base}/letters/{letter['id']}/")
    statement = page.inner_text("form.passkey-sign .statement")
    assert statement == f"Sign version {number} of “{LETTER['title']}” on behalf of Pakistan."
    with page.expect_navigation():
        page.click("form.passkey-sign button[type=submit]")
    assert "made with your passkey" in page.inner_text(".notices")


def logged_events(bundle, kind):
    events = [json.loads(base64.b64decode(entry["leaf"])) for entry in bundle["entries"]]
    return [event for event in events if event["type"] == kind]


@pytest.mark.parametrize("algorithm", ["ES256", "Ed25519"])
def test_a_signer_registers_a_passkey_in_the_browser(signer_with_a_device, this_site, signer, algorithm):
    register_a_passkey(signer_with_a_device, this_site, algorithm)
    shot(signer_with_a_device, f"01-registered-{algorithm}")

    key = OwnKey.objects.get()
    assert (key.organisation.slug, key.member, key.kind, key.status) == ("pak", signer.user, "webauthn", "active")
    assert cbor2.loads(bytes(key.public_key))[3] == COSE_ALGORITHM[algorithm]
    assert key.fingerprint in signer_with_a_device.inner_text("tr.passkey")


@pytest.mark.parametrize("algorithm", ["ES256", "Ed25519"])
def test_a_signer_signs_and_reconfirms_with_the_passkey_after_reading_the_statement_and_the_bundle_verifies(
    signer_with_a_device, this_site, signer, penholder, letter, algorithm
):
    page = signer_with_a_device
    register_a_passkey(page, this_site, algorithm)
    page.goto(f"{this_site}/letters/{letter['id']}/")
    assert letter["versions"][0]["hash"] in page.inner_text("form.passkey-sign")
    shot(page, f"02-statement-before-signing-{algorithm}")

    sign_with_the_passkey(page, this_site, letter, 1)
    shot(page, f"03-signed-{algorithm}")
    new_version(penholder, letter, REVISED)
    sign_with_the_passkey(page, this_site, letter, 2)
    shot(page, f"04-reconfirmed-{algorithm}")

    bundle = signer.api.get(f"/letters/{letter['id']}/bundle").json()
    report = verify_bundle(bundle)  # the signer's bundle opens its own signatures: both assertions are checked
    assert [step.detail for step in report.steps if step.number == 5] == ["2 statements verified"]
    signed = logged_events(bundle, "signature.signed")
    assert [(event["version"], event.get("key_kind")) for event in signed] == [(1, "webauthn"), (2, "webauthn")]


def test_a_signer_approves_a_colleagues_new_passkey_with_hers(browser, signer_with_a_device, this_site, orgs):
    register_a_passkey(signer_with_a_device, this_site)
    colleague = make_persona("pat", [("pak", "signer")])
    context, colleagues_page = signed_in_with_a_device(browser, this_site, colleague.username)
    register_a_passkey(colleagues_page, this_site, "Ed25519")
    pending = OwnKey.objects.get(member=colleague.user)
    assert pending.status == "pending"
    context.close()

    page = signer_with_a_device
    page.goto(this_site + "/settings/passkeys/")
    assert page.inner_text(".pending-key .statement") == (
        f"Approve the key {pending.fingerprint} (Passkey) of pat to sign for Pakistan."
    )
    shot(page, "05-approval")
    with page.expect_navigation():
        page.click(".pending-key button[type=submit]")
    assert "The key is approved." in page.inner_text(".notices")
    pending.refresh_from_db()
    assert pending.status == "active"


def test_a_signer_withdraws_with_the_passkey_after_reading_the_withdrawal_and_the_bundle_verifies(
    signer_with_a_device, this_site, signer, letter
):
    page = signer_with_a_device
    register_a_passkey(page, this_site)
    sign_with_the_passkey(page, this_site, letter, 1)
    page.goto(f"{this_site}/letters/{letter['id']}/")
    page.click("details.withdraw summary")
    withdrawal = page.locator("form.passkey-sign[data-action=withdraw]")
    assert withdrawal.locator(".statement").inner_text() == (
        f"Withdraw the signature of Pakistan on version 1 of “{LETTER['title']}”."
    )
    withdrawal.locator("textarea[name=reason]").fill("New instructions from the capital")
    shot(page, "05-withdrawal-before-the-device")

    with page.expect_navigation():
        withdrawal.locator("button[type=submit]").click()
    assert "withdrawn, with your passkey" in page.inner_text(".notices")
    shot(page, "06-withdrawn")

    bundle = signer.api.get(f"/letters/{letter['id']}/bundle").json()
    report = verify_bundle(bundle)
    assert [step.detail for step in report.steps if step.number == 5] == ["2 statements verified"]
    assert [(a["type"], a["key_kind"]) for a in report.facts["actions"]] == [("signature.withdrawn", "webauthn")]


def test_a_penholder_delivers_with_the_passkey_after_reading_the_delivery_and_the_bundle_verifies(
    browser, this_site, orgs, signer, letter
):
    holder = make_persona("dana", [("chn", "drafter"), ("chn", "signer")])  # drafts and signs for China
    context, page = signed_in_with_a_device(browser, this_site, holder.username)
    register_a_passkey(page, this_site)
    assert sign(signer, letter).status_code == 201

    page.goto(f"{this_site}/letters/{letter['id']}/")
    with page.expect_navigation():  # the letter page's button leads to the confirmation
        page.click(f"form[action='/letters/{letter['id']}/deliver'] button[type=submit]")
    delivery = page.locator("form.passkey-sign[data-action=deliver]")
    statement = delivery.locator(".statement").inner_text()
    assert statement.startswith(f"Deliver version 1 of “{LETTER['title']}” to ")
    assert statement.endswith(" on behalf of China.")
    assert delivery.get_attribute("data-expected-delivery") in delivery.inner_text()  # the delivery hash, shown
    shot(page, "07-delivery-before-the-device")

    with page.expect_navigation():
        delivery.locator("button[type=submit]").click()
    assert "The letter is delivered, with your passkey." in page.inner_text(".notices")
    shot(page, "08-delivered")
    context.close()

    bundle = holder.api.get(f"/letters/{letter['id']}/bundle").json()
    report = verify_bundle(bundle)
    assert [(a["type"], a["key_kind"]) for a in report.facts["actions"]] == [("letter.delivered", "webauthn")]
    (delivered,) = [a["index"] for a in report.facts["actions"]]
    assert delivered in {opening["index"] for opening in bundle["openings"]}  # so its assertion was checked
