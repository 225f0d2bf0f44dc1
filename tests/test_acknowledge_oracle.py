"""Acknowledging a delivery one may not see answers exactly as acknowledging one that does not
exist, so delivery ids cannot be probed to learn which letters exist."""

import pytest

from core.errors import NotFound
from letters import actions
from letters.models import Delivery
from tests.conftest import sign
from tests.pages import same_page

MISSING = 999_999


@pytest.fixture
def delivery(penholder, signer, circulating):
    sign(signer, circulating)
    response = penholder.api.post(f"/letters/{circulating['id']}/deliver", {"version": 1})
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.parametrize("persona", ["outsider", "signer", "viewer", "penholder"])
def test_the_api_answers_a_hidden_delivery_as_a_missing_one(request, delivery, persona):
    client = request.getfixturevalue(persona).api

    hidden = client.post(f"/deliveries/{delivery['id']}/acknowledge")
    missing = client.post(f"/deliveries/{MISSING}/acknowledge")

    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())
    assert hidden.json() == {"error": {"code": "not_found", "message": "No such delivery."}}
    assert Delivery.objects.get(pk=delivery["id"]).acknowledged_at is None


@pytest.mark.parametrize("persona", ["outsider", "signer", "viewer", "penholder"])
def test_the_delivery_page_answers_a_hidden_delivery_as_a_missing_one(request, delivery, persona):
    browser = request.getfixturevalue(persona).web

    hidden_path, missing_path = f"/deliveries/{delivery['id']}/acknowledge", f"/deliveries/{MISSING}/acknowledge"
    hidden, missing = browser.post(hidden_path), browser.post(missing_path)

    assert hidden.status_code == missing.status_code == 404
    assert same_page(hidden.content.decode(), missing.content.decode(), hidden_path, missing_path)
    assert Delivery.objects.get(pk=delivery["id"]).acknowledged_at is None


@pytest.mark.parametrize("delivery_id", ["x1", True, 1.0, None, 2**64, -1])
def test_an_id_that_is_not_a_row_id_is_no_such_delivery(delivery, addressee, delivery_id):
    # True and 1.0 compare equal to 1, the id of the delivery the addressee may acknowledge
    # when the test database numbers rows from 1.
    with pytest.raises(NotFound, match=r"No such delivery\."):
        actions.acknowledge(addressee.user, delivery_id)
    assert Delivery.objects.get(pk=delivery["id"]).acknowledged_at is None


def test_the_outsider_is_told_no_such_delivery_not_no_such_letter(delivery, outsider):
    with pytest.raises(NotFound) as refusal:
        actions.acknowledge(outsider.user, delivery["id"])
    assert refusal.value.message == "No such delivery."


def test_the_addressee_still_acknowledges_by_id(delivery, addressee):
    assert actions.acknowledge(addressee.user, delivery["id"]).created
