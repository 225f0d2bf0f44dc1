"""``log audit --url`` given this site's root finds the log under /log/, as served by
record/views.py (read through Django's test client instead of the network)."""

from urllib.parse import urlsplit

from django.test import Client

from ledger.audit import audit_handle
from ledger.log_fetch import HttpStatusError, find_log
from record import log
from tests.conftest import sign


def site_fetcher(base: str, timeout: float):
    web = Client()

    def fetch(path: str) -> bytes:
        response = web.get(f"{urlsplit(base).path.rstrip('/')}/{path}")
        if response.status_code != 200:
            raise HttpStatusError(f"GET {base}/{path}: HTTP {response.status_code}")
        return response.content

    return fetch


def test_an_auditor_given_the_sites_root_audits_the_log_under_it(signer, circulating):
    sign(signer, circulating)
    log.integrate()

    fetch = find_log("http://testserver/", 5, site_fetcher)
    report = audit_handle(fetch, circulating["handle"], log.vkey())

    assert report.ok, [problem.message for problem in report.problems]
    assert [event.type for event in report.events] == ["letter.created", "letter.circulated", "signature.signed"]
