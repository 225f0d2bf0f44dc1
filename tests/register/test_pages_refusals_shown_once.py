"""A reader whose input the register refuses reads why once, beside what it is about, with what
they typed still there to correct: the list's State filter and the claim checker's fields."""

import html
import re

import pytest

from register import names
from register.importer import import_files
from tests.register.conftest import REAL_COUNCIL
from web.views import register_claims

L6 = "A/HRC/51/L.6"


@pytest.fixture
def council(db):
    import_files(REAL_COUNCIL)


def refusal_of(name: str) -> str:
    with pytest.raises(names.CountryNameError) as refused:
        names.resolve(name)
    return str(refused.value)


def page_of(response, status: int) -> str:
    assert response.status_code == status
    return html.unescape(response.content.decode())


def error_beside(page: str, field_id: str) -> str:
    """The message the field's aria-describedby points at."""
    field = re.search(rf'id="{field_id}"[^>]*aria-describedby="([^"]+)"', page)
    assert field, f"{field_id} is not described by an error"
    message = re.search(rf'<p id="{field.group(1)}" class="error" role="alert">(.*?)</p>', page, re.S)
    assert message, f"{field.group(1)} is not on the page"
    return message.group(1)


def test_a_state_the_list_cannot_resolve_is_said_once_beside_the_state_field(client, council):
    page = page_of(client.get("/register/?country=Korea"), 200)

    assert page.count(refusal_of("Korea")) == 1
    assert error_beside(page, "f-country") == refusal_of("Korea")
    assert 'name="country" value="Korea"' in page


def test_a_claim_without_its_words_is_refused_once_beside_them(client, council):
    page = page_of(client.post("/register/claims/", {"statement": "", "number": "100", "text": [L6]}), 400)

    assert page.count("Write the claim as it was made.") == 1
    assert error_beside(page, "c-statement") == "Write the claim as it was made."
    assert 'name="number" type="text" inputmode="numeric" value="100"' in page


def test_a_claim_whose_number_is_not_a_number_is_refused_once_with_what_was_typed(client, council):
    typed = {"statement": "Nearly 100 countries supported us", "number": "nearly 100", "text": [L6]}
    page = page_of(client.post("/register/claims/", typed), 400)

    assert page.count("The number of States must be a whole number.") == 1
    assert error_beside(page, "c-number") == "The number of States must be a whole number."
    assert ">Nearly 100 countries supported us</textarea>" in page and 'value="nearly 100"' in page
    assert f'value="{L6}" checked' in page


def test_a_claim_on_no_text_is_refused_once_beside_the_texts(client, council):
    page = page_of(client.post("/register/claims/", {"statement": "Nearly 100", "number": "100"}), 400)

    assert page.count("Choose at least one text the claim rests on.") == 1
    assert 'aria-describedby="c-texts-error"' in page
    assert page.index("The texts it rests on") < page.index("Choose at least one text the claim rests on.")


def test_texts_the_register_lacks_are_named_once_and_every_identifier_typed_is_kept(client, council, monkeypatch):
    monkeypatch.setattr(register_claims, "CHECKBOX_LIMIT", 0)  # identifiers typed, one per line
    typed = {"statement": "Nearly 100", "number": "100", "identifiers": f"{L6}\nA/HRC/99/L.1\nA/HRC/99/L.2"}
    page = page_of(client.post("/register/claims/", typed), 400)

    assert page.count("The register has no text A/HRC/99/L.1, A/HRC/99/L.2.") == 1
    assert error_beside(page, "c-identifiers") == "The register has no text A/HRC/99/L.1, A/HRC/99/L.2."
    assert re.search(r'id="c-identifiers"[^>]*>(.*?)</textarea>', page, re.S).group(1).splitlines() == [
        L6,
        "A/HRC/99/L.1",
        "A/HRC/99/L.2",
    ]


def test_a_refusal_is_in_the_readers_language(client, council):
    claim = page_of(client.post("/register/claims/?lang=fr", {"statement": "", "number": "100"}), 400)
    listing = page_of(client.get("/register/?country=Korea&lang=fr"), 200)

    assert error_beside(claim, "c-statement") == "Écrivez l’affirmation telle qu’elle a été faite."
    assert "Korea" in error_beside(listing, "f-country")
    assert "peut désigner plusieurs États" in error_beside(listing, "f-country")
