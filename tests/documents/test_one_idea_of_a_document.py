"""A letter and a report are one idea of a document with two flows (documents/): the same hashed
version, and the same steps in their actions, each refusing in its own flow's words."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from core.errors import Conflict, NotFound
from documents import actions as documents
from documents.models import HashedVersion
from letters.actions.common import LETTERS
from letters.models import Version
from reports.actions.common import REPORTS
from reports.models import ReportVersion

SHARED_COLUMNS = ["number", "title", "body", "author", "note", "created_at", "log_index"]


def test_a_letters_version_and_a_reports_version_are_the_same_hashed_version():
    assert issubclass(Version, HashedVersion) and issubclass(ReportVersion, HashedVersion)
    for name in SHARED_COLUMNS:
        letters_column = Version._meta.get_field(name).deconstruct()[1:]
        reports_column = ReportVersion._meta.get_field(name).deconstruct()[1:]
        assert letters_column == reports_column, name


def test_only_a_letters_version_hash_is_indexed_since_check_looks_letters_up_by_it():
    assert Version._meta.get_field("hash").db_index
    assert not ReportVersion._meta.get_field("hash").db_index


@pytest.fixture
def the_penholders_letter(penholder, draft):
    return penholder, f"/letters/{draft['id']}", {"body": "Second.", "note": "Shorter"}


@pytest.fixture
def the_offices_report(office, written):
    return office, f"/reports/{written['id']}", {"body": "# Assessment\n\nSecond.", "note": "Shorter"}


@pytest.fixture(params=["the_penholders_letter", "the_offices_report"])
def a_drafter_and_a_document(request):
    return request.getfixturevalue(request.param)


def test_a_drafter_repeating_an_edit_is_answered_with_the_version_it_made(a_drafter_and_a_document):
    drafter, path, edit = a_drafter_and_a_document
    first = drafter.api.post(f"{path}/versions", {**edit, "base_version": 1})
    again = drafter.api.post(f"{path}/versions", {**edit, "base_version": 1})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert [v["number"] for v in drafter.api.get(f"{path}/versions").json()] == [1, 2]


def test_a_drafter_editing_a_version_no_longer_current_is_refused_as_stale(a_drafter_and_a_document):
    drafter, path, edit = a_drafter_and_a_document
    drafter.api.post(f"{path}/versions", {**edit, "base_version": 1})

    response = drafter.api.post(f"{path}/versions", {**edit, "body": "Another edit of v1.", "base_version": 1})

    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["current_version"]) == ("stale_version", 2)
    assert "Version 1 is not the current version (2)" in error["message"]


def test_a_drafter_repeating_an_edit_with_another_note_is_refused_rather_than_losing_the_note(
    a_drafter_and_a_document,
):
    drafter, path, edit = a_drafter_and_a_document
    drafter.api.post(f"{path}/versions", {**edit, "base_version": 1})

    response = drafter.api.post(f"{path}/versions", {**edit, "note": "Another reason", "base_version": 1})

    assert response.status_code == 409 and response.json()["error"]["code"] == "stale_version"
    assert [v["note"] for v in drafter.api.get(f"{path}/versions").json()][-1] == "Shorter"


@pytest.mark.parametrize("path, words", [("/letters/{id}", "No such letter."), ("/reports/{id}", "No such report.")])
def test_the_outsider_finds_neither_a_draft_letter_nor_a_draft_report(outsider, draft, written, path, words):
    document = draft if path.startswith("/letters") else written

    response = outsider.api.get(path.format(id=document["id"]))

    assert response.status_code == 404
    assert response.json()["error"]["message"] == words


def test_a_letter_and_a_report_one_may_not_see_are_missing_in_each_flows_words(orgs):
    with pytest.raises(NotFound) as letter:
        documents.visible(LETTERS, None, None)
    with pytest.raises(NotFound) as report:
        documents.visible(REPORTS, None, None)

    assert (letter.value.message, report.value.message) == ("No such letter.", "No such report.")


def test_a_refused_transition_names_the_status_and_the_statuses_that_would_allow_it():
    with pytest.raises(Conflict) as refused:
        documents.require_state(REPORTS, "published", {"shared", "draft"}, "Revising")

    assert refused.value.message == "Revising: not possible while the report is published."
    assert refused.value.code == "illegal_transition"
    assert refused.value.details == {"current_status": "published", "allowed_from": ["draft", "shared"]}


def test_a_refusal_is_translated_in_the_language_of_the_request_not_of_the_first_import():
    with translation.override("fr"):
        with pytest.raises(Conflict) as letter:
            documents.require_state(LETTERS, "draft", {"circulating"}, "Signer")
        with pytest.raises(Conflict) as report:
            documents.require_state(REPORTS, "draft", {"shared"}, "Commenter")

    assert letter.value.message.startswith("Signer : impossible tant que la lettre est")
    assert report.value.message.startswith("Commenter : impossible tant que le rapport est")


def version(number, author_id, hash="h"):
    return SimpleNamespace(number=number, author_id=author_id, hash=hash)


def test_a_request_on_the_current_version_goes_on():
    assert documents.is_repeat_of_current(REPORTS, 2, version(2, 7), SimpleNamespace(pk=7), same_content=False) is False


def test_the_same_author_sending_the_same_content_again_repeats_the_current_version():
    assert documents.is_repeat_of_current(REPORTS, 1, version(2, 7), SimpleNamespace(pk=7), same_content=True) is True


@pytest.mark.parametrize(
    "base, author, same_content",
    [(1, 8, True), (1, 7, False), (0, 7, True)],
    ids=["another author", "other content", "two versions behind"],
)
def test_any_other_request_on_an_older_version_is_stale_and_carries_the_flows_details(base, author, same_content):
    with pytest.raises(Conflict) as refused:
        documents.is_repeat_of_current(
            LETTERS, base, version(2, 7), SimpleNamespace(pk=author), same_content=same_content, changes=(5, base, 2)
        )

    assert refused.value.code == "stale_version"
    assert refused.value.details == {"current_version": 2, "changes": (5, base, 2)}
    assert refused.value.message.startswith(f"Version {base} is not the current version (2); read the changes")
