"""Every endpoint × every persona. A letter a persona may not see does not exist for it: 404, and
its title appears nowhere in the answer."""

import pytest

from tests.conftest import LETTER, sign

PERSONAS = ["penholder", "penholder_signer", "signer", "viewer", "outsider", "addressee", "anonymous"]


def client_of(request, persona):
    value = request.getfixturevalue(persona)
    return value if persona == "anonymous" else value.api


@pytest.fixture
def delivered(penholder, signer, circulating):
    sign(signer, circulating)
    delivery = penholder.api.post(f"/letters/{circulating['id']}/deliver", {"version": 1}).json()
    return {**circulating, "delivery": delivery["id"]}


READS = [
    "/letters/{id}",
    "/letters/{id}/versions",
    "/letters/{id}/versions/1",
    "/letters/{id}/diff?from=1&to=1",
    "/letters/{id}/bundle",
]

# Who may read a circulating letter (before delivery the addressee may not).
READ_CIRCULATING = {
    "penholder": 200,
    "penholder_signer": 200,
    "signer": 200,
    "viewer": 200,
    "outsider": 404,
    "addressee": 404,
    "anonymous": 401,
}
READ_DELIVERED = {**READ_CIRCULATING, "addressee": 200}


def get(client, path):
    base, _, query = path.partition("?")
    params = dict(part.split("=") for part in query.split("&")) if query else {}
    return client.get(base, **params)


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_a_circulating_letter(request, persona, path, circulating):
    response = get(client_of(request, persona), path.format(id=circulating["id"]))

    assert response.status_code == READ_CIRCULATING[persona]
    if response.status_code != 200:
        assert LETTER["title"].encode() not in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_a_delivered_letter(request, persona, delivered):
    response = client_of(request, persona).get(f"/letters/{delivered['id']}")

    assert response.status_code == READ_DELIVERED[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_exists_only_for_the_penholders_members(request, persona, draft):
    expected = {"penholder": 200, "penholder_signer": 200, "anonymous": 401}.get(persona, 404)

    response = client_of(request, persona).get(f"/letters/{draft['id']}")

    assert response.status_code == expected
    if expected != 200:
        assert LETTER["title"].encode() not in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_letter_list_shows_only_what_each_persona_may_see(request, persona, circulating):
    response = client_of(request, persona).get("/letters")

    if persona == "anonymous":
        assert response.status_code == 401
    else:
        ids = [letter["id"] for letter in response.json()]
        assert ids == ([circulating["id"]] if READ_CIRCULATING[persona] == 200 else [])


PENHOLDER_ONLY = {
    "penholder": "ok",
    "penholder_signer": 403,
    "signer": 403,
    "viewer": 403,
    "outsider": 404,
    "addressee": 404,
    "anonymous": 401,
}
SIGNERS = {
    "penholder": 403,
    "penholder_signer": "ok",
    "signer": "ok",
    "viewer": 403,
    "outsider": 404,
    "addressee": 404,
    "anonymous": 401,
}

WRITES = [
    ("/letters/{id}/versions", {"body": "Edited.", "note": "why", "base_version": 1}, PENHOLDER_ONLY),
    ("/letters/{id}/circulate", {"invitees": ["usa"]}, PENHOLDER_ONLY),
    ("/letters/{id}/visibility", {"names_visible_to": "invitees"}, PENHOLDER_ONLY),
    ("/letters/{id}/close", {}, PENHOLDER_ONLY),
    ("/letters/{id}/abandon", {}, PENHOLDER_ONLY),
    ("/letters/{id}/signatures", "current", SIGNERS),
]


@pytest.mark.parametrize("path,body,expected", WRITES, ids=[w[0].rsplit("/", 1)[1] for w in WRITES])
@pytest.mark.parametrize("persona", PERSONAS)
def test_changing_a_circulating_letter(request, persona, path, body, expected, circulating):
    if body == "current":
        body = {"version": 1, "version_hash": circulating["current_hash"]}

    response = client_of(request, persona).post(path.format(id=circulating["id"]), body)

    wanted = expected[persona]
    assert response.status_code == (201 if wanted == "ok" else wanted), response.content
    if wanted != "ok":
        assert LETTER["title"].encode() not in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_delivering_and_publishing_are_the_penholders(request, persona, penholder, signer, circulating):
    sign(signer, circulating)
    client = client_of(request, persona)

    delivered = client.post(f"/letters/{circulating['id']}/deliver", {"version": 1})
    expected = PENHOLDER_ONLY[persona]
    assert delivered.status_code == (201 if expected == "ok" else expected)

    if expected != "ok":
        penholder.api.post(f"/letters/{circulating['id']}/deliver", {"version": 1})
        # Once delivered, the addressee sees the letter but may still not publish it.
        expected = 403 if persona == "addressee" else expected
    published = client.post(f"/letters/{circulating['id']}/publish")
    assert published.status_code == (201 if expected == "ok" else expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_acknowledging_is_the_addressees(request, persona, delivered):
    expected = {"addressee": 201, "anonymous": 401}.get(persona, 404)

    response = client_of(request, persona).post(f"/deliveries/{delivered['delivery']}/acknowledge")

    assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_public_record_is_the_same_for_everyone(request, persona, circulating):
    response = client_of(request, persona).get(f"/public/letters/{circulating['handle']}")

    assert response.status_code == 200
    assert LETTER["title"].encode() not in response.content
