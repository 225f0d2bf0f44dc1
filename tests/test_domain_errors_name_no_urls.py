"""A refusal from the domain names what happened, not where an interface shows it: the API adds
its own link to the changes a stale request has not seen."""

import pytest

from core.errors import Conflict
from letters import actions


def test_a_stale_edit_names_the_changes_and_no_url(penholder, draft):
    actions.add_version(penholder.user, draft["id"], body="Second text.", note="Second", base_version=1)

    with pytest.raises(Conflict) as refused:
        actions.add_version(penholder.user, draft["id"], body="Another text.", note="Other", base_version=1)

    assert refused.value.details["changes"] == (draft["id"], 1, 2)
    assert not any("/api/" in str(value) for value in refused.value.details.values())


def test_the_api_still_links_the_changes(penholder, draft):
    penholder.api.post(f"/letters/{draft['id']}/versions", {"body": "Second.", "note": "Second", "base_version": 1})

    stale = penholder.api.post(
        f"/letters/{draft['id']}/versions", {"body": "Other.", "note": "Other", "base_version": 1}
    )

    assert stale.status_code == 409
    assert stale.json()["error"]["diff"] == f"/api/v1/letters/{draft['id']}/diff?from=1&to=2"
