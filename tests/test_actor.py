"""Who acts is an Actor built by authentication (orgs/actors.py), never roles kept on the user
object: a membership that changes within one process counts at the next action."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import Forbidden
from letters import access, actions
from orgs.actions import add_member
from orgs.models import Member


def signed_by(persona_or_user, letter):
    return actions.sign(persona_or_user, letter["id"], version=1, version_hash=letter["current_hash"])


def test_a_viewer_made_a_signer_may_sign_at_once_with_the_same_user_object(viewer, circulating):
    user = viewer.user
    assert not access.signing_organisations(user, _letter(circulating))  # a viewer of pak

    add_member(user.username, "pak", "signer")

    assert signed_by(user, circulating).created


def test_a_signer_made_a_mere_viewer_may_no_longer_sign_with_the_same_user_object(signer, circulating):
    user = signer.user
    assert access.signing_organisations(user, _letter(circulating))

    add_member(user.username, "pak", "viewer")
    Member.objects.filter(user=user, role="signer").delete()

    with pytest.raises(Forbidden):
        signed_by(user, circulating)


def test_the_api_reads_the_actor_with_the_token_and_acts_without_reading_roles_again(signer, circulating):
    with CaptureQueriesContext(connection) as captured:
        response = signer.api.post(
            f"/letters/{circulating['id']}/signatures", {"version": 1, "version_hash": circulating["current_hash"]}
        )
    assert response.status_code == 201
    assert len(_membership_reads(captured)) == 1  # the token's own statement


def test_a_page_reads_the_actor_once_however_many_rules_it_asks(penholder, circulating):
    with CaptureQueriesContext(connection) as captured:
        assert penholder.web.get(f"/letters/{circulating['id']}/").status_code == 200
    assert len(_membership_reads(captured)) == 1


def test_a_page_that_needs_no_roles_reads_none(penholder, circulating):
    with CaptureQueriesContext(connection) as captured:
        assert penholder.web.get(f"/p/{circulating['handle']}").status_code == 200
    assert _membership_reads(captured) == []


def _letter(data):
    from letters.models import Letter

    return Letter.objects.get(pk=data["id"])


def _membership_reads(captured) -> list[str]:
    table = connection.ops.quote_name(Member._meta.db_table)
    return [
        query["sql"]
        for query in captured.captured_queries
        if table in query["sql"] or f" {Member._meta.db_table} " in query["sql"]
    ]
