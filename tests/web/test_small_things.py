"""The small things a reader notices first: a styled 404 that explains access without saying
whether the letter exists, "New letter" only for those who may write one, a favicon, dates in
the reader's language, the arrow pointing the way the page reads, and the reader's language
carried to the public page."""

import html

from django.utils import timezone, translation

from tests.pages import same_page
from web.templatetags.undersigned import longdate


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_letter_one_may_not_see_and_one_that_does_not_exist_get_the_same_explaining_404(letter, outsider):
    hidden = outsider.web.get(f"/letters/{letter['id']}/")
    missing = outsider.web.get("/letters/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert "There is nothing here for you" in text(hidden)
    assert "does not exist, or it is not open to you" in text(hidden)
    assert same_page(text(hidden), text(missing), f"/letters/{letter['id']}/", "/letters/999999/")


def test_the_404_speaks_the_readers_language(outsider, orgs):
    outsider.web.cookies["django_language"] = "ar"
    page = text(outsider.web.get("/letters/999999/"))
    assert 'dir="rtl"' in page and "There is nothing here for you" not in page


def test_an_anonymous_reader_is_offered_to_sign_in_on_the_404(client, db):
    page = text(client.get("/p/nosuchhandle"))
    assert "There is nothing here for you" in page and "/login/" in page


def test_new_letter_is_offered_only_to_those_who_may_write_one(penholder, signer, viewer):
    assert 'href="/letters/new/"' in text(penholder.web.get("/"))
    assert 'href="/letters/new/"' not in text(signer.web.get("/"))
    assert 'href="/letters/new/"' not in text(viewer.web.get("/"))


def test_every_page_has_a_favicon(client, db):
    page = text(client.get("/login/"))
    assert 'rel="icon" href="/static/web/favicon.svg"' in page


def test_dates_are_written_as_each_language_writes_them(letter, penholder):
    for language in ("fr", "zh-hans", "ar"):
        penholder.web.cookies["django_language"] = language
        with translation.override(language):
            today = longdate(timezone.now())
        assert today in text(penholder.web.get(f"/letters/{letter['id']}/"))


def test_the_arrow_from_penholder_to_addressee_points_the_way_the_page_reads(letter, penholder):
    assert "China → Office" in text(penholder.web.get(f"/letters/{letter['id']}/"))
    penholder.web.cookies["django_language"] = "ar"
    page = text(penholder.web.get(f"/letters/{letter['id']}/"))
    assert "الصين ← " in page and "→" not in page


def test_the_public_page_link_carries_the_readers_language(letter, penholder):
    penholder.web.cookies["django_language"] = "fr"
    assert f"/p/{letter['handle']}?lang=fr" in text(penholder.web.get(f"/letters/{letter['id']}/"))


def test_the_count_of_signatures_has_its_plural_forms(signed, penholder):
    assert "</span> live signature</p>" in text(penholder.web.get(f"/letters/{signed['id']}/"))
    penholder.web.cookies["django_language"] = "ru"
    assert "</span> действующая подпись</p>" in text(penholder.web.get(f"/letters/{signed['id']}/"))


def test_check_a_text_speaks_the_language_the_public_page_passed_on(client, db):
    page = text(client.get("/check?lang=fr"))
    assert "Vérifier un texte" in page
    assert 'action="/check?lang=fr"' in page  # the answer to the form stays in French


def test_the_answer_of_check_a_text_keeps_that_language(client, db):
    answer = client.post("/check?lang=ar", {"text": "words no letter holds"})
    assert answer.status_code == 200
    assert 'lang="ar"' in text(answer) and 'dir="rtl"' in text(answer)


def test_the_public_pages_link_to_check_a_text_carries_their_language(published, client):
    page = text(client.get(f"/p/{published['handle']}?lang=zh-hans"))
    assert '<li><a href="/check?lang=zh-hans">' in page  # the menu's link, as well as the site's name
