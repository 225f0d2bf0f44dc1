"""The register's pages in a real browser, in English and Arabic: they render, the claim checker
works from the keyboard's point of view (a form, a button, a link), axe finds no serious or
critical violation, and screenshots are kept under test-artifacts/ for a person to look at."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps

from core import datafiles
from register.importer import import_files
from tests.web.test_browser_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_FILES = [
    "hrc_members.csv",
    "hrc51_texts.csv",
    "hrc51_l6_votes.csv",
    "register_texts.csv",
    "register_participants.csv",
]
PAGES = {
    "index": "/register/",
    "text": "/register/texts/hrc41-counterletter-2019-07-12",
    "statement": "/register/texts/hrc50-2022-06-14-cub",
    "country": "/register/countries/QAT",
    "session": "/register/sessions/51",
    "vote": "/register/votes/A/HRC/51/L.6",
}


@pytest.fixture
def record():
    # A transactional test that ran before flushed every table, the States the migration loads
    # included; load them again (the migration's loader skips those present) before the record.
    importlib.import_module("register.migrations.0002_countries").load_countries(apps, None)
    import_files([datafiles.path(name) for name in DEMO_FILES])


def open_page(browser, language):
    # axe is injected as an inline script, which the CSP refuses: only this test browser may run it.
    return browser.new_context(locale=language, bypass_csp=True, viewport={"width": 1200, "height": 900}).new_page()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"register-{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_register_pages_render_without_serious_axe_violations(live_server, browser, record, language):
    page = open_page(browser, language)
    for name, path in PAGES.items():
        response = page.goto(f"{live_server.url}{path}?lang={language}")
        assert response.status == 200, path
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        shot(page, f"{name}-{language}")
        assert serious_violations(page) == [], path


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_reader_checks_a_claim_and_gets_a_page_of_its_own(live_server, browser, record, language):
    page = open_page(browser, language)
    page.goto(f"{live_server.url}/register/claims/?lang={language}")
    page.fill("#c-statement", "Nearly 100 countries supported China")
    page.fill("#c-number", "100")
    page.check("input[value='hrc50-2022-06-14-cub']")
    page.check("input[value='hrc50-2022-06-14-nld']")
    shot(page, f"claim-form-{language}")
    assert serious_violations(page) == []
    with page.expect_navigation():
        page.click("form button[type=submit]")
    saved = page.url.split("?")[0]
    assert saved.startswith(f"{live_server.url}/register/claims/") and saved != f"{live_server.url}/register/claims/"
    assert page.locator(".verdict").count() == 1
    shot(page, f"claim-{language}")
    assert serious_violations(page) == []
    # The map's States are named in the reader's language.
    assert page.locator("svg.world-map path[data-iso3='NLD'] title").count() == 1
