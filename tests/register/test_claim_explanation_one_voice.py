"""A saved claim is explained in the same sentences by its page and by the API, in the reader's
language (?lang= first, then Accept-Language), and with the verdict it was saved with."""

import html
import re

import pytest

from core import datafiles
from register.claims import save_claim
from register.importer import import_files
from register.models import Text

RECORD = ["register_texts.csv", "register_participants.csv"]
STATEMENT_HRC50 = "hrc50-2022-06-14-cub"  # read on behalf of 69 States, one of them named


@pytest.fixture
def nearly_100(db):
    """The spokesman's claim of "nearly 100" on the statement read at the 50th session."""
    import_files([datafiles.path(name) for name in RECORD])
    return save_claim("Nearly 100 countries supported China", 100, [STATEMENT_HRC50])[0]


def page_sentences(client, claim, **headers) -> list[str]:
    """The paragraphs between the page's verdict and its table of bounds."""
    page = client.get(f"/register/claims/{claim.id}", **headers).content.decode()
    between = page[page.index('class="verdict') : page.index('<dl class="register-facts">')]
    return [html.unescape(sentence) for sentence in re.findall(r"<p>([^<]*)</p>", between)]


def api_explanation(anonymous, claim, **params) -> str:
    response = anonymous.get(f"/register/claims/{claim.id}", **params)
    assert response.status_code == 200, response.content
    return response.json()["explanation"]


@pytest.mark.parametrize("language", ["en", "fr", "ar", "zh-hans"])
def test_the_api_says_what_the_page_says_in_the_language_asked_with_lang(client, anonymous, nearly_100, language):
    sentences = page_sentences(client, nearly_100, QUERY_STRING=f"lang={language}")

    explanation = api_explanation(anonymous, nearly_100, lang=language)

    assert len(sentences) >= 3 and explanation == " ".join(sentences)


def test_the_api_follows_accept_language_when_no_lang_is_given(anonymous, nearly_100):
    anonymous.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"

    assert api_explanation(anonymous, nearly_100).startswith("Le registre nomme 1 État.")
    assert api_explanation(anonymous, nearly_100, lang="es").startswith("El registro nombra 1 Estado.")


def test_the_explanation_keeps_the_verdict_the_claim_was_saved_with(anonymous, nearly_100):
    assert nearly_100.verdict == "exceeds_record"
    Text.objects.filter(identifier=STATEMENT_HRC50).update(reported_count=120)  # a later correction

    explanation = api_explanation(anonymous, nearly_100)

    assert "lists 1 of the 120 States it counts." in explanation  # the record as it is now
    assert explanation.endswith("A claim of 100 exceeds the record, which allows at most 69 States.")  # as saved
