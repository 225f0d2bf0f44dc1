"""The report pages as each persona sees them: the Office writes, shares, revises and publishes;
the State concerned reads what was shared with it, acknowledges and comments; everyone else finds
nothing before publication, in the same words as a report that does not exist."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import actions
from reports.models import Comment, Report, Share
from tests.conftest import make_persona
from tests.reports import conftest as report_fixtures
from tests.reports.conftest import REPORT
from tests.reports.test_report_files import docx_bytes
from web.views import reports_workspace

# The report personas and fixtures of tests/reports/conftest.py, used here too.
office, state_signer, written, shared = (
    report_fixtures.office,
    report_fixtures.state_signer,
    report_fixtures.written,
    report_fixtures.shared,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NEXT_MONTH = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()


def words(response) -> str:
    """A page's text without its per-request CSRF tokens."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def page(report) -> str:
    return f"/reports/{report['id']}/"


@pytest.fixture
def state_viewer(orgs):
    return make_persona("wen", [("chn", "viewer")])


def test_the_office_drafter_writes_a_report_in_the_browser_form(office):
    response = office.web.post(
        "/reports/new/",
        {"title": "Assessment (illustrative)", "concerning": "chn", "body": "# Text", "note": "First draft"},
    )

    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.id}/"
    assert report.office.slug == "ohchr" and report.concerning.slug == "chn"


def test_writing_about_an_organisation_that_is_not_a_state_is_refused_on_the_form(office):
    response = office.web.post("/reports/new/", {"title": "T", "concerning": "ohchr", "body": "Text", "note": "n"})

    assert response.status_code == 422 and "is not one" in response.content.decode()
    assert not Report.objects.exists()


def test_a_state_signer_may_not_write_a_report(state_signer):
    response = state_signer.web.post("/reports/new/", {"title": "T", "concerning": "pak", "body": "x", "note": "n"})

    assert response.status_code == 403 and not Report.objects.exists()


def test_the_office_sees_its_draft_in_its_list_and_on_its_page(office, written):
    assert f"/reports/{written['id']}/" in office.web.get("/reports/").content.decode()
    text = office.web.get(page(written)).content.decode()
    assert REPORT["title"] in text and "Share a version for comment" in text


def test_sharing_first_says_in_words_who_will_read_it(office, written):
    response = office.web.post(
        f"/reports/{written['id']}/share", {"version": "1", "deadline": NEXT_MONTH, "review": "1"}
    )

    text = response.content.decode()
    assert response.status_code == 200 and "Share version 1 with China for comment until" in text
    assert "its members will read it; nobody else outside the Office" in text
    assert not Share.objects.exists()


def test_the_confirmed_share_is_recorded_with_the_deadline_at_the_end_of_the_day(office, written):
    response = office.web.post(
        f"/reports/{written['id']}/share",
        {"version": "1", "version_hash": written["current_hash"], "deadline": NEXT_MONTH},
    )

    assert response.status_code == 302
    share = Share.objects.get()
    assert share.deadline.date().isoformat() == NEXT_MONTH and share.deadline.hour == 23


def test_a_share_with_a_stale_hash_is_refused_on_the_page(office, written):
    response = office.web.post(
        f"/reports/{written['id']}/share", {"version": "1", "version_hash": "0" * 64, "deadline": NEXT_MONTH}
    )

    assert response.status_code == 409 and not Share.objects.exists()


def test_the_state_does_not_find_a_draft_not_shared_with_it(state_signer, written, office):
    assert state_signer.web.get(page(written)).status_code == 404
    assert f"/reports/{written['id']}/" not in state_signer.web.get("/reports/").content.decode()


def test_the_state_signer_sees_only_the_shared_version(state_signer, shared, office):
    office.api.post(
        f"/reports/{shared['id']}/versions",
        {"body": "A second, unshared text", "note": "Revised", "base_version": 1},
    )

    text = state_signer.web.get(page(shared)).content.decode()
    assert "An illustrative text" in text and "A second, unshared text" not in text
    assert "Version 2" not in text and "Acknowledge receipt" in text and "Send comments" in text


def test_the_state_signer_acknowledges_receipt(state_signer, shared):
    response = state_signer.web.post(f"/reports/{shared['id']}/acknowledge")

    assert response.status_code == 302
    assert Share.objects.get().acknowledged_at is not None


def test_the_state_signer_confirms_then_sends_comments_for_the_annex(state_signer, shared):
    fields = {"version": "1", "body": "Our comments.", "annex": "yes"}
    review = state_signer.web.post(f"/reports/{shared['id']}/comment", {**fields, "review": "1"})
    assert "Send comments of China on version 1" in review.content.decode() and not Comment.objects.exists()

    response = state_signer.web.post(
        f"/reports/{shared['id']}/comment", {**fields, "version_hash": shared["current_hash"]}
    )

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.annex and comment.body == "Our comments." and not comment.late


def test_the_office_sees_the_comments_received_on_time_and_for_the_annex(office, state_signer, shared):
    state_signer.api.post(
        f"/reports/{shared['id']}/comments", {"body": "Our comments.", "version_hash": shared["current_hash"]}
    )

    text = office.web.get(page(shared)).content.decode()
    assert "Our comments." in text and "on time" in text and "not for the annex" in text


def test_a_state_viewer_reads_but_may_neither_acknowledge_nor_comment(state_viewer, shared):
    text = state_viewer.web.get(page(shared)).content.decode()
    assert "An illustrative text" in text and "Send comments" not in text

    assert state_viewer.web.post(f"/reports/{shared['id']}/acknowledge").status_code == 403
    refused = state_viewer.web.post(
        f"/reports/{shared['id']}/comment", {"version": "1", "body": "x", "version_hash": shared["current_hash"]}
    )
    assert refused.status_code == 403 and not Comment.objects.exists()


@pytest.mark.parametrize("persona", ["signer", "viewer", "outsider"])
def test_everyone_else_finds_nothing_before_publication(request, shared, persona):
    other = request.getfixturevalue(persona)
    missing = other.web.get("/reports/999999/")

    response = other.web.get(page(shared))
    assert response.status_code == 404
    assert words(response) == words(missing).replace("/reports/999999/", page(shared))
    assert other.web.post(f"/reports/{shared['id']}/acknowledge").status_code == 404
    assert f"/reports/{shared['id']}/" not in other.web.get("/reports/").content.decode()


def test_anonymous_is_sent_to_sign_in(client, shared):
    response = client.get(page(shared))

    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_office_revises_then_publishes_after_confirming(office, state_signer, shared):
    office.web.post(
        f"/reports/{shared['id']}/revise", {"body": "Revised text.", "note": "Answers the comments", "base_version": 1}
    )
    assert Report.objects.get().current_version == 2

    review = office.web.post(f"/reports/{shared['id']}/publish", {"version": "1", "review": "1"})
    assert "Publish version 1 with 0 annexed comments; this cannot be undone" in review.content.decode()
    assert Report.objects.get().status != "published"

    office.web.post(f"/reports/{shared['id']}/publish", {"version": "1", "version_hash": shared["current_hash"]})
    assert Report.objects.get().status == "published"


def test_publishing_a_version_never_shared_is_refused_on_the_page(office, shared):
    office.api.post(f"/reports/{shared['id']}/versions", {"body": "Unshared.", "note": "n", "base_version": 1})
    unshared = office.api.get(f"/reports/{shared['id']}/versions/2").json()

    response = office.web.post(f"/reports/{shared['id']}/publish", {"version": "2", "version_hash": unshared["hash"]})

    assert response.status_code == 409 and Report.objects.get().status != "published"


def test_a_member_finds_the_reports_in_the_navigation(state_signer):
    assert 'href="/reports/"' in state_signer.web.get("/").content.decode()


def test_the_office_drafter_writes_a_report_from_a_docx_file(office):
    upload = SimpleUploadedFile("assessment.docx", docx_bytes("Assessment of the situation."), content_type=DOCX)
    fields = {"title": "Assessment (illustrative)", "concerning": "chn", "note": "From Word", "file": upload}

    response = office.web.post("/reports/new/", fields)

    version = Report.objects.get().versions.get()
    assert response.status_code == 302 and version.file_name == "assessment.docx"
    assert "Assessment of the situation." in office.web.get(response["Location"]).content.decode()


def test_a_mislabelled_file_is_refused_on_the_form_with_what_was_typed(office):
    upload = SimpleUploadedFile("assessment.pdf", docx_bytes("a zip, not a PDF"))
    fields = {"title": "Kept title", "concerning": "chn", "note": "n", "file": upload}

    response = office.web.post("/reports/new/", fields)

    assert response.status_code == 422 and not Report.objects.exists()
    assert 'value="Kept title"' in response.content.decode()


def test_an_office_member_who_is_not_a_drafter_reads_but_may_not_share(addressee, written):
    text = addressee.web.get(page(written)).content.decode()
    assert REPORT["title"] in text and "Share a version for comment" not in text

    response = addressee.web.post(
        f"/reports/{written['id']}/share",
        {"version": "1", "version_hash": written["current_hash"], "deadline": NEXT_MONTH},
    )
    assert response.status_code == 403 and not Share.objects.exists()


def test_comments_after_the_deadline_are_shown_to_the_office_as_late(office, state_signer, shared):
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=40)
    actions.comment(state_signer.user, shared["id"], version_hash=shared["current_hash"], body="Late.", at=later)

    assert "late" in office.web.get(page(shared)).content.decode().split("Comments received")[1]


def test_another_states_signer_cannot_comment_on_a_report_not_shared_with_it(signer, shared):
    response = signer.web.post(
        f"/reports/{shared['id']}/comment", {"version": "1", "body": "x", "version_hash": shared["current_hash"]}
    )

    assert response.status_code == 404 and not Comment.objects.exists()


def test_after_publication_the_state_is_refused_comments_and_sees_no_form(office, state_signer, shared):
    office.api.post(f"/reports/{shared['id']}/publish", {"version": 1, "version_hash": shared["current_hash"]})

    assert "Send comments" not in state_signer.web.get(page(shared)).content.decode()
    response = state_signer.web.post(
        f"/reports/{shared['id']}/comment", {"version": "1", "body": "x", "version_hash": shared["current_hash"]}
    )
    assert response.status_code == 409 and not Comment.objects.exists()


def test_publishing_with_no_comments_before_the_deadline_says_the_deadline_has_not_passed(office, shared):
    review = office.web.post(f"/reports/{shared['id']}/publish", {"version": "1", "review": "1"})

    assert "has not passed: the publication does not record that none came" in review.content.decode()


def test_publishing_with_no_comments_after_the_deadline_says_that_none_came(office, shared, monkeypatch):
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=40)
    monkeypatch.setattr(reports_workspace, "_now", lambda: later)

    review = office.web.post(f"/reports/{shared['id']}/publish", {"version": "1", "review": "1"})

    assert "No comments came by the deadline" in review.content.decode()


def test_the_state_signer_confirms_comments_sent_as_a_file_before_they_go(state_signer, shared):
    upload = SimpleUploadedFile("comments.docx", docx_bytes("Our comments in Word."), content_type=DOCX)
    review = state_signer.web.post(
        f"/reports/{shared['id']}/comment", {"version": "1", "annex": "yes", "review": "1", "file": upload}
    )
    text = review.content.decode()
    assert review.status_code == 200 and "comments.docx" in text and not Comment.objects.exists()

    held = re.search(r'name="held_file" value="([^"]+)"', text).group(1)
    response = state_signer.web.post(
        f"/reports/{shared['id']}/comment",
        {"version": "1", "annex": "yes", "version_hash": shared["current_hash"], "held_file": held},
    )

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.file_name == "comments.docx" and comment.annex


def test_a_forged_held_file_is_refused_and_nothing_is_sent(state_signer, shared):
    response = state_signer.web.post(
        f"/reports/{shared['id']}/comment",
        {"version": "1", "version_hash": shared["current_hash"], "held_file": "forged"},
    )

    assert response.status_code == 400 and not Comment.objects.exists()
