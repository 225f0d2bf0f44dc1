"""The whole story in a real browser, as each persona, in English and in Arabic; a screenshot of
every page goes to test-artifacts/screenshots/."""

from pathlib import Path

import pytest

from letters.models import Letter

SHOTS = Path("test-artifacts/screenshots")
PASSWORD = "correct horse 42"
BODY = "We, the undersigned, urge the High Commissioner not to publish the assessment.\n\nWe remain ready to engage."
REVISED = (
    "We, the undersigned, respectfully urge the High Commissioner not to publish the assessment.\n\n"
    "We remain ready to engage."
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person:
    """One persona's own browser context (cookies, language), signed in through the login page."""

    def __init__(self, browser, base, username, language, tag):
        self.context = browser.new_context(locale=language, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.base, self.tag, self.language = base, tag, language
        if username:
            self.go("/login/")
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", PASSWORD)
            self.page.click("form[action='/login/'] button[type=submit]")

    def go(self, path):
        self.page.goto(self.base + path)
        return self.page

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{self.language}-{name}.png"), full_page=True)

    def submit(self, selector):
        with self.page.expect_navigation():
            self.page.click(selector)

    def submit_and_confirm(self, selector, shot=None):
        """An irreversible action: the letter page's button, then the confirmation page's."""
        self.submit(selector)
        assert self.page.locator("form.confirm").count() == 1
        if shot:
            self.shot(shot)
        self.submit("form.confirm button[type=submit]")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_whole_story(
    live_server, browser, language, penholder, penholder_signer, signer, second_signer, viewer, addressee
):
    def person(username, tag):
        return Person(browser, live_server.url, username, language, tag)

    pen = person("penny", "penholder")
    assert pen.page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    pen.go("/letters/new/")
    pen.page.fill("#title", "Joint letter on the assessment")
    pen.page.select_option("#addressee", "ohchr")
    pen.page.fill("#body", BODY)
    pen.page.fill("#note", "First draft")
    pen.page.click("button[name=preview]")
    pen.page.wait_for_selector("#preview p")
    pen.shot("01-compose")
    pen.submit("form.editor button.primary")
    letter = Letter.objects.get()
    pen.page.fill("#invitees", "pak, cub")
    pen.submit(f"form[action='/letters/{letter.id}/circulate'] button")
    pen.shot("02-letter-penholder")

    sig = person("sigrid", "signer")
    sig.shot("03-inbox-signer")
    sig.go(f"/letters/{letter.id}/")
    sig.submit_and_confirm(f"form[action='/letters/{letter.id}/sign'] button", "03b-confirm-sign")
    assert sig.page.locator("#live-counts .big").inner_text() == "1"

    pen.go(f"/letters/{letter.id}/revise/")
    pen.page.fill("#body", REVISED)
    pen.page.fill("#note", "Softer wording")
    pen.submit("form.editor button.primary")

    sig.go(f"/letters/{letter.id}/")
    assert sig.page.locator(".action ins").count() >= 1
    sig.shot("04-reconfirm")
    sig.submit_and_confirm(f"form[action='/letters/{letter.id}/sign'] button")

    cub = person("carlos", "second-signer")
    cub.go(f"/letters/{letter.id}/")
    cub.submit_and_confirm(f"form[action='/letters/{letter.id}/sign'] button")
    cub.page.click("details.withdraw summary")
    cub.page.fill("textarea[name=reason]", "New instructions")
    cub.submit_and_confirm(f"form[action='/letters/{letter.id}/withdraw'] button", "05a-confirm-withdraw")
    cub.shot("05-withdrawn")

    vera = person("vera", "viewer")
    vera.go(f"/letters/{letter.id}/")
    assert vera.page.locator(f"form[action='/letters/{letter.id}/sign']").count() == 0

    pen.go(f"/letters/{letter.id}/")
    pen.submit_and_confirm(f"form[action='/letters/{letter.id}/deliver'] button", "06a-confirm-deliver")
    pen.shot("06-delivered")

    ada = person("ada", "addressee")
    ada.shot("07-inbox-addressee")
    delivery = letter.deliveries.get()
    ada.go(f"/deliveries/{delivery.id}/")
    ada.submit(f"form[action='/deliveries/{delivery.id}/acknowledge'] button")
    ada.shot("08-acknowledged")

    pen.go(f"/letters/{letter.id}/")
    pen.submit_and_confirm(f"form[action='/letters/{letter.id}/publish'] button", "08b-confirm-publish")
    public = person(None, "public")
    public.go(f"/p/{letter.handle}")
    assert "Joint letter on the assessment" in public.page.content()
    public.shot("09-public")
    public.go("/check")
    public.page.fill("#text", REVISED)
    public.submit("form[action='/check'] button")
    assert public.page.locator(".result a").count() == 1
    public.shot("10-check")
    for each in (pen, sig, cub, vera, ada, public):
        each.context.close()
