"""Forms with bad input show the action's reason, answer with its status and change nothing."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client

from letters.models import Letter, Signature, Version
from tests.conftest import LETTER
from tests.web.conftest import new_version

FORM = "application/x-www-form-urlencoded"


def test_the_penholder_cannot_save_a_version_without_a_note(letter, penholder):
    response = penholder.web.post(
        f"/letters/{letter['id']}/revise/",
        {"title": LETTER["title"], "body": "A new text.", "note": " ", "base_version": 1},
    )
    assert response.status_code == 422
    assert "A short note saying why is required." in response.content.decode()
    assert Version.objects.filter(letter_id=letter["id"]).count() == 1


def test_a_revision_from_a_stale_version_is_refused_with_a_link_to_the_changes(letter, penholder):
    new_version(penholder, letter, "Version two.")
    response = penholder.web.post(
        f"/letters/{letter['id']}/revise/",
        {"title": LETTER["title"], "body": "Edited from one.", "note": "Mine", "base_version": 1},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "not the current version" in page
    assert f"/letters/{letter['id']}/?from=1&amp;to=2" in page
    assert Version.objects.filter(letter_id=letter["id"]).count() == 2


def test_the_signer_signing_a_stale_version_is_told_to_read_the_changes(letter, penholder, signer):
    shown = Version.objects.get(letter_id=letter["id"], number=1)
    new_version(penholder, letter, "Version two.")
    response = signer.web.post(
        f"/letters/{letter['id']}/sign", {"version": 1, "version_hash": shown.hash, "organisation": "pak"}
    )
    assert response.status_code == 409
    assert "Read the changes" in response.content.decode()
    assert not Signature.objects.filter(letter_id=letter["id"]).exists()


def test_the_signer_posting_a_version_that_is_not_a_number_is_refused(letter, signer):
    response = signer.web.post(f"/letters/{letter['id']}/sign", {"version": "two", "version_hash": "x"})
    assert response.status_code == 422
    assert not Signature.objects.exists()


def test_compose_without_a_note_keeps_what_was_typed(penholder):
    response = penholder.web.post(
        "/letters/new/", {"title": "A title", "addressee": "ohchr", "body": "Kept text", "note": ""}
    )
    assert response.status_code == 422
    assert "Kept text" in response.content.decode()
    assert not Letter.objects.exists()


def test_circulating_to_an_unknown_organisation_changes_nothing(draft, penholder):
    response = penholder.web.post(f"/letters/{draft['id']}/circulate", {"invitees": "pak, atlantis"})
    assert response.status_code == 422
    assert "atlantis" in response.content.decode()
    assert Letter.objects.get(pk=draft["id"]).status == "draft"


def test_the_viewer_cannot_sign(letter, viewer):
    response = viewer.web.post(f"/letters/{letter['id']}/sign", {"version": 1, "version_hash": "0" * 64})
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_publishing_before_delivery_is_an_illegal_transition(letter, penholder):
    response = penholder.web.post(f"/letters/{letter['id']}/publish")
    assert response.status_code == 409
    assert Letter.objects.get(pk=letter["id"]).status == "circulating"


def test_a_signer_cannot_revise_a_letter(letter, signer):
    assert signer.web.get(f"/letters/{letter['id']}/revise/").status_code == 404


def test_compose_refuses_a_title_with_a_right_to_left_override(penholder):
    response = penholder.web.post("/letters/new/", {**LETTER, "title": "Joint letter \u202elive"})

    assert response.status_code == 422
    assert "title contains U+202E RIGHT-TO-LEFT OVERRIDE" in response.content.decode()
    assert not Letter.objects.exists()


def test_compose_refuses_a_letter_to_the_penholders_own_organisation(penholder):
    response = penholder.web.post("/letters/new/", {**LETTER, "addressee": "chn"})

    assert response.status_code == 422
    assert not Letter.objects.exists()


def form_bytes(**fields) -> bytes:
    return urlencode(fields).encode()


@pytest.mark.parametrize(
    "title",
    [b"Joint%20letter%20%FF%FE", b"Joint letter \xff\xfe", b"%C3%28", b"%ED%A0%80"],
    ids=["percent-encoded", "raw bytes", "truncated sequence", "encoded surrogate"],
)
def test_compose_refuses_a_form_that_is_not_utf8_instead_of_storing_replacement_characters(penholder, title):
    body = form_bytes(addressee="ohchr", body="Text", note="Why") + b"&title=" + title

    response = penholder.web.post("/letters/new/", body, content_type=FORM)

    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert not Letter.objects.exists()


def test_a_replacement_character_typed_on_purpose_is_kept(penholder):
    title = "Joint letter \ufffd"
    response = penholder.web.post("/letters/new/", form_bytes(**{**LETTER, "title": title}), content_type=FORM)

    assert response.status_code == 302
    assert Version.objects.get().title == title


def test_a_sign_in_form_that_is_not_utf8_is_refused_before_any_check(db):
    response = Client().post("/login/", b"username=%FF&password=x", content_type=FORM)

    assert response.status_code == 400


@pytest.mark.parametrize("encoding", ["url-encoded, as browsers send the site's forms", "multipart"])
def test_an_oversized_form_gets_413_with_a_page_that_says_so(penholder, encoding):
    fields = {**LETTER, "body": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}

    if encoding == "multipart":
        response = penholder.web.post("/letters/new/", fields)
    else:
        response = penholder.web.post("/letters/new/", form_bytes(**fields), content_type=FORM)

    assert response.status_code == 413
    page = response.content.decode()
    assert "too large" in page and f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KiB" in page
    assert response["Content-Type"].startswith("text/html")
    assert not Letter.objects.exists()


def test_the_oversized_form_page_speaks_the_readers_language(penholder):
    penholder.web.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    response = penholder.web.post("/letters/new/", {**LETTER, "body": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    assert response.status_code == 413
    page = response.content.decode()
    assert 'lang="fr"' in page and "Le formulaire est trop volumineux" in page


def test_the_api_keeps_its_own_answer_to_an_oversized_form(penholder):
    body = form_bytes(title="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))

    response = penholder.api.client.post("/api/v1/letters", body, content_type=FORM, **penholder.api.headers)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_the_refusal_of_an_override_speaks_the_readers_language(penholder):
    penholder.web.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    response = penholder.web.post("/letters/new/", {**LETTER, "title": "Joint letter \u202elive"})

    assert response.status_code == 422
    assert (
        "title contient U+202E RIGHT-TO-LEFT OVERRIDE, un caractère de contrôle invisible" in response.content.decode()
    )
