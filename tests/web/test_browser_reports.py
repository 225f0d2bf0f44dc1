"""A report's whole flow in a real browser, as the Office and as the State concerned, in English
and in Arabic (right to left): written, shared after a confirmation in words, acknowledged,
commented on for the annex, published. axe-core finds no serious or critical violation on the
new pages; a screenshot of each goes to test-artifacts/screenshots/."""

import datetime
from pathlib import Path

import pytest

from reports.models import Comment, Report
from tests.reports import conftest as report_fixtures
from tests.web.test_browser_accessibility import serious_violations

SHOTS = Path("test-artifacts/screenshots")
PASSWORD = "correct horse 42"
DEADLINE = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()

# The Office (olga, ohchr's drafter) and the State concerned's signer (sam, chn's).
office, state_signer = report_fixtures.office, report_fixtures.state_signer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person:
    """One persona's own browser context, signed in through the login page. The test browser
    alone lets axe's inline script run past the Content-Security-Policy."""

    def __init__(self, browser, base, username, language):
        self.context = browser.new_context(locale=language, viewport={"width": 1280, "height": 900}, bypass_csp=True)
        self.page = self.context.new_page()
        self.base, self.language = base, language
        self.go("/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("form[action='/login/'] button[type=submit]")

    def go(self, path):
        self.page.goto(self.base + path)
        return self.page

    def look(self, name):
        """A screenshot to look at, and axe's verdict on the page."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"report-{name}-{self.language}.png"), full_page=True)
        assert serious_violations(self.page) == [], name

    def submit(self, selector):
        with self.page.expect_navigation():
            self.page.click(selector)

    def submit_and_confirm(self, selector, name):
        """The report page's button, then the confirmation page's, after looking at it."""
        self.submit(selector)
        assert self.page.locator("form.confirm").count() == 1
        self.look(name)
        self.submit("form.confirm button[type=submit]")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_office_and_the_state_go_through_a_report_in_the_browser(
    live_server, browser, language, office, state_signer
):
    olga = Person(browser, live_server.url, "olga", language)
    assert olga.page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")

    # The Office writes the report.
    olga.go("/reports/new/")
    olga.page.fill("#title", "Assessment of human rights concerns (illustrative)")
    olga.page.select_option("#concerning", "chn")
    olga.page.fill("#body", "# Assessment\n\nAn illustrative text of the Office's assessment.")
    olga.page.fill("#note", "First draft")
    olga.look("new")
    olga.submit("form[action='/reports/new/'] button[type=submit]")
    report = Report.objects.get()
    olga.look("office-draft")

    # It shares version 1, after reading who will read it.
    olga.page.fill("#deadline", DEADLINE)
    olga.submit_and_confirm(f"form[action='/reports/{report.id}/share'] button[type=submit]", "confirm-share")
    report.refresh_from_db()
    assert report.status == "shared"

    # The State concerned finds it in its list, reads it, acknowledges it and sends comments.
    sam = Person(browser, live_server.url, "sam", language)
    sam.go("/reports/")
    sam.look("state-list")
    sam.submit(f"a[href='/reports/{report.id}/']")
    sam.look("state-report")
    sam.submit(f"form[action='/reports/{report.id}/acknowledge'] button[type=submit]")
    sam.page.fill("#comment-body", "The State's comments on the assessment (illustrative).")
    sam.page.check("input[name=annex][value=yes]")
    sam.submit_and_confirm(f"form[action='/reports/{report.id}/comment'] button[type=submit]", "confirm-comment")
    comment = Comment.objects.get()
    assert comment.annex and not comment.late and report.shares.get().acknowledged_at is not None

    # The Office sees the comments and publishes version 1 with them annexed.
    olga.go(f"/reports/{report.id}/")
    assert "The State's comments on the assessment" in olga.page.content()
    olga.look("office-comments")
    olga.submit_and_confirm(f"form[action='/reports/{report.id}/publish'] button[type=submit]", "confirm-publish")
    report.refresh_from_db()
    assert report.status == "published" and report.published_version == 1

    olga.go(f"/r/{report.handle}")
    olga.look("public")
