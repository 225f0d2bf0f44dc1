"""Who may open a letter's page: a letter someone may not see does not exist for them."""

import pytest

from tests.conftest import LETTER

TITLE = LETTER["title"]


def url(letter):
    return f"/letters/{letter['id']}/"


@pytest.mark.parametrize("persona", ["penholder", "penholder_signer", "signer", "second_signer", "viewer"])
def test_the_penholder_and_invitees_read_a_circulating_letter(request, letter, persona):
    response = request.getfixturevalue(persona).web.get(url(letter))
    assert response.status_code == 200
    assert TITLE in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "addressee"])
def test_an_outsider_and_the_addressee_get_404_and_never_the_title_before_delivery(request, letter, persona):
    response = request.getfixturevalue(persona).web.get(url(letter))
    assert response.status_code == 404
    assert TITLE not in response.content.decode()


def test_invitees_do_not_see_a_draft(draft, signer):
    response = signer.web.get(url(draft))
    assert response.status_code == 404
    assert TITLE not in response.content.decode()


def test_the_addressee_reads_the_letter_once_delivered(delivered, addressee):
    assert addressee.web.get(url(delivered)).status_code == 200


def test_anonymous_is_sent_to_sign_in(letter, client):
    response = client.get(url(letter))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_letter_that_does_not_exist_is_404(signer, db):
    assert signer.web.get("/letters/999999/").status_code == 404


@pytest.mark.parametrize("path", ["live", "diff?from=1&to=1"])
def test_the_fragments_are_404_for_an_outsider(letter, outsider, path):
    response = outsider.web.get(f"/letters/{letter['id']}/{path}")
    assert response.status_code == 404
    assert TITLE not in response.content.decode()


def test_an_outsider_posting_a_signature_gets_404_and_nothing_changes(letter, outsider, penholder):
    response = outsider.web.post(f"/letters/{letter['id']}/sign", {"version": 1, "version_hash": "0" * 64})
    assert response.status_code == 404
    assert TITLE not in response.content.decode()
    assert penholder.api.get(f"/letters/{letter['id']}").json()["counts"][0]["count"] == 0
