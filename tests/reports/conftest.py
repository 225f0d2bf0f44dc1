"""Personas of a report, beside those of tests/conftest.py:

ohchr — the Office that writes the report: `office` (drafter); `addressee` (signer) is a member too
chn   — the State concerned: `penholder` (drafter), `penholder_signer` (signer, its focal point)
pak   — another State: `signer`, `viewer`
usa   — `outsider`
"""

import datetime

import pytest

from tests.conftest import make_persona

REPORT = {
    "title": "Assessment of human rights concerns (illustrative)",
    "concerning": "chn",
    "body": "# Assessment\n\nAn illustrative text of the Office's assessment.",
    "note": "First draft",
}


def in_days(days: int) -> str:
    return (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def office(orgs):
    return make_persona("olga", [("ohchr", "drafter")])


@pytest.fixture
def state_signer(penholder_signer):
    """The State concerned's focal point (chn's signer)."""
    return penholder_signer


@pytest.fixture
def written(office):
    """A report in draft, version 1, written by the Office about chn."""
    response = office.api.post("/reports", REPORT)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def shared(written, office):
    """Version 1 shared with chn, due in 30 days."""
    response = office.api.post(
        f"/reports/{written['id']}/share",
        {"version": 1, "version_hash": written["current_hash"], "deadline": in_days(30)},
    )
    assert response.status_code == 201, response.content
    return office.api.get(f"/reports/{written['id']}").json()
