"""The public timeline `/r/{handle}`: every step with its log index, time and hash, the durations
in words, nothing of the content before publication; the PDF once published."""

import datetime
import shutil
import subprocess

import pytest
from django.test import Client
from django.utils import translation

from reports import actions, story
from tests.pdf_slots import every_render_slot_taken
from tests.reports.conftest import REPORT

DAY = datetime.timedelta(days=1)
START = datetime.datetime(2022, 7, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def round_with_late_comments(office, written, state_signer):
    """Shared on 1 July due 31 July; comments 5 days late; published 31 days after sharing."""
    report_id, vhash = written["id"], written["current_hash"]
    shared_at = datetime.datetime.now(datetime.UTC)
    actions.share(office.user, report_id, version=1, version_hash=vhash, deadline=shared_at + 25 * DAY, at=shared_at)
    actions.acknowledge(state_signer.user, report_id, at=shared_at + DAY)
    actions.comment(
        state_signer.user, report_id, version_hash=vhash, annex=True, body="Our comments.", at=shared_at + 30 * DAY
    )
    actions.publish(office.user, report_id, version=1, version_hash=vhash, at=shared_at + 31 * DAY)
    return written


def test_the_durations_are_told_in_words(round_with_late_comments, anonymous):
    timeline = anonymous.get(f"/public/reports/{round_with_late_comments['handle']}").json()["timeline"]

    assert story.durations(timeline) == (
        "shared 31 days before publication; comments received 5 days after the deadline"
    )


def test_the_durations_use_the_plural_forms_of_the_readers_language(round_with_late_comments, anonymous):
    timeline = anonymous.get(f"/public/reports/{round_with_late_comments['handle']}").json()["timeline"]

    with translation.override("fr"):
        said = story.durations(timeline)

    assert said == "partagé 31 jours avant la publication; commentaires reçus 5 jours après la date limite"


def test_one_day_is_said_in_the_singular(anonymous):
    timeline = [
        {"type": "report.shared", "time": "2022-07-01T09:00:00.000000Z", "deadline": "2022-07-05T09:00:00.000000Z"},
        {"type": "report.commented", "time": "2022-07-06T10:00:00.000000Z"},
        {"type": "report.published", "time": "2022-07-02T09:00:00.000000Z", "none_by_deadline": False},
    ]

    assert story.durations(timeline) == "shared 1 day before publication; comments received 1 day after the deadline"


def test_before_publication_the_page_shows_the_steps_and_not_the_content(shared, state_signer):
    state_signer.api.post(f"/reports/{shared['id']}/acknowledge")

    page = Client().get(f"/r/{shared['handle']}")

    assert page.status_code == 200
    text = page.content.decode()
    assert REPORT["title"] not in text and "illustrative text" not in text
    assert "Shared with the State concerned: version 1" in text and "Acknowledged by the State concerned" in text
    assert shared["current_hash"] in text
    assert "shared today, not yet published".capitalize() in text


def test_after_publication_the_page_shows_the_text_and_the_annexed_comments(round_with_late_comments):
    page = Client().get(f"/r/{round_with_late_comments['handle']}")

    text = page.content.decode()
    assert REPORT["title"] in text and "Our comments." in text
    assert "Received after the deadline." in text and "With 1 comment annexed." in text


def test_the_page_is_right_to_left_in_arabic(shared):
    page = Client().get(f"/r/{shared['handle']}?lang=ar")

    assert 'dir="rtl"' in page.content.decode()


def test_an_unknown_handle_is_not_found(db):
    assert Client().get("/r/no-such-report").status_code == 404


def test_there_is_no_pdf_before_publication(shared):
    assert Client().get(f"/r/{shared['handle']}.pdf").status_code == 404


def test_the_pdf_carries_the_text_the_annex_and_the_verification_footer(round_with_late_comments):
    response = Client().get(f"/r/{round_with_late_comments['handle']}.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler) is not installed")
    text = subprocess.run([pdftotext, "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = text.decode()
    assert "Our comments." in text and "Annex: comments of the State concerned" in text
    assert round_with_late_comments["current_hash"][:40] in text.replace("\n", "")


def test_a_report_shared_and_published_the_same_day_says_so_not_zero_days(anonymous):
    timeline = [
        {"type": "report.shared", "time": "2022-08-31T08:00:00.000000Z", "deadline": "2022-08-31T12:00:00.000000Z"},
        {"type": "report.published", "time": "2022-08-31T18:00:00.000000Z", "none_by_deadline": True},
    ]

    assert story.durations(timeline) == "shared on the day of publication; no comments received by the deadline"
    with translation.override("fr"):
        assert story.durations(timeline).startswith("partagé le jour même de la publication")


def test_a_report_shared_today_and_not_yet_published_says_today(anonymous):
    shared = datetime.datetime(2022, 8, 1, 9, 0, tzinfo=datetime.UTC)
    timeline = [
        {"type": "report.shared", "time": "2022-08-01T09:00:00.000000Z", "deadline": "2022-08-31T09:00:00.000000Z"}
    ]

    assert story.durations(timeline, now=shared + datetime.timedelta(hours=3)) == "shared today, not yet published"


def test_when_every_pdf_renderer_is_busy_a_report_pdf_is_refused_with_503(round_with_late_comments, monkeypatch):
    from web import pdf

    monkeypatch.setattr(pdf, "RENDER_SLOT_WAIT", 0.1)
    with every_render_slot_taken(pdf):
        busy = Client().get(f"/r/{round_with_late_comments['handle']}.pdf")
    assert busy.status_code == 503 and busy["Retry-After"]
    assert Client().get(f"/r/{round_with_late_comments['handle']}.pdf").status_code == 200
