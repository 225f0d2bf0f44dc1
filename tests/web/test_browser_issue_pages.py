"""In a real browser, in English and Arabic: the circulation picker, the table of invitees, the
confirmations, the public page's sentence, /log/ and the 404, each with a screenshot under
test-artifacts/screenshots/ and no serious or critical axe violation."""

import pytest

from letters.models import Invitation, Letter
from tests.web.test_browser_accessibility import serious_violations, signed_in
from tests.web.test_browser_story import SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, language, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{language}-issue-{name}.png"), full_page=True)


def checked(page, language, name):
    """A screenshot, then axe: nothing serious or critical."""
    shot(page, language, name)
    assert serious_violations(page) == [], name


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_pick_invite_sign_deliver_publish_and_read_the_public_page(
    live_server, browser, draft, penholder, signer, second_signer, addressee, language
):
    base = live_server.url
    pen = signed_in(browser, live_server, "penny", language)
    pen.goto(f"{base}/letters/{draft['id']}/")
    pen.fill("#picker-filter", "pak" if language == "en" else "باكستان")
    assert pen.locator(".picker-list label.choice:visible").count() == 1
    pen.check(".picker-list input[value=pak]")
    pen.fill("#picker-filter", "")
    pen.check("input[value='group:Latin American and Caribbean States']")
    assert pen.locator("#picker-count").inner_text().endswith("2")
    checked(pen, language, "01-picker")
    submit(pen, "#circulate-form button[type=submit]")
    assert set(Invitation.objects.values_list("organisation__slug", flat=True)) == {"pak", "cub"}

    sig = signed_in(browser, live_server, "sigrid", language)
    sig.goto(f"{base}/letters/{draft['id']}/")
    submit(sig, f"form[action='/letters/{draft['id']}/sign'] button")
    checked(sig, language, "02-confirm-sign")
    submit(sig, "form.confirm button[type=submit]")

    pen.goto(f"{base}/letters/{draft['id']}/")
    checked(pen, language, "03-invitees-table")
    submit(pen, f"form[action='/letters/{draft['id']}/deliver'] button")
    assert pen.locator("#receives-heading").count() == 1
    checked(pen, language, "04-confirm-deliver")
    submit(pen, "form.confirm button[type=submit]")
    submit(pen, f"form[action='/letters/{draft['id']}/publish'] button")
    checked(pen, language, "05-confirm-publish")
    submit(pen, "form.confirm button[type=submit]")
    assert Letter.objects.get(id=draft["id"]).status == "published"

    public = browser.new_context(locale=language, bypass_csp=True).new_page()
    public.goto(f"{base}/p/{draft['handle']}?lang={language}")
    assert "1" in public.locator("#summary-sentence").inner_text()
    checked(public, language, "06-public-page")
    public.goto(f"{base}/log/?lang={language}")
    checked(public, language, "07-log")
    public.goto(f"{base}/letters/{draft['id']}/")
    public.goto(f"{base}/p/nosuchhandle")
    checked(public, language, "08-not-found")


def test_the_pickers_count_is_of_distinct_organisations_whatever_overlaps(live_server, browser, draft, penholder):
    """A State ticked and its group ticked, or a code typed and ticked, is one invitation; "all"
    counts every State the picker lists; a code already in the count adds nothing."""
    pen = signed_in(browser, live_server, "penny")
    pen.goto(f"{live_server.url}/letters/{draft['id']}/")
    count = pen.locator("#picker-count")
    pen.check(".picker-list input[value=pak]")
    pen.check("input[value='group:Asia-Pacific States']")
    assert count.inner_text() == "Organisations to invite: 1"
    pen.fill("#invitees", "pak, cub")
    assert count.inner_text() == "Organisations to invite: 2"
    pen.fill("#invitees", "all\ngroup:Latin American and Caribbean States")
    assert count.inner_text() == "Organisations to invite: 3"  # pak, cub, usa: chn holds the pen
    pen.fill("#invitees", "chn, nosuchmission")
    assert count.inner_text() == "Organisations to invite: 1"
