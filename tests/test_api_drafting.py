"""Drafting through the API: letters, immutable versions, stale edits, diffs, bad input."""

import json

from tests.conftest import LETTER


def test_a_drafter_creates_a_letter_as_version_one(penholder):
    response = penholder.api.post("/letters", LETTER)

    assert response.status_code == 201
    letter = response.json()
    assert (letter["status"], letter["penholder"], letter["addressee"]) == ("draft", "chn", "ohchr")
    assert letter["current_version"] == 1
    version = letter["versions"][0]
    assert version["author"] == "penny" and version["note"] == LETTER["note"]
    assert len(version["hash"]) == 64 and version["hash"] == version["hash"].lower()


def test_a_double_click_on_create_makes_one_letter(penholder):
    first = penholder.api.post("/letters", LETTER)
    second = penholder.api.post("/letters", LETTER)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert len(penholder.api.get("/letters").json()) == 1


def test_the_version_hash_is_the_sha256_of_the_canonical_title_addressee_and_body(penholder):
    import hashlib

    import rfc8785

    letter = penholder.api.post("/letters", {**LETTER, "body": "Cafe\u0301\r\nline"}).json()

    canonical = rfc8785.dumps({"title": LETTER["title"], "addressee": "ohchr", "body": "Caf\u00e9\nline"})
    assert letter["current_hash"] == hashlib.sha256(canonical).hexdigest()


def test_a_new_version_needs_the_current_base_and_keeps_the_old_one(penholder, draft):
    response = penholder.api.post(
        f"/letters/{draft['id']}/versions", {"body": "A softer text.", "note": "Softer", "base_version": 1}
    )

    assert response.status_code == 201
    assert response.json()["number"] == 2
    old = penholder.api.get(f"/letters/{draft['id']}/versions/1").json()
    assert old["body"] == LETTER["body"] and old["hash"] == draft["current_hash"]


def test_an_edit_based_on_a_stale_version_is_refused_with_a_pointer_to_the_diff(penholder, draft):
    penholder.api.post(f"/letters/{draft['id']}/versions", {"body": "Second.", "note": "n", "base_version": 1})

    response = penholder.api.post(
        f"/letters/{draft['id']}/versions", {"body": "Another edit of v1.", "note": "n", "base_version": 1}
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale_version"
    assert error["diff"] == f"/api/v1/letters/{draft['id']}/diff?from=1&to=2"
    assert penholder.api.get(f"/letters/{draft['id']}").json()["current_version"] == 2


def test_a_repeated_edit_answers_with_the_version_it_made(penholder, draft):
    edit = {"body": "Second.", "note": "Shorter", "base_version": 1}
    first = penholder.api.post(f"/letters/{draft['id']}/versions", edit)
    second = penholder.api.post(f"/letters/{draft['id']}/versions", edit)

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["number"] == 2
    assert len(penholder.api.get(f"/letters/{draft['id']}/versions").json()) == 2


def test_the_diff_between_two_versions_is_word_by_word(penholder, draft):
    penholder.api.post(
        f"/letters/{draft['id']}/versions",
        {"body": LETTER["body"].replace("urge", "ask"), "note": "Softer verb", "base_version": 1},
    )

    diff = penholder.api.get(f"/letters/{draft['id']}/diff", **{"from": 1, "to": 2}).json()

    changed = [(piece["op"], piece["text"]) for piece in diff["body"] if piece["op"] != "equal"]
    assert changed == [("delete", "urge"), ("insert", "ask")]


def test_a_letter_without_a_note_is_refused_and_nothing_is_stored(penholder):
    response = penholder.api.post("/letters", {**LETTER, "note": "   "})

    assert response.status_code == 422
    assert "note" in response.json()["error"]["message"]
    assert penholder.api.get("/letters").json() == []


def test_wrong_types_and_missing_fields_get_a_clear_422(penholder):
    missing = penholder.api.post("/letters", {"title": "t"})
    wrong = penholder.api.post("/letters", {**LETTER, "title": ["not", "text"]})

    assert missing.status_code == 422 and "body" in missing.json()["error"]["message"]
    assert wrong.status_code == 422 and "title" in wrong.json()["error"]["message"]


def test_malformed_json_gets_a_clear_4xx(penholder):
    response = penholder.api.post("/letters", raw="{not json")

    assert 400 <= response.status_code < 500
    assert response.json()["error"]["message"]


def test_an_oversize_body_is_refused(penholder):
    response = penholder.api.post("/letters", raw=json.dumps({**LETTER, "body": "x" * 600_000}))

    assert response.status_code in (413, 422)
    assert "error" in response.json()


def test_an_unknown_addressee_is_named_in_the_error(penholder):
    response = penholder.api.post("/letters", {**LETTER, "addressee": "nowhere"})

    assert response.status_code == 422
    assert "nowhere" in response.json()["error"]["message"]


def test_hostile_text_is_stored_verbatim_and_returned_as_json(penholder):
    # A right-to-left mark is kept; an override is refused (tests/test_input_rules.py).
    hostile = "<script>alert(1)</script>\u200f\U0001f600"
    letter = penholder.api.post("/letters", {**LETTER, "title": hostile}).json()

    assert letter["title"] == hostile


def test_only_a_drafter_of_some_organisation_may_create_a_letter(signer):
    response = signer.api.post("/letters", LETTER)

    assert response.status_code == 403


def test_too_many_requests_get_a_429_with_retry_after(anonymous, circulating):
    statuses = [anonymous.get(f"/public/letters/{circulating['handle']}").status_code for _ in range(61)]

    assert statuses == [200] * 60 + [429]  # tests/settings.py: 60 a minute
    last = anonymous.get(f"/public/letters/{circulating['handle']}")
    assert last.json()["error"]["code"] == "rate_limited" and int(last["Retry-After"]) > 0
