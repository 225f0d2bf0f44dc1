"""The inbox: what waits for me, by persona; anonymous visitors get an explanation."""

from tests.conftest import LETTER, sign
from tests.web.conftest import new_version


def test_anonymous_sees_an_explanation_and_the_check_link(client, db):
    page = client.get("/").content.decode()
    assert 'href="/check"' in page and 'href="/login/"' in page


def test_the_signer_sees_the_letter_to_sign(letter, signer):
    page = signer.web.get("/").content.decode()
    assert LETTER["title"] in page


def test_the_signer_is_asked_to_reconfirm_after_a_new_version(letter, signer, penholder):
    assert sign(signer, letter).status_code == 201
    assert LETTER["title"] not in signer.web.get("/").content.decode()
    new_version(penholder, letter, "A softer text.")
    assert "re-confirm" in signer.web.get("/").content.decode()


def test_the_outsider_sees_nothing_of_the_letter(letter, outsider):
    assert LETTER["title"] not in outsider.web.get("/").content.decode()


def test_the_penholder_sees_the_letters_it_holds(letter, penholder):
    assert LETTER["title"] in penholder.web.get("/").content.decode()


def test_the_addressee_sees_a_delivery_to_acknowledge(delivered, addressee):
    page = addressee.web.get("/").content.decode()
    assert f"/deliveries/{delivered['delivery']['id']}/" in page


def test_the_login_page_signs_a_person_in(penholder, client):
    assert client.get("/login/").status_code == 200
    response = client.post("/login/", {"username": "penny", "password": "correct horse 42"})
    assert response.status_code == 302
    assert "Letters you hold the pen on" in client.get("/").content.decode()
