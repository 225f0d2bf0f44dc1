"""Every report endpoint × every persona. The Office sees all; the State concerned sees only the
versions shared with it; everyone else finds nothing before publication (404, and not a word of
the report in the answer); the content is public at publication."""

import pytest

from tests.reports.conftest import REPORT, in_days

PERSONAS = ["office", "addressee", "penholder", "penholder_signer", "signer", "viewer", "outsider", "anonymous"]
OFFICE = {"office", "addressee"}  # ohchr's drafter and signer
STATE = {"penholder", "penholder_signer"}  # chn's members
SECRET_V2 = "A paragraph the State has not been shown."

READS = ["/reports/{id}", "/reports/{id}/versions", "/reports/{id}/versions/1", "/reports/{id}/comments"]


def client_of(request, persona):
    value = request.getfixturevalue(persona)
    return value if persona == "anonymous" else value.api


def expected(persona, who_sees):
    if persona == "anonymous":
        return 401
    return 200 if persona in who_sees else 404


@pytest.fixture
def revised_after_sharing(shared, office):
    """Version 1 shared with chn; version 2 written since and not shared."""
    response = office.api.post(
        f"/reports/{shared['id']}/versions", {"body": SECRET_V2, "note": "Not yet shared", "base_version": 1}
    )
    assert response.status_code == 201
    return shared


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_exists_only_for_the_office(request, persona, path, written):
    response = client_of(request, persona).get(path.format(id=written["id"]))

    assert response.status_code == expected(persona, OFFICE)
    if response.status_code != 200:
        assert REPORT["title"].encode() not in response.content


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_shared_report_exists_for_the_office_and_the_state_concerned(request, persona, path, revised_after_sharing):
    response = client_of(request, persona).get(path.format(id=revised_after_sharing["id"]))

    assert response.status_code == expected(persona, OFFICE | STATE)
    if persona not in OFFICE:
        assert SECRET_V2.encode() not in response.content
    if response.status_code != 200:
        assert REPORT["title"].encode() not in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_state_sees_only_the_versions_shared_with_it(request, persona, revised_after_sharing):
    client = client_of(request, persona)
    response = client.get(f"/reports/{revised_after_sharing['id']}/versions/2")

    assert response.status_code == expected(persona, OFFICE)
    if persona in STATE:
        listed = client.get(f"/reports/{revised_after_sharing['id']}/versions").json()
        assert [v["number"] for v in listed] == [1]
        assert client.get(f"/reports/{revised_after_sharing['id']}").json()["current_version"] == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_bundle_follows_the_same_rule(request, persona, revised_after_sharing):
    response = client_of(request, persona).get(f"/reports/{revised_after_sharing['id']}/bundle")

    assert response.status_code == expected(persona, OFFICE | STATE)
    if response.status_code == 200:
        opened = [opening["fields"] for opening in response.json()["openings"]]
        if persona in OFFICE:
            assert any(fields.get("body") == SECRET_V2 for fields in opened)
        else:
            assert not any("body" in fields for fields in opened)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_offices_drafter_may_share_revise_and_publish(request, persona, written):
    client = client_of(request, persona)
    share = client.post(
        f"/reports/{written['id']}/share",
        {"version": 1, "version_hash": written["current_hash"], "deadline": in_days(9)},
    )
    expected_status = {"office": 201, "addressee": 403, "anonymous": 401}.get(persona, 404)
    assert share.status_code == expected_status


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_states_signer_may_acknowledge_and_comment(request, persona, shared):
    client = client_of(request, persona)
    response = client.post(
        f"/reports/{shared['id']}/comments",
        {"body": "Comments.", "version_hash": shared["current_hash"], "annex": True},
    )
    expected_status = {
        "penholder_signer": 201,
        "penholder": 403,  # chn's drafter: not its signer
        "office": 403,
        "addressee": 403,
        "anonymous": 401,
    }.get(persona, 404)
    assert response.status_code == expected_status


def test_the_public_timeline_shows_no_content_before_publication(revised_after_sharing, anonymous):
    response = anonymous.get(f"/public/reports/{revised_after_sharing['handle']}")

    assert response.status_code == 200
    assert REPORT["title"].encode() not in response.content and SECRET_V2.encode() not in response.content
    assert response.json()["hashes"]["shared"] == [revised_after_sharing["current_hash"]]


@pytest.mark.parametrize("persona", PERSONAS)
def test_at_publication_the_content_is_public(request, persona, shared, office):
    office.api.post(f"/reports/{shared['id']}/publish", {"version": 1, "version_hash": shared["current_hash"]})

    response = client_of(request, persona).get(f"/reports/{shared['id']}/versions/1")

    assert response.status_code == (401 if persona == "anonymous" else 200)
