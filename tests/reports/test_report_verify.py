"""`undersigned verify` checks a report's bundle: every shared hash is a recorded version's,
comments are signed by the State's key, the timeline is in order. A log with a report event that
breaks those rules (an operator writing a false event) is rejected with the report's own errors."""

import datetime
import io
import json

import pytest
from django.db import transaction

from ledger import report_events, statements
from ledger.report_story import ReportSignatureError, ReportStoryError, tell
from ledger.verify import verify_bundle
from ledger.verify_command import main
from orgs import keys
from record.log import append_event, event_time
from reports import actions
from reports.models import Report
from tests.reports.conftest import in_days

FAR = "f" * 64


@pytest.fixture
def published(shared, office, state_signer):
    state_signer.api.post(f"/reports/{shared['id']}/acknowledge")
    state_signer.api.post(
        f"/reports/{shared['id']}/comments",
        {"body": "Comments.", "version_hash": shared["current_hash"], "annex": True},
    )
    office.api.post(f"/reports/{shared['id']}/publish", {"version": 1, "version_hash": shared["current_hash"]})
    return shared


def bundle_of(persona, report):
    response = persona.api.get(f"/reports/{report['id']}/bundle")
    assert response.status_code == 200
    return response.json()


def test_a_published_reports_bundle_verifies_with_its_facts(published, office):
    verdict = verify_bundle(bundle_of(office, published))

    assert verdict.facts["kind"] == "report" and verdict.facts["status"] == "published"
    assert verdict.facts["shared"][0]["hash"] == published["current_hash"]
    assert verdict.facts["comments"][0]["annex"] is True
    assert "5. organisation signatures: ok (2 statements verified)" in [
        f"{s.number}. {s.name}: ok ({s.detail})" for s in verdict.steps
    ]


def test_the_command_prints_the_reports_verdict(published, office, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle_of(office, published)))
    out = io.StringIO()

    code = main([str(path)], stdin=io.StringIO(), stdout=out)

    assert code == 0, out.getvalue()
    assert f"Verified: report {published['handle']}, status published" in out.getvalue()


def test_the_states_bundle_verifies_without_the_offices_openings(shared, state_signer):
    state_signer.api.post(f"/reports/{shared['id']}/acknowledge")

    verdict = verify_bundle(bundle_of(state_signer, shared))

    assert verdict.facts["status"] == "shared"


def _append_false_event(report_id, kind, public, private=None, at=None):
    report = Report.objects.get(pk=report_id)
    with transaction.atomic():
        append_event(kind, at or datetime.datetime.now(datetime.UTC), public, private, handle=report.handle)


def test_a_share_of_a_hash_no_version_has_is_rejected(written, office):
    _append_false_event(
        written["id"],
        report_events.REPORT_SHARED,
        {"version": 1, "version_hash": FAR, "deadline": event_time(datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))},
        {"office": "ohchr", "org": "chn"},
    )
    Report.objects.filter(pk=written["id"]).update(status="shared")

    with pytest.raises(ReportStoryError, match=r"shared version 1 with hash f+, recorded") as failure:
        verify_bundle(bundle_of(office, written))
    assert failure.value.exit_code == 12


def test_comments_signed_by_another_states_key_are_rejected(shared, office, orgs):
    at = datetime.datetime.now(datetime.UTC)
    statement = report_events.comment_action(shared["handle"], "chn", event_time(at), shared["current_hash"], FAR, True)
    forged = statements.sign_statement(keys.seed_of(orgs["pak"]), statement)
    _append_false_event(
        shared["id"],
        report_events.REPORT_COMMENTED,
        {"comment_hash": FAR, "version_hash": shared["current_hash"], "annex": True, "late": False},
        {"org": "chn", "signer": "someone", "signature": forged},
        at=at,
    )

    with pytest.raises(ReportSignatureError) as failure:
        verify_bundle(bundle_of(office, shared))
    assert failure.value.exit_code == 13


def test_publishing_a_version_never_shared_is_rejected(shared, office):
    revised = actions.add_version(office.user, shared["id"], body="Two.", note="n", base_version=1).object
    _append_false_event(
        shared["id"],
        report_events.REPORT_PUBLISHED,
        {"version": 2, "version_hash": revised.hash, "comments": 0, "none_by_deadline": False},
    )

    with pytest.raises(ReportStoryError, match="never shared"):
        verify_bundle(bundle_of(office, shared))


def _event(kind, time, **public):
    return {"type": kind, "time": time, "seq": 0, **public}


def test_events_out_of_time_order_are_rejected():
    events = [
        (1, _event("report.created", "2022-07-02T00:00:00.000000Z", version=1, version_hash=FAR, file_sha256=None)),
        (
            2,
            _event(
                "report.shared",
                "2022-07-01T00:00:00.000000Z",
                version=1,
                version_hash=FAR,
                deadline="2022-08-01T00:00:00.000000Z",
            ),
        ),
    ]

    with pytest.raises(ReportStoryError, match="comes before"):
        tell("h", events, {})


def test_comments_on_time_marked_late_are_rejected():
    events = [
        (1, _event("report.created", "2022-07-01T00:00:00.000000Z", version=1, version_hash=FAR, file_sha256=None)),
        (
            2,
            _event(
                "report.shared",
                "2022-07-01T00:00:01.000000Z",
                version=1,
                version_hash=FAR,
                deadline="2022-08-01T00:00:00.000000Z",
            ),
        ),
        (
            3,
            _event(
                "report.commented",
                "2022-07-10T00:00:00.000000Z",
                comment_hash=FAR,
                version_hash=FAR,
                annex=True,
                late=True,
            ),
        ),
    ]

    with pytest.raises(ReportStoryError, match="marked late=True"):
        tell("h", events, {})


def test_a_report_event_in_a_letters_place_is_refused_by_the_report_lifecycle():
    events = [(1, _event("report.commented", "2022-07-10T00:00:00.000000Z"))]

    with pytest.raises(ReportStoryError, match=r"before report\.created"):
        tell("h", events, {})


def test_the_deadline_of_a_share_is_kept_in_the_log(shared, anonymous):
    timeline = anonymous.get(f"/public/reports/{shared['handle']}").json()["timeline"]

    assert timeline[1]["deadline"][:10] == in_days(30)[:10]
