"""The demo's letters, as English readers see them — letter, delivery and public pages, the PDF
and `verify` — name no State by a colloquial name ("North Korea", "Congo - Kinshasa",
"Palestinian Territories", "Myanmar (Burma)", "Turkey", ...): only by the UN's.

The demo is loaded once for the module inside a transaction rolled back at the end, as in
tests/test_demo.py."""

import csv
import html
import re
import subprocess
import sys

import pytest
from babel import Locale
from django.db import transaction
from django.test import Client

from core import datafiles
from register.names import display_name
from tests.web.test_public_pdf import needs_pdftotext, pdf_text

pytestmark = pytest.mark.django_db


def colloquial_names(language: str = "en") -> dict[str, str]:
    """CLDR's name of each State where it is not part of the UN's own."""
    territories = Locale.parse(language).territories
    with datafiles.path("un_states.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {}
    for row in rows:
        cldr = territories.get(row["iso2"], "")
        if cldr and cldr not in display_name(row["iso3"], language):
            names[row["iso3"]] = cldr
    return names


def colloquial_in(text: str) -> list[str]:
    text = html.unescape(text)
    return [name for name in colloquial_names().values() if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)]


@pytest.fixture(scope="module")
def demo_letters(django_db_setup, django_db_blocker):
    from undersigned import demo

    with django_db_blocker.unblock(), transaction.atomic():
        demo.load()
        from letters.models import Letter

        yield list(Letter.objects.select_related("penholder"))
        transaction.set_rollback(True)


def penholder_client(letter) -> Client:
    from orgs.models import Member

    client = Client()
    client.force_login(Member.objects.filter(organisation=letter.penholder, role="drafter").first().user)
    return client


def test_the_list_of_colloquial_names_holds_the_usual_suspects():
    assert {"North Korea", "Congo - Kinshasa", "Palestinian Territories", "Myanmar (Burma)"} <= set(
        colloquial_names().values()
    )


def test_the_demos_letter_and_delivery_pages_use_the_un_names(demo_letters):
    assert demo_letters
    for letter in demo_letters:
        client = penholder_client(letter)
        assert colloquial_in(client.get(f"/letters/{letter.id}/").content.decode()) == [], letter.handle
        for delivery in letter.deliveries.all():
            assert colloquial_in(client.get(f"/deliveries/{delivery.id}/").content.decode()) == [], delivery.id


def test_the_demos_public_pages_use_the_un_names(demo_letters):
    client = Client()
    for letter in demo_letters:
        assert colloquial_in(client.get(f"/p/{letter.handle}?lang=en").content.decode()) == [], letter.handle


@needs_pdftotext
def test_the_demos_pdfs_use_the_un_names(demo_letters, tmp_path):
    client = Client()
    for letter in (letter for letter in demo_letters if letter.status == "published"):
        text = " ".join(pdf_text(client.get(f"/p/{letter.handle}.pdf").content, tmp_path).split())
        assert colloquial_in(text) == [], letter.handle


def test_verify_names_no_state_colloquially_for_the_demos_letters(demo_letters):
    client = Client()
    for letter in demo_letters:
        bundle = client.get(f"/api/v1/public/letters/{letter.handle}/bundle").content.decode()
        assert colloquial_in(verify_output(bundle)) == [], letter.handle


def verify_output(bundle: str, *flags: str) -> str:
    """What `python -m ledger verify -` prints for the bundle, as anyone would run it."""
    command = [sys.executable, "-m", "ledger", "verify", "-", *flags]
    return subprocess.run(command, input=bundle, capture_output=True, text=True, check=False).stdout
