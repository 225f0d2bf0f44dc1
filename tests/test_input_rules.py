"""Bad input gets a clear error, names the field, and changes nothing.

Invisible characters that can make a text read differently from what is signed are refused in
every text a person types; strict request shapes refuse unknown fields and values of the wrong
type; a letter cannot be addressed to its own penholder; a changed deadline lies in the future."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from letters.models import Letter, Signature, Version
from orgs.actions import add_organisation
from orgs.models import Organisation
from tests.conftest import LETTER, sign
from undersigned.cli import main

RLO = "\u202e"

# Each refused character, with the name the refusal gives it.
REFUSED = [
    ("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING"),
    ("\u202b", "U+202B RIGHT-TO-LEFT EMBEDDING"),
    ("\u202c", "U+202C POP DIRECTIONAL FORMATTING"),
    ("\u202d", "U+202D LEFT-TO-RIGHT OVERRIDE"),
    ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("\u2067", "U+2067 RIGHT-TO-LEFT ISOLATE"),
    ("\u2068", "U+2068 FIRST STRONG ISOLATE"),
    ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE"),
    ("\u200b", "U+200B ZERO WIDTH SPACE"),
    ("\u2060", "U+2060 WORD JOINER"),
    ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("\u00ad", "U+00AD SOFT HYPHEN"),
    ("\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),
    ("\x1b", "U+001B CONTROL CHARACTER"),
    ("\x00", "U+0000 CONTROL CHARACTER"),
    ("\u2028", "U+2028 LINE SEPARATOR"),
]

# Characters that writing systems need, accepted in every field.
ALLOWED = {
    "Persian with a zero width non-joiner": "نامه\u200cای مشترک",
    "an emoji joined by a zero width joiner": "Health workers \U0001f469\u200d\u2695\ufe0f",
    "Arabic with a right-to-left mark": "رسالة مشتركة\u200f (2022)",
    "Hebrew with a left-to-right mark": "מכתב משותף \u200eUN-2022",
    "Arabic with an Arabic letter mark": "الفقرة \u061c٣",
    "the Arabic number sign, a visible sign": "\u0600١٢٣",
}


def letter_with(**fields):
    return {**LETTER, **fields}


# ------------------------------------------------------------------ invisible characters


@pytest.mark.parametrize("character, name", REFUSED)
def test_the_penholder_cannot_hide_a_character_in_the_title(penholder, character, name):
    response = penholder.api.post("/letters", letter_with(title=f"Joint letter {character}on evil"))

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["message"].startswith(f"title contains {name}, an invisible")
    assert (error["field"], error["character"]) == ("title", name.split()[0])
    assert not Letter.objects.exists()


def test_the_refusal_says_why_the_character_matters(penholder):
    message = penholder.api.post("/letters", letter_with(title=f"{RLO}live")).json()["error"]["message"]

    assert message == (
        "title contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible control character that can "
        "make text read differently from what is signed; remove it."
    )


@pytest.mark.parametrize("field", ["body", "note"])
def test_the_penholder_cannot_hide_an_override_in_the_text_or_the_note(penholder, field):
    response = penholder.api.post("/letters", letter_with(**{field: f"We urge {RLO}live"}))

    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    assert not Letter.objects.exists()


def test_a_new_version_cannot_hide_an_override_in_its_title(penholder, draft):
    response = penholder.api.post(
        f"/letters/{draft['id']}/versions", {"title": f"{RLO}live", "body": "New", "note": "Why", "base_version": 1}
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "title"
    assert Version.objects.filter(letter_id=draft["id"]).count() == 1


def test_the_circulation_message_cannot_hide_an_isolate(penholder, draft, signer):
    response = penholder.api.post(
        f"/letters/{draft['id']}/circulate", {"invitees": ["pak"], "message": "Please sign \u2067this\u2069"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "message"
    assert Letter.objects.get(pk=draft["id"]).status == "draft"


def test_a_withdrawal_reason_cannot_hide_an_override(signer, circulating):
    sign(signer, circulating)

    response = signer.api.post(f"/letters/{circulating['id']}/withdraw", {"reason": f"{RLO}dengis"})

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "reason"
    assert Signature.objects.get().is_live


@pytest.mark.parametrize("text", ALLOWED.values(), ids=ALLOWED.keys())
def test_the_characters_writing_systems_need_are_accepted(penholder, text):
    response = penholder.api.post("/letters", letter_with(title=text, body=f"{text}\n\n\tIndented.", note=text))

    assert response.status_code == 201, response.content
    assert response.json()["title"] == text


def test_an_operator_cannot_give_an_organisation_a_name_with_an_override(db):
    from core.errors import Invalid

    with pytest.raises(Invalid, match="name contains U\\+202E RIGHT-TO-LEFT OVERRIDE"):
        add_organisation("evil", f"Mission of {RLO}live", "ngo")
    assert not Organisation.objects.filter(slug="evil").exists()


def test_org_add_refuses_an_override_in_the_name_and_exits_non_zero(db, capsys):
    assert main(["org", "add", "evil", "--name", f"{RLO}live", "--kind", "ngo"]) == 1

    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in capsys.readouterr().err
    assert not Organisation.objects.filter(slug="evil").exists()


def test_org_add_accepts_a_name_in_arabic_with_its_marks(db):
    assert main(["org", "add", "lbn", "--name", "لبنان\u200f", "--kind", "state"]) == 0


# ------------------------------------------------------------------ strict request shapes


def test_an_unknown_field_is_refused_naming_it(penholder):
    response = penholder.api.post("/letters", letter_with(colour="red"))

    assert response.status_code == 422
    assert response.json() == {
        "error": {"code": "invalid", "field": "colour", "message": "colour: Extra inputs are not permitted"}
    }
    assert not Letter.objects.exists()


@pytest.mark.parametrize("version", [True, "1", 1.0])
def test_a_version_that_is_not_a_json_integer_is_refused(penholder, signer, circulating, version):
    sign(signer, circulating)

    response = penholder.api.post(f"/letters/{circulating['id']}/deliver", {"version": version})

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "version"
    assert response.json()["error"]["message"].startswith("version: ")
    assert Letter.objects.get(pk=circulating["id"]).status == "circulating"


def test_the_signer_cannot_sign_version_true(signer, circulating):
    shown = signer.api.get(f"/letters/{circulating['id']}").json()

    response = signer.api.post(
        f"/letters/{circulating['id']}/signatures", {"version": True, "version_hash": shown["current_hash"]}
    )

    assert response.status_code == 422
    assert not Signature.objects.exists()


def test_a_new_version_based_on_true_is_refused(penholder, draft):
    response = penholder.api.post(
        f"/letters/{draft['id']}/versions", {"body": "New", "note": "Why", "base_version": True}
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "base_version"


@pytest.mark.parametrize(
    "path, body",
    [
        ("/versions", {"body": "New", "note": "Why", "base_version": 1, "addressee": "usa"}),
        ("/circulate", {"invitees": ["pak"], "names": "public"}),
        ("/visibility", {"names_visible_to": "public", "extra": 1}),
        ("/withdraw", {"reason": "", "organization": "pak"}),
        ("/deliver", {"version": 1, "signatories": ["pak"]}),
    ],
)
def test_every_request_shape_refuses_unknown_fields(penholder, draft, path, body):
    response = penholder.api.post(f"/letters/{draft['id']}{path}", body)

    assert response.status_code == 422
    assert (
        response.json()["error"]["field"]
        == (set(body) - {"body", "note", "base_version", "invitees", "names_visible_to", "reason", "version"}).pop()
    )


def test_a_deadline_given_as_a_number_is_refused(penholder, draft, signer):
    response = penholder.api.post(f"/letters/{draft['id']}/circulate", {"invitees": ["pak"], "deadline": 1893456000})

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "deadline"
    assert Letter.objects.get(pk=draft["id"]).status == "draft"


def test_a_body_that_is_not_an_object_names_the_body(penholder, draft):
    response = penholder.api.post(f"/letters/{draft['id']}/deliver", raw="[1]")

    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("body: ")


def test_the_openapi_document_still_generates_and_says_the_shapes_are_closed(anonymous):
    response = anonymous.get("/openapi.json")

    assert response.status_code == 200
    schemas = response.json()["components"]["schemas"]
    assert schemas["LetterIn"]["additionalProperties"] is False
    assert schemas["DeliverIn"]["additionalProperties"] is False


# ------------------------------------------------------------------ what a letter may say


def test_the_penholder_cannot_address_a_letter_to_its_own_organisation(penholder):
    response = penholder.api.post("/letters", letter_with(addressee="chn"))

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "addressee"
    assert not Letter.objects.exists()


def in_days(days):
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def test_a_deadline_in_the_past_is_refused_on_circulation(penholder, draft, signer):
    response = penholder.api.post(f"/letters/{draft['id']}/circulate", {"invitees": ["pak"], "deadline": in_days(-1)})

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "deadline"
    assert Letter.objects.get(pk=draft["id"]).status == "draft"


def test_a_deadline_cannot_be_moved_into_the_past(penholder, draft, signer, second_signer):
    penholder.api.post(f"/letters/{draft['id']}/circulate", {"invitees": ["pak"], "deadline": in_days(3)})

    response = penholder.api.post(f"/letters/{draft['id']}/circulate", {"invitees": ["cub"], "deadline": in_days(-1)})

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "deadline"
    assert not Letter.objects.get(pk=draft["id"]).invitations.filter(organisation__slug="cub").exists()


def test_more_invitees_may_be_added_with_the_deadline_unchanged_after_it_passed(
    penholder, draft, signer, second_signer
):
    from letters import actions

    deadline = timezone.now() + datetime.timedelta(days=3)
    actions.circulate(penholder.user, draft["id"], invitees=["pak"], deadline=deadline)
    after_the_deadline = deadline + datetime.timedelta(days=1)

    outcome = actions.circulate(
        penholder.user, draft["id"], invitees=["cub"], deadline=deadline.isoformat(), at=after_the_deadline
    )

    assert outcome.created
    assert Letter.objects.get(pk=draft["id"]).invitations.filter(organisation__slug="cub").exists()


def test_a_bad_names_visible_to_is_refused_even_when_nothing_else_changes(penholder, circulating):
    response = penholder.api.post(
        f"/letters/{circulating['id']}/circulate", {"invitees": ["pak"], "names_visible_to": "everybody"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "names_visible_to"


def test_names_visible_to_is_applied_when_it_is_the_only_change(penholder, circulating):
    response = penholder.api.post(
        f"/letters/{circulating['id']}/circulate", {"invitees": ["pak"], "names_visible_to": "invitees"}
    )

    assert response.status_code == 201
    assert Letter.objects.get(pk=circulating["id"]).names_visible_to == "invitees"


@pytest.mark.parametrize("language", ["ру", "en-\u202eGB", "ｅｎ"])
def test_a_language_tag_is_ascii(penholder, language):
    response = penholder.api.post("/letters", letter_with(language=language))

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "language"
    assert not Letter.objects.exists()


# ------------------------------------------------------------------ the command line


def test_member_add_refuses_a_username_longer_than_django_allows(orgs, capsys):
    assert main(["member", "add", "a" * 500, "--org", "chn", "--role", "signer"]) == 1

    error = capsys.readouterr().err
    assert "username" in error and "at most 150 characters" in error
    assert not get_user_model().objects.filter(username__startswith="aaa").exists()


@pytest.mark.parametrize("username", ["has space", f"{RLO}nimda", ""])
def test_member_add_refuses_a_username_django_would_not_accept(orgs, capsys, username):
    assert main(["member", "add", username, "--org", "chn", "--role", "signer"]) == 1

    assert "username" in capsys.readouterr().err
    assert not get_user_model().objects.exists()


def test_member_add_refuses_an_address_that_is_not_an_email_address(orgs, capsys):
    assert main(["member", "add", "ana", "--org", "chn", "--role", "signer", "--email", "not an address"]) == 1

    assert "email" in capsys.readouterr().err
    assert not get_user_model().objects.filter(username="ana").exists()


@pytest.mark.parametrize(
    "arguments, problem",
    [
        (["a" * 65, "--name", "A"], "slug"),
        (["long", "--name", "N" * 201], "name"),
        (["blank", "--name", "   "], "name"),
        (["mail", "--name", "Mail", "--email", "nowhere"], "email"),
    ],
)
def test_org_add_refuses_bad_input_with_a_reason_and_a_non_zero_exit(db, capsys, arguments, problem):
    assert main(["org", "add", *arguments, "--kind", "ngo"]) == 1

    assert problem in capsys.readouterr().err
    assert not Organisation.objects.exists()


def test_import_un_refuses_a_file_with_an_override_in_a_name_naming_the_line(db, tmp_path, capsys):
    states = tmp_path / "states.csv"
    states.write_text(
        "iso3,name,status,regional_group\n"
        "CHE,Switzerland,member,Western European and other States\n"
        f"EVL,{RLO}live,member,African States\n",
        encoding="utf-8",
    )

    assert main(["org", "import-un", "--csv", str(states)]) == 1

    error = capsys.readouterr().err
    assert f"{states}:3: name contains U+202E RIGHT-TO-LEFT OVERRIDE" in error
    assert not Organisation.objects.exists()


def test_import_un_refuses_a_file_without_the_columns_it_needs(db, tmp_path, capsys):
    states = tmp_path / "states.csv"
    states.write_text("iso3,name\nCHE,Switzerland\n", encoding="utf-8")

    assert main(["org", "import-un", "--csv", str(states)]) == 1

    assert "status" in capsys.readouterr().err
    assert not Organisation.objects.exists()


def test_import_un_refuses_a_file_that_is_not_utf8(db, tmp_path, capsys):
    states = tmp_path / "states.csv"
    states.write_bytes(b"iso3,name,status,regional_group\nCIV,C\xf4te d'Ivoire,member,African States\n")

    assert main(["org", "import-un", "--csv", str(states)]) == 1

    assert "cannot read" in capsys.readouterr().err
    assert not Organisation.objects.exists()
