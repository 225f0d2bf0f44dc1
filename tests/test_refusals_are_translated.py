"""Refusals reach people in their language, the domain's input checks included."""

import pytest
from django.utils import translation

from core.errors import Invalid
from letters import actions


def test_a_missing_letter_is_refused_in_french(penholder):
    response = penholder.api.client.get("/api/v1/letters/999999", HTTP_ACCEPT_LANGUAGE="fr", **penholder.api.headers)

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Lettre introuvable."


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Au plus 1000 invités à la fois."), ("ru", "Не более 1000 приглашённых за один раз.")],
)
def test_too_many_invitees_is_refused_in_the_readers_language(penholder, draft, language, expected):
    with translation.override(language), pytest.raises(Invalid) as refused:
        actions.circulate(penholder.user, draft["id"], invitees=["pak"] * 1001)

    assert refused.value.message == expected
