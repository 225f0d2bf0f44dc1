"""A mission's histories: held, invited, signed, received, for every member whatever their role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import LETTER, sign


def ids(persona, **params):
    response = persona.api.get("/letters", **params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()]


@pytest.fixture
def delivered(circulating, signer, penholder):
    assert sign(signer, circulating).status_code == 201
    response = penholder.api.post(f"/letters/{circulating['id']}/deliver", {"version": 1})
    assert response.status_code == 201
    return {**circulating, "delivery": response.json()}


def test_the_penholder_finds_the_letters_it_holds(circulating, penholder):
    assert ids(penholder, role="held") == [circulating["id"]]
    assert ids(penholder, role="invited") == []


def test_a_viewer_of_an_invited_mission_finds_the_letter(circulating, viewer):
    assert ids(viewer, role="invited") == [circulating["id"]]


def test_an_invitee_does_not_find_a_draft(draft, viewer, signer):
    assert ids(signer, role="invited") == []


def test_the_signer_finds_what_its_mission_signed(circulating, signer, second_signer):
    assert sign(signer, circulating).status_code == 201
    assert ids(signer, role="signed") == [circulating["id"]]
    assert ids(second_signer, role="signed") == []


def test_a_signature_withdrawn_later_is_still_listed_and_says_so(circulating, signer, viewer):
    assert sign(signer, circulating).status_code == 201
    assert signer.api.post(f"/letters/{circulating['id']}/withdraw", {"reason": "Instructions"}).status_code == 201
    [item] = viewer.api.get("/letters", role="signed").json()
    assert item["my_signature"]["organisation"] == "pak"
    assert item["my_signature"]["live"] is False
    assert item["my_signature"]["withdrawn_at"] is not None


def test_the_addressee_keeps_a_delivered_letter_after_acknowledging(delivered, addressee):
    assert ids(addressee, role="received") == [delivered["id"]]
    assert addressee.api.post(f"/deliveries/{delivered['delivery']['id']}/acknowledge").status_code == 201
    [item] = addressee.api.get("/letters", role="received").json()
    assert item["id"] == delivered["id"] and item["acknowledged_at"] is not None


def test_the_addressee_does_not_receive_a_letter_before_delivery(circulating, addressee):
    assert ids(addressee, role="received") == []


def test_the_outsider_finds_nothing_in_any_role(delivered, outsider):
    for role in ("held", "invited", "signed", "received"):
        assert ids(outsider, role=role) == []


def test_a_search_finds_by_title_and_a_status_filters(circulating, draft, penholder, viewer):
    assert ids(viewer, role="invited", q="ASSESSMENT") == [circulating["id"]]
    assert ids(viewer, role="invited", q="unrelated words") == []
    assert ids(viewer, q="China") == [circulating["id"]]
    assert ids(penholder, role="held", status="circulating") == [circulating["id"]]
    assert ids(penholder, role="held", status="published") == []


@pytest.mark.parametrize("params", [{"role": "owner"}, {"status": "sent"}])
def test_an_unknown_role_or_status_is_refused_with_400(penholder, params, db):
    response = penholder.api.get("/letters", **params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_filter"


def test_anonymous_must_sign_in(anonymous):
    assert anonymous.get("/letters", role="held").status_code == 401


def test_the_list_without_a_role_is_every_letter_one_may_open(circulating, viewer, outsider):
    assert ids(viewer) == [circulating["id"]]
    assert ids(outsider) == []


def queries_for(persona, **params):
    with CaptureQueriesContext(connection) as captured:
        assert persona.api.get("/letters", **params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["held", "invited", "signed", "received"])
def test_a_history_costs_the_same_queries_with_one_and_six_letters(role, penholder, signer, addressee, viewer):
    persona = {"held": penholder, "invited": viewer, "signed": viewer, "received": addressee}[role]

    made = []

    def add_delivered_letter():
        made.append(1)
        letter = penholder.api.post("/letters", {**LETTER, "title": f"Letter {len(made)}"}).json()
        assert penholder.api.post(f"/letters/{letter['id']}/circulate", {"invitees": ["pak"]}).status_code == 201
        assert sign(signer, letter).status_code == 201
        assert penholder.api.post(f"/letters/{letter['id']}/deliver", {"version": 1}).status_code == 201

    add_delivered_letter()
    with_one = queries_for(persona, role=role)
    for _ in range(5):
        add_delivered_letter()
    assert len(persona.api.get("/letters", role=role).json()) == 6
    assert queries_for(persona, role=role) == with_one
    assert with_one <= 8


def test_a_year_keeps_the_letters_written_that_year(circulating, viewer):
    year = int(circulating["created_at"][:4])
    assert ids(viewer, role="invited", year=year) == [circulating["id"]]
    assert ids(viewer, role="invited", year=year - 1) == []


def test_an_impossible_year_is_refused_with_400(penholder, db):
    assert penholder.api.get("/letters", year=12).status_code == 400
