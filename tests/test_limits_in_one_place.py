"""Each limit of a letter's inputs is written once (letters/limits.py) and every door says the
same: the action refuses one character more, the API's OpenAPI document declares it, the
pages' forms give it to the browser, and the database column is sized by it."""

import re

import pytest

from core.errors import Invalid
from letters import actions, limits
from letters.models import Letter, Signature, Version
from tests.conftest import LETTER, sign


def test_the_penholder_may_write_a_title_of_the_limit_and_not_one_character_more(penholder):
    at_limit = actions.create_letter(penholder.user, **{**LETTER, "title": "t" * limits.TITLE})
    assert at_limit.created

    with pytest.raises(Invalid) as refused:
        actions.create_letter(penholder.user, **{**LETTER, "title": "t" * (limits.TITLE + 1)})
    assert f"the limit is {limits.TITLE}" in str(refused.value)


@pytest.mark.parametrize(
    "schema, field, limit",
    [
        ("LetterIn", "title", limits.TITLE),
        ("LetterIn", "body", limits.BODY),
        ("LetterIn", "note", limits.NOTE),
        ("LetterIn", "language", limits.LANGUAGE),
        ("LetterIn", "addressee", limits.SLUG),
        ("VersionIn", "title", limits.TITLE),
        ("VersionIn", "body", limits.BODY),
        ("VersionIn", "note", limits.NOTE),
        ("CirculateIn", "message", limits.MESSAGE),
        ("CirculateIn", "invitees", limits.INVITEES),
        ("WithdrawIn", "reason", limits.REASON),
        ("SignIn", "organisation", limits.SLUG),
    ],
)
def test_the_openapi_document_declares_the_limit_the_action_enforces(anonymous, schema, field, limit):
    document = anonymous.get("/openapi.json").json()
    declared = document["components"]["schemas"][schema]["properties"][field]
    options = declared.get("anyOf", [declared])
    assert limit in [option.get("maxLength", option.get("maxItems")) for option in options]


def maxlength(page: str, name: str) -> int:
    return int(re.search(rf'name="{name}"[^>]*maxlength="(\d+)"', page).group(1))


def test_the_compose_form_gives_the_browser_the_title_and_note_limits(penholder):
    page = penholder.web.get("/letters/new/").content.decode()
    assert (maxlength(page, "title"), maxlength(page, "note")) == (limits.TITLE, limits.NOTE)


def test_the_revise_form_gives_the_browser_the_title_and_note_limits(penholder, draft):
    page = penholder.web.get(f"/letters/{draft['id']}/revise/").content.decode()
    assert (maxlength(page, "title"), maxlength(page, "note")) == (limits.TITLE, limits.NOTE)


def test_the_withdrawal_form_gives_the_browser_the_reason_limit(signer, circulating):
    assert sign(signer, circulating).status_code == 201
    page = signer.web.get(f"/letters/{circulating['id']}/").content.decode()
    assert maxlength(page, "reason") == limits.REASON


def test_the_columns_are_sized_by_the_same_limits():
    assert Version._meta.get_field("title").max_length == limits.TITLE
    assert Version._meta.get_field("note").max_length == limits.NOTE
    assert Signature._meta.get_field("withdrawal_reason").max_length == limits.REASON
    assert Letter._meta.get_field("language").max_length == limits.LANGUAGE
