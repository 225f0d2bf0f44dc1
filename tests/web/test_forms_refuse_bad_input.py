"""Forms with bad input show the action's reason, answer with its status and change nothing."""

from letters.models import Letter, Signature, Version
from tests.conftest import LETTER
from tests.web.conftest import new_version


def test_the_penholder_cannot_save_a_version_without_a_note(letter, penholder):
    response = penholder.web.post(f"/letters/{letter['id']}/revise/",
                                  {"title": LETTER["title"], "body": "A new text.", "note": " ", "base_version": 1})
    assert response.status_code == 422
    assert "A short note saying why is required." in response.content.decode()
    assert Version.objects.filter(letter_id=letter["id"]).count() == 1


def test_a_revision_from_a_stale_version_is_refused_with_a_link_to_the_changes(letter, penholder):
    new_version(penholder, letter, "Version two.")
    response = penholder.web.post(f"/letters/{letter['id']}/revise/",
                                  {"title": LETTER["title"], "body": "Edited from one.", "note": "Mine", "base_version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert "not the current version" in page
    assert f"/letters/{letter['id']}/?from=1&amp;to=2" in page
    assert Version.objects.filter(letter_id=letter["id"]).count() == 2


def test_the_signer_signing_a_stale_version_is_told_to_read_the_changes(letter, penholder, signer):
    shown = Version.objects.get(letter_id=letter["id"], number=1)
    new_version(penholder, letter, "Version two.")
    response = signer.web.post(f"/letters/{letter['id']}/sign",
                               {"version": 1, "version_hash": shown.hash, "organisation": "pak"})
    assert response.status_code == 409
    assert "Read the changes" in response.content.decode()
    assert not Signature.objects.filter(letter_id=letter["id"]).exists()


def test_the_signer_posting_a_version_that_is_not_a_number_is_refused(letter, signer):
    response = signer.web.post(f"/letters/{letter['id']}/sign", {"version": "two", "version_hash": "x"})
    assert response.status_code == 422
    assert not Signature.objects.exists()


def test_compose_without_a_note_keeps_what_was_typed(penholder):
    response = penholder.web.post("/letters/new/", {"title": "A title", "addressee": "ohchr", "body": "Kept text",
                                                    "note": ""})
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
