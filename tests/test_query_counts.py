"""Busy reads cost the same number of queries whether 3 or 193 organisations signed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from letters import actions
from orgs.actions import add_member, add_organisation


def add_signatories(letter, count):
    for i in range(count):
        org, _ = add_organisation(f"state-{i}", f"State {i}", "state")
        user = add_member(f"signer-{i}", org.slug, "signer").user
        actions.circulate(letter.penholder_members[0], letter.id, invitees=[org.slug])
        actions.sign(user, letter.id, version=1, version_hash=letter.hash)


@pytest.fixture
def letter_with(penholder, circulating):
    from letters.models import Letter

    def build(count):
        letter = Letter.objects.get(pk=circulating["id"])
        letter.penholder_members = [penholder.user]
        letter.hash = circulating["current_hash"]
        add_signatories(letter, count)
        return letter

    return build


def queries_for(persona, path):
    with CaptureQueriesContext(connection) as captured:
        response = persona.api.get(path)
    assert response.status_code == 200
    return len(captured)


PATHS = ["/letters/{id}", "/letters/{id}/versions", "/letters", "/public/letters/{handle}"]


def test_letter_reads_cost_the_same_queries_with_3_and_193_signatories(penholder, letter_with, circulating):
    paths = [p.format(**circulating) for p in PATHS]
    letter_with(3)
    with_three = [queries_for(penholder, path) for path in paths]

    letter_with(190)
    with_193 = [queries_for(penholder, path) for path in paths]

    assert with_193 == with_three
    assert max(with_three) <= 12
