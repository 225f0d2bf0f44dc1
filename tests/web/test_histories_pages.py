"""The histories pages: every persona finds its mission's letters, with search and a status filter."""

from tests.conftest import LETTER, sign


def test_the_inbox_links_every_member_to_its_missions_letters(letter, viewer):
    page = viewer.web.get("/").content.decode()
    assert 'href="/letters/?role=invited"' in page


def test_a_viewer_of_an_invited_mission_finds_the_letter_among_the_invited(letter, viewer):
    page = viewer.web.get("/letters/", {"role": "invited"}).content.decode()
    assert LETTER["title"] in page


def test_the_signer_finds_a_withdrawn_signature_said_as_such(letter, signer):
    assert sign(signer, letter).status_code == 201
    assert signer.api.post(f"/letters/{letter['id']}/withdraw", {"reason": "Capital"}).status_code == 201
    page = signer.web.get("/letters/", {"role": "signed"}).content.decode()
    assert LETTER["title"] in page
    assert "Signed version 1, then withdrew" in page


def test_the_addressee_keeps_an_acknowledged_letter_in_its_received_list(delivered, addressee):
    assert addressee.api.post(f"/deliveries/{delivered['delivery']['id']}/acknowledge").status_code == 201
    page = addressee.web.get("/letters/", {"role": "received"}).content.decode()
    assert LETTER["title"] in page
    assert "Receipt acknowledged" in page


def test_the_penholder_searches_and_filters_what_it_holds(letter, penholder):
    assert LETTER["title"] in penholder.web.get("/letters/", {"role": "held", "q": "assessment"}).content.decode()
    assert (
        "No letter in this list." in penholder.web.get("/letters/", {"role": "held", "q": "nothing"}).content.decode()
    )
    filtered = penholder.web.get("/letters/", {"role": "held", "status": "published"}).content.decode()
    assert "No letter in this list." in filtered


def test_the_outsider_finds_nothing(letter, outsider):
    for role in ("held", "invited", "signed", "received"):
        assert LETTER["title"] not in outsider.web.get("/letters/", {"role": role}).content.decode()


def test_an_unknown_status_is_refused_with_400(letter, penholder):
    assert penholder.web.get("/letters/", {"role": "held", "status": "sent"}).status_code == 400


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get("/letters/", {"role": "held"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_lists_speak_the_readers_language(letter, viewer):
    page = viewer.web.get("/letters/", {"role": "invited"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Signées par ma mission" in page and "Lettres de ma mission" in page


def test_the_check_page_refuses_in_arabic(client, db):
    page = client.post("/check", {"text": " "}, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "الصق نصًا أو تجزئة نسخة للتحقق منها." in page


def test_a_year_filters_the_list(letter, viewer):
    page = viewer.web.get("/letters/", {"role": "invited", "year": "1999"}).content.decode()
    assert "No letter in this list." in page


def test_the_list_costs_the_same_queries_with_one_and_five_letters(penholder, viewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_letter(n):
        made = penholder.api.post("/letters", {**LETTER, "title": f"Letter {n}"}).json()
        assert penholder.api.post(f"/letters/{made['id']}/circulate", {"invitees": ["pak"]}).status_code == 201

    def cost():
        with CaptureQueriesContext(connection) as captured:
            assert viewer.web.get("/letters/", {"role": "invited"}).status_code == 200
        return len(captured)

    add_letter(0)
    one = cost()
    for n in range(1, 5):
        add_letter(n)
    assert cost() == one
