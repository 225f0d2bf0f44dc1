"""The histories, the comments panel and the check page in a real browser, in English and Arabic:
axe-core finds no serious or critical violation; screenshots under test-artifacts/."""

from pathlib import Path

import pytest

from tests.conftest import LETTER
from tests.web.test_browser_accessibility import serious_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_viewer_finds_the_invited_letter_in_its_histories(live_server, browser, letter, viewer, language):
    page = signed_in(browser, live_server, "vera", language)
    page.goto(live_server.url + "/letters/?role=invited")
    assert page.get_by_text(LETTER["title"]).count() == 1
    assert serious_violations(page) == []
    shot(page, f"histories-invited-{language}")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_signer_comments_from_the_letter_page(live_server, browser, letter, signer, language):
    page = signed_in(browser, live_server, "sigrid", language)
    page.goto(f"{live_server.url}/letters/{letter['id']}/")
    page.wait_for_selector("#comment-body")  # the panel, loaded by htmx
    page.fill("#comment-body", "Please soften the second paragraph.")
    with page.expect_navigation():
        page.click("form[action$='/comments/add'] button[type=submit]")
    page.wait_for_selector(".comment-body")
    assert "Please soften the second paragraph." in page.inner_text("#comments")
    assert serious_violations(page) == []
    shot(page, f"comments-panel-{language}")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_check_page_shows_the_nearest_version_and_its_differences(live_server, browser, published, language):
    page = browser.new_context(locale=language, bypass_csp=True).new_page()
    page.goto(live_server.url + "/check")
    page.fill("#text", LETTER["body"].replace("intensify", "deepen"))
    with page.expect_navigation():
        page.click("form[action='/check'] button[type=submit]")
    assert page.locator(".diff ins").count() >= 1
    assert serious_violations(page) == []
    shot(page, f"check-nearest-{language}")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_penholders_panel_with_the_word_upload(live_server, browser, letter, penholder, language):
    page = signed_in(browser, live_server, "penny", language)
    page.goto(f"{live_server.url}/letters/{letter['id']}/")
    page.wait_for_selector("#upload-file")
    assert serious_violations(page) == []
    page.locator("#comments").screenshot(path=str(ARTIFACTS / f"comments-penholder-{language}.png"))
