"""Anyone reading a public page switches language without losing what they chose there: each
language link carries the page's query (a list's filters, the two States compared, the votes
ticked, the texts chosen) with `lang` replaced rather than repeated, and leaves behind what
should not travel in a link (a download, a token, a redirect)."""

import html
import re

import pytest

from register.importer import import_files
from tests.register.conftest import REAL_COUNCIL

L6_VOTE = "A/HRC/51/L.6@2022-10-06"


@pytest.fixture
def council(db):
    import_files(REAL_COUNCIL)


def language_links(client, path: str) -> dict[str, str]:
    """{language code: the link's href, unescaped} of the page's language switcher."""
    response = client.get(path)
    assert response.status_code == 200, path
    switcher = re.search(r'<nav class="language".*?</nav>', response.content.decode(), re.S)
    assert switcher, f"{path} has no language switcher"
    found = re.findall(r'<a href="([^"]*)" lang="([^"]+)"', switcher.group(0))
    return {code: html.unescape(href) for href, code in found}


def test_anyone_comparing_two_states_keeps_them_and_the_votes_in_another_language(client, council):
    links = language_links(client, f"/register/sessions/51?a=CHN&b=IND&vote={L6_VOTE}&lang=en")
    assert links["fr"] == "?a=CHN&b=IND&vote=A%2FHRC%2F51%2FL.6%402022-10-06&lang=fr"
    assert links["ar"] == "?a=CHN&b=IND&vote=A%2FHRC%2F51%2FL.6%402022-10-06&lang=ar"


def test_the_page_in_the_other_language_compares_the_same_states(client, council):
    french = client.get("/register/sessions/51" + language_links(client, "/register/sessions/51?a=CHN&b=IND")["fr"])
    page = html.unescape(french.content.decode())
    assert 'lang="fr"' in page
    assert "Chine" in page and "Inde" in page and 'id="agreement"' in page


def test_a_filtered_list_keeps_its_filters_and_page_in_every_language(client, council):
    links = language_links(client, "/register/?forum=HRC&kind=draft_decision&page=1")
    assert links == {
        code: f"?forum=HRC&kind=draft_decision&page=1&lang={code}" for code in ("en", "ar", "es", "fr", "ru", "zh-hans")
    }


def test_the_texts_chosen_for_a_claim_are_all_kept(client, council):
    links = language_links(client, "/register/claims/?text=A%2FHRC%2F51%2FL.6&text=other&lang=ru")
    assert links["es"] == "?text=A%2FHRC%2F51%2FL.6&text=other&lang=es"


def test_a_language_link_does_not_carry_a_download_a_token_or_a_redirect(client, council):
    links = language_links(
        client, "/register/claims/?text=x&format=csv&token=secret&next=https%3A%2F%2Felsewhere.example%2F&lang=en"
    )
    assert links["fr"] == "?text=x&lang=fr"


def test_a_query_that_tries_to_leave_the_attribute_is_escaped(client, council):
    response = client.get('/register/?topic="><script>alert(1)</script>')
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert language_links(client, '/register/?topic="><b>')["fr"] == "?topic=%22%3E%3Cb%3E&lang=fr"
