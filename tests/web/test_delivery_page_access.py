"""The delivery page is the addressee's (and the penholder's); for everyone else it does not exist."""

import pytest

from tests.conftest import LETTER


@pytest.mark.parametrize(
    "persona,status",
    [
        ("penholder", 200),
        ("addressee", 200),
        ("signer", 404),
        ("viewer", 404),
        ("outsider", 404),
    ],
)
def test_the_delivery_page_for_each_persona(request, delivered, persona, status):
    response = request.getfixturevalue(persona).web.get(f"/deliveries/{delivered['delivery']['id']}/")

    assert response.status_code == status
    if status == 404:
        assert LETTER["title"].encode() not in response.content


def test_anonymous_is_sent_to_sign_in(client, delivered):
    response = client.get(f"/deliveries/{delivered['delivery']['id']}/")

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_only_the_addressee_acknowledges_through_the_page(delivered, outsider, addressee):
    url = f"/deliveries/{delivered['delivery']['id']}/acknowledge"

    assert outsider.web.post(url).status_code == 404
    assert addressee.api.get(f"/letters/{delivered['id']}").json()["deliveries"][0]["acknowledged_at"] is None
    assert addressee.web.post(url).status_code == 302
    assert addressee.api.get(f"/letters/{delivered['id']}").json()["deliveries"][0]["acknowledged_at"]
