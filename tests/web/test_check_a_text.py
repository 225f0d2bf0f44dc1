"""Check a text: published versions are found by text or hash; unpublished text never is."""

from letters.models import Version
from tests.conftest import LETTER


def test_a_published_text_is_found_with_its_version_and_count(published, client):
    pasted = LETTER["body"].replace("\n", "\r\n") + "\n"
    page = client.post("/check", {"text": pasted}).content.decode()
    assert "This is version 1 of 1" in page
    assert "1 organisation signed this version." in page
    assert LETTER["title"] in page


def test_a_published_version_is_found_by_its_hash(published, client):
    version = Version.objects.get(letter_id=published["id"])
    page = client.post("/check", {"text": version.hash.upper()}).content.decode()
    assert "This is version 1 of 1" in page


def test_the_text_of_an_unpublished_letter_is_never_confirmed(delivered, client):
    page = client.post("/check", {"text": LETTER["body"]}).content.decode()
    assert "matches no version" in page
    assert LETTER["title"] not in page


def test_an_unknown_text_matches_nothing(published, client):
    assert "matches no version" in client.post("/check", {"text": "Something else"}).content.decode()


def test_the_check_page_opens_for_anyone(client, db):
    assert client.get("/check").status_code == 200
