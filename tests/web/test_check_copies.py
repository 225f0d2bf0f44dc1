"""Check a text with the copies people really hold: the rendered page, the PDF, Word, e-mail.

The API (POST /api/v1/public/check) and the page (/check) answer from the same function."""

import html
import re
import shutil
import subprocess
import textwrap

import pytest

from letters import check
from letters.models import Letter, Version
from tests.conftest import LETTER, sign

MARKDOWN = (
    "# On the assessment\n\n"
    'We, the undersigned, urge the High Commissioner **not** to publish the "assessment" - '
    "it would *intensify* the politicization of human rights, as the [Council](https://example.org/hrc) "
    "has noted.\n\n"
    "- It was prepared without the consent of the State concerned;\n"
    "- It relies on sources that the State concerned could not answer.\n\n"
    "We ask that the Office's work remain impartial, objective and non-selective."
)


def publish_letter(penholder, signer, body=MARKDOWN, title="Joint letter on the assessment"):
    letter = penholder.api.post("/letters", {**LETTER, "title": title, "body": body}).json()
    assert penholder.api.post(f"/letters/{letter['id']}/circulate", {"invitees": ["pak"]}).status_code == 201
    assert sign(signer, letter).status_code == 201
    assert penholder.api.post(f"/letters/{letter['id']}/deliver", {"version": 1}).status_code == 201
    assert penholder.api.post(f"/letters/{letter['id']}/publish").status_code == 201
    return penholder.api.get(f"/letters/{letter['id']}").json()


@pytest.fixture
def markdown_letter(penholder, signer):
    return publish_letter(penholder, signer)


def checked(anonymous, text):
    response = anonymous.post("/public/check", {"text": text})
    assert response.status_code == 200, response.content
    return response.json()


def copied_from_the_page(markdown: str) -> str:
    """What a browser's copy of the rendered text gives: the words, no markup, no link targets."""
    from web.text import render_markdown

    rendered = re.sub(r"</(p|h1|li)>", "\n", str(render_markdown(markdown)))
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def as_word_writes_it(text: str) -> str:
    text = re.sub(r'"(\w)', "\u201c\\1", text).replace('"', "\u201d").replace("'", "\u2019")
    return text.replace(" - ", " \u2013 ")


def test_the_markdown_source_matches_exactly(markdown_letter, anonymous):
    answer = checked(anonymous, MARKDOWN)
    assert answer["matches"] == [
        {"handle": markdown_letter["handle"], "version": 1, "hash": markdown_letter["current_hash"], "exact": True}
    ]
    assert answer["nearest"] is None


def test_a_copy_of_the_rendered_page_matches_but_not_exactly(markdown_letter, anonymous):
    answer = checked(anonymous, copied_from_the_page(MARKDOWN))
    assert [(m["handle"], m["version"], m["exact"]) for m in answer["matches"]] == [
        (markdown_letter["handle"], 1, False)
    ]


def test_words_curly_quotes_and_dashes_match(markdown_letter, anonymous):
    answer = checked(anonymous, as_word_writes_it(copied_from_the_page(MARKDOWN)))
    assert [m["handle"] for m in answer["matches"]] == [markdown_letter["handle"]]


def test_crlf_and_rewrapped_lines_match(markdown_letter, anonymous):
    rewrapped = "\r\n".join(textwrap.fill(p, 38) for p in copied_from_the_page(MARKDOWN).split("\n"))
    answer = checked(anonymous, rewrapped)
    assert [m["handle"] for m in answer["matches"]] == [markdown_letter["handle"]]
    assert answer["matches"][0]["exact"] is False


def test_the_source_with_crlf_line_ends_is_still_exact(markdown_letter, anonymous):
    answer = checked(anonymous, MARKDOWN.replace("\n", "\r\n") + "\r\n")
    assert answer["matches"][0]["exact"] is True


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler) is not installed")
def test_text_copied_from_the_pdf_matches(markdown_letter, anonymous, tmp_path):
    from letters.public import public_letter
    from web.pdf import letter_pdf

    letter = Letter.objects.get(pk=markdown_letter["id"])
    (tmp_path / "letter.pdf").write_bytes(letter_pdf(letter, public_letter(letter.handle)))
    subprocess.run(["pdftotext", str(tmp_path / "letter.pdf"), str(tmp_path / "letter.txt")], check=True)
    answer = checked(anonymous, (tmp_path / "letter.txt").read_text())
    assert [(m["handle"], m["exact"]) for m in answer["matches"]] == [(markdown_letter["handle"], False)]


def test_the_short_hash_of_the_public_page_is_recognised(markdown_letter, anonymous):
    answer = checked(anonymous, markdown_letter["current_hash"][:16] + "…")
    assert [(m["handle"], m["hash"]) for m in answer["matches"]] == [
        (markdown_letter["handle"], markdown_letter["current_hash"])
    ]


def test_the_hash_of_a_circulating_letter_is_recognised_without_its_text(circulating, anonymous):
    response = anonymous.post("/public/check", {"text": circulating["current_hash"].upper()})
    assert response.json()["matches"] == [
        {"handle": circulating["handle"], "version": 1, "hash": circulating["current_hash"], "exact": True}
    ]
    assert LETTER["title"] not in response.content.decode()


def test_the_hash_of_a_draft_is_not_recognised(draft, anonymous):
    assert checked(anonymous, draft["current_hash"])["matches"] == []


def test_the_text_of_an_unpublished_letter_is_neither_matched_nor_nearest(circulating, anonymous):
    assert checked(anonymous, LETTER["body"]) == {"matches": [], "nearest": None}


def test_an_edited_copy_names_the_nearest_published_version(markdown_letter, anonymous):
    edited = MARKDOWN.replace("impartial, objective and non-selective", "impartial and balanced")
    answer = checked(anonymous, edited)
    assert answer["matches"] == []
    assert answer["nearest"]["handle"] == markdown_letter["handle"]
    assert answer["nearest"]["version"] == 1
    assert 0.8 < answer["nearest"]["similarity"] < 1


def test_the_page_shows_the_differences_from_the_nearest_version(markdown_letter, client):
    edited = MARKDOWN.replace("impartial, objective and non-selective", "impartial and balanced")
    page = client.post("/check", {"text": edited}).content.decode()
    assert "The nearest is version 1 of" in page
    assert "<ins>balanced</ins>" in page or "balanced</ins>" in page
    assert "<del>" in page


def test_the_page_names_a_copy_and_its_count(markdown_letter, client):
    page = client.post("/check", {"text": as_word_writes_it(copied_from_the_page(MARKDOWN))}).content.decode()
    assert "This is version 1 of 1" in page
    assert "1 organisation signed this version." in page
    assert "is a copy" in page


def test_the_page_recognises_an_unpublished_hash_without_its_title(circulating, client):
    page = client.post("/check", {"text": circulating["current_hash"]}).content.decode()
    assert "a letter not yet published" in page
    assert LETTER["title"] not in page


def test_a_text_too_long_is_refused_with_413(anonymous, db):
    response = anonymous.post("/public/check", {"text": "word " * 20_001})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_an_empty_text_is_refused_with_400(anonymous, db):
    response = anonymous.post("/public/check", {"text": "   "})
    assert response.status_code == 400


def test_the_page_refuses_a_text_too_long_in_words(client, db):
    response = client.post("/check", {"text": "word " * 20_001})
    assert response.status_code == 413
    assert "at most 100,000 characters" in response.content.decode()


def test_a_published_version_is_indexed_once_not_on_every_check(markdown_letter, anonymous):
    checked(anonymous, "anything at all")
    assert check.index_published_versions() == 0
    assert Version.objects.get(letter_id=markdown_letter["id"]).checked_text.fingerprints.exists()


def test_publishing_indexes_the_text_before_anyone_checks_it(penholder, signer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = publish_letter(penholder, signer)
    assert Version.objects.get(letter_id=letter["id"]).checked_text.fingerprints.exists()
    assert check.index_published_versions() == 0


def test_a_check_costs_the_same_queries_with_one_or_many_published_letters(penholder, signer, anonymous):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish_letter(penholder, signer)
    edited = MARKDOWN.replace("impartial", "fair")

    def cost():
        checked(anonymous, edited)  # indexes what is new
        with CaptureQueriesContext(connection) as captured:
            checked(anonymous, edited)
        return len(captured)

    one = cost()
    for n in range(4):
        publish_letter(penholder, signer, body=MARKDOWN + f"\n\nAnnex {n}.", title=f"Letter {n}")
    assert cost() == one


def test_a_long_text_names_its_nearest_version_without_a_word_by_word_diff(penholder, signer, client):
    paragraphs = [
        f"Paragraph {n}: the Council recalls its resolution {n} and its work on item {n}." for n in range(300)
    ]
    long_body = "\n\n".join(paragraphs)
    publish_letter(penholder, signer, body=long_body, title="A long letter")
    page = client.post("/check", {"text": long_body.replace("recalls", "notes", 40)}).content.decode()
    assert "The nearest is version 1 of" in page
    assert "too long to show their differences" in page


def test_a_quoted_passage_is_said_to_be_one(markdown_letter, client):
    passage = "it would intensify the politicization of human rights, as the Council has noted."
    page = client.post("/check", {"text": passage}).content.decode()
    assert "The nearest is version 1 of" in page
    assert "is a passage of that version, word for word" in page


def test_a_text_holding_a_very_short_published_version_is_not_a_match(penholder, signer, anonymous):
    publish_letter(penholder, signer, body="We agree with the High Commissioner fully.", title="A short letter")
    answer = checked(anonymous, "We agree with the High Commissioner fully. We also ask the Council to reconsider.")
    assert answer["matches"] == []
