"""Accessibility in a real browser: axe-core finds no serious or critical violation, and a signer
can sign with the keyboard alone."""

from pathlib import Path

import pytest

from letters.models import Signature

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(browser, live_server, username, language="en"):
    # The checker is injected as an inline script, which our Content-Security-Policy rightly
    # refuses; the test browser alone is told to let it run.
    page = browser.new_context(locale=language, bypass_csp=True).new_page()
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse 42")
    page.click("form[action='/login/'] button[type=submit]")
    return page


def serious_violations(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document)")
    return [f"{v['id']}: {v['help']}" for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_letter_inbox_and_public_pages_have_no_serious_axe_violations(
    live_server, browser, letter, signer, language
):
    page = signed_in(browser, live_server, "sigrid", language)
    for path in ["/", f"/letters/{letter['id']}/", "/check", f"/p/{letter['handle']}", "/settings/notifications/"]:
        page.goto(live_server.url + path)
        assert serious_violations(page) == [], path


def test_the_signer_signs_with_the_keyboard_alone(live_server, browser, letter, signer):
    page = signed_in(browser, live_server, "sigrid")
    page.goto(f"{live_server.url}/letters/{letter['id']}/")
    sign_button = page.locator(f"form[action='/letters/{letter['id']}/sign'] button")
    for _ in range(40):
        page.keyboard.press("Tab")
        if sign_button.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("the sign button is never reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    confirm_button = page.locator("form.confirm button[type=submit]")  # the second look, in words
    for _ in range(40):
        page.keyboard.press("Tab")
        if confirm_button.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("the confirmation's button is never reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Signature.objects.filter(letter_id=letter["id"], organisation__slug="pak").exists()


def test_pages_forbid_inline_scripts_and_framing(client):
    response = client.get("/check")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
