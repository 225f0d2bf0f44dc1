"""At most 1,000 invitees in one circulation: the action refuses more whoever calls it (the API,
the web form and the demo all go through it), and 1,000 is not refused for being too many.
Copies of one valid slug make the count exact without a thousand organisations."""

import pytest

from core.errors import Invalid
from letters import actions
from letters.models import Invitation, Letter


def invited(letter):
    return Invitation.objects.filter(letter_id=letter["id"]).count()


def test_the_action_refuses_1001_invitees_naming_the_field_and_invites_nobody(penholder, draft):
    with pytest.raises(Invalid) as refused:
        actions.circulate(penholder.user, draft["id"], invitees=["pak"] * 1001)

    assert refused.value.details == {"field": "invitees"}
    assert invited(draft) == 0
    assert Letter.objects.get(pk=draft["id"]).status == "draft"


def test_the_action_takes_1000_invitees(penholder, draft):
    outcome = actions.circulate(penholder.user, draft["id"], invitees=["pak"] * 999 + ["cub"])

    assert outcome.created
    assert invited(draft) == 2


def test_the_web_form_refuses_1001_invitees_with_422(penholder, draft):
    typed = ", ".join(["pak"] * 1001)

    response = penholder.web.post(f"/letters/{draft['id']}/circulate", {"invitees": typed})

    assert response.status_code == 422
    assert invited(draft) == 0


def test_the_api_refuses_1001_invitees_with_422_and_takes_1000(penholder, draft):
    too_many = penholder.api.post(f"/letters/{draft['id']}/circulate", {"invitees": ["pak"] * 1001})
    assert too_many.status_code == 422
    assert invited(draft) == 0

    enough = penholder.api.post(f"/letters/{draft['id']}/circulate", {"invitees": ["pak"] * 1000})
    assert enough.status_code == 201
    assert invited(draft) == 1
