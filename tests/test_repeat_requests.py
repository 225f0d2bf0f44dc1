"""A new version sent twice (a double click, a retry after a lost answer) answers with the
version the first request made; a request that only looks like a repeat, because its note,
its title or its author differs, is an edit of a stale version and is refused."""

from tests.conftest import make_persona

EDIT = {"body": "A softer text.", "note": "Softer", "base_version": 1}


def new_version(persona, letter, edit):
    return persona.api.post(f"/letters/{letter['id']}/versions", edit)


def versions_of(persona, letter):
    return persona.api.get(f"/letters/{letter['id']}/versions").json()


def test_the_identical_request_answers_200_with_the_version_the_first_one_made(penholder, draft):
    first = new_version(penholder, draft, EDIT)
    again = new_version(penholder, draft, EDIT)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert [v["number"] for v in versions_of(penholder, draft)] == [1, 2]


def test_the_same_text_with_another_note_is_a_stale_edit_and_not_a_repeat(penholder, draft):
    new_version(penholder, draft, EDIT)

    response = new_version(penholder, draft, {**EDIT, "note": "Softer, as the group asked"})

    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["current_version"]) == ("stale_version", 2)
    assert [(v["number"], v["note"]) for v in versions_of(penholder, draft)][1:] == [(2, "Softer")]


def test_the_same_body_and_note_with_another_title_is_a_stale_edit(penholder, draft):
    new_version(penholder, draft, EDIT)

    response = new_version(penholder, draft, {**EDIT, "title": "A softer title"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_version"


def test_the_same_edit_by_another_drafter_of_the_penholder_is_a_stale_edit(orgs, penholder, draft):
    colleague = make_persona("pat", [("chn", "drafter")])
    new_version(penholder, draft, EDIT)

    response = new_version(colleague, draft, EDIT)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_version"
    assert len(versions_of(penholder, draft)) == 2
