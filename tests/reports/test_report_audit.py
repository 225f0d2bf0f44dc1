"""``log audit`` of a report's handle replays the report's own lifecycle over the public log."""

from ledger.audit import audit_handle
from ledger.log_fetch import find_log
from record import log
from tests.ledger.test_audit_finds_this_sites_log import site_fetcher


def test_an_auditor_follows_a_reports_events_on_the_public_log(shared, state_signer):
    state_signer.api.post(f"/reports/{shared['id']}/acknowledge")
    log.integrate()

    fetch = find_log("http://testserver/", 5, site_fetcher)
    report = audit_handle(fetch, shared["handle"], log.vkey())

    assert report.ok, [problem.message for problem in report.problems]
    assert report.status == "shared"
    assert [event.type for event in report.events] == ["report.created", "report.shared", "report.acknowledged"]
