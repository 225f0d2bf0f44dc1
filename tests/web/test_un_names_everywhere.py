"""Every page, the PDF and `verify` name States as the UN does, in the reader's language, never by
CLDR's colloquial names ("North Korea", "Congo - Kinshasa", "Palestinian Territories",
"Myanmar (Burma)", "Turkey")."""

import csv
import html
import json

import pytest
from babel import Locale

from core import datafiles
from register.names import display_name
from tests.conftest import LETTER, make_persona, sign
from tests.web.test_public_pdf import needs_pdftotext, pdf_text

# The States whose colloquial names differ most from the UN's.
STATES = ["PRK", "COD", "PSE", "MMR", "TUR"]


def colloquial(iso3: str, language: str) -> str:
    """CLDR's name of the State, as Babel gives it."""
    with datafiles.path("un_states.csv").open(encoding="utf-8") as handle:
        iso2 = next(row["iso2"] for row in csv.DictReader(handle) if row["iso3"] == iso3)
    return Locale.parse(language).territories[iso2]


@pytest.fixture
def letter_signed_by_the_five(penholder, orgs):
    """A published letter from chn to the OHCHR, signed by the five States above."""
    from orgs.actions import add_organisation

    letter = penholder.api.post("/letters", LETTER).json()
    slugs = [iso3.lower() for iso3 in STATES]
    for iso3, slug in zip(STATES, slugs, strict=True):
        add_organisation(slug, display_name(iso3), "state", iso3)
    assert penholder.api.post(f"/letters/{letter['id']}/circulate", {"invitees": slugs}).status_code == 201
    for slug in slugs:
        assert sign(make_persona(f"signer-{slug}", [(slug, "signer")]), letter).status_code == 201
    delivery = penholder.api.post(f"/letters/{letter['id']}/deliver", {"version": 1}).json()
    assert penholder.api.post(f"/letters/{letter['id']}/publish").status_code == 201
    return {**letter, "delivery": delivery}


def assert_un_names_only(text: str, language: str) -> None:
    text = html.unescape(text)
    for iso3 in STATES:
        un_name = display_name(iso3, language)
        assert un_name in text, f"{un_name} missing"
        if colloquial(iso3, language) not in un_name:
            assert colloquial(iso3, language) not in text, f"{colloquial(iso3, language)} shown for {iso3}"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_letter_and_delivery_pages_show_the_un_names_in_the_readers_language(
    letter_signed_by_the_five, penholder, language
):
    penholder.web.cookies["django_language"] = language
    letter_page = penholder.web.get(f"/letters/{letter_signed_by_the_five['id']}/").content.decode()
    delivery_page = penholder.web.get(f"/deliveries/{letter_signed_by_the_five['delivery']['id']}/").content.decode()
    assert_un_names_only(letter_page, language)
    assert_un_names_only(delivery_page, language)


@pytest.mark.parametrize("language", ["en", "ar", "fr", "ru", "es", "zh-hans"])
def test_the_public_page_shows_the_un_names_in_the_readers_language(letter_signed_by_the_five, client, language):
    page = client.get(f"/p/{letter_signed_by_the_five['handle']}?lang={language}").content.decode()
    assert_un_names_only(page, language.split("-")[0])


def test_the_addressee_is_named_in_the_readers_language(letter_signed_by_the_five, client):
    page = client.get(f"/p/{letter_signed_by_the_five['handle']}?lang=fr").content.decode()
    assert "Haut-Commissariat aux droits de l’homme" in page


def test_the_compose_list_names_the_states_as_the_un_does(penholder, orgs):
    from orgs.actions import add_organisation

    for iso3 in STATES:
        add_organisation(iso3.lower(), colloquial(iso3, "en"), "state", iso3)
    penholder.web.cookies["django_language"] = "ar"
    page = penholder.web.get("/letters/new/").content.decode()
    assert_un_names_only(page, "ar")


@needs_pdftotext
def test_the_pdf_shows_the_un_names_in_the_letters_language(letter_signed_by_the_five, client, tmp_path):
    text = pdf_text(client.get(f"/p/{letter_signed_by_the_five['handle']}.pdf").content, tmp_path)
    flat = " ".join(text.split())
    for iso3 in STATES:
        assert " ".join(display_name(iso3, "en").split()) in flat
        if colloquial(iso3, "en") not in display_name(iso3, "en"):
            assert colloquial(iso3, "en") not in flat


def test_verify_names_no_state_by_a_colloquial_name(letter_signed_by_the_five, client):
    from record.log import integrate
    from tests.web.test_demo_names import verify_output

    integrate()
    bundle = client.get(f"/api/v1/public/letters/{letter_signed_by_the_five['handle']}/bundle").content.decode()
    for flags in ([], ["--json"]):
        out = verify_output(bundle, *flags)
        assert "Verified" in out or "facts" in out
        for iso3 in STATES:
            assert colloquial(iso3, "en") not in out
        if flags:
            json.loads(out)
