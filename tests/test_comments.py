"""Comments on a draft: invitees write to the penholder; who reads what, by persona."""

import pytest

from letters import limits
from letters.models import Comment
from record.models import Entry


def comment(persona, letter, body="Please soften the second paragraph.", version=1):
    return persona.api.post(f"/letters/{letter['id']}/comments", {"version": version, "body": body})


def bodies(persona, letter):
    response = persona.api.get(f"/letters/{letter['id']}/comments")
    assert response.status_code == 200, response.content
    return [c["body"] for c in response.json()]


def share(persona, letter, shared=True):
    return persona.api.post(f"/letters/{letter['id']}/comments/sharing", {"shared": shared})


def test_an_invited_signer_comments_on_a_version_for_its_mission(circulating, signer):
    response = comment(signer, circulating)
    assert response.status_code == 201
    assert response.json()["organisation"] == "pak"
    assert response.json()["version"] == 1 and response.json()["author"] == "sigrid"


def test_the_same_comment_sent_twice_answers_200_with_the_first(circulating, signer):
    first = comment(signer, circulating).json()
    again = comment(signer, circulating)
    assert again.status_code == 200 and again.json()["id"] == first["id"]


def test_the_penholder_reads_every_comment(circulating, signer, second_signer, penholder):
    comment(signer, circulating, "From Pakistan")
    comment(second_signer, circulating, "From Cuba")
    assert bodies(penholder, circulating) == ["From Pakistan", "From Cuba"]


def test_an_invitee_reads_its_missions_comments_and_not_anothers(circulating, signer, second_signer, viewer):
    comment(signer, circulating, "From Pakistan")
    comment(second_signer, circulating, "From Cuba")
    assert bodies(signer, circulating) == ["From Pakistan"]
    assert bodies(viewer, circulating) == ["From Pakistan"]
    assert bodies(second_signer, circulating) == ["From Cuba"]


def test_invitees_read_every_comment_once_the_penholder_shares_them(circulating, signer, second_signer, penholder):
    comment(signer, circulating, "From Pakistan")
    comment(second_signer, circulating, "From Cuba")
    assert share(penholder, circulating).status_code == 201
    assert bodies(second_signer, circulating) == ["From Pakistan", "From Cuba"]
    assert share(penholder, circulating, False).json() == {"shared": False}
    assert bodies(second_signer, circulating) == ["From Cuba"]


def test_the_penholders_replies_reach_every_invitee(circulating, penholder, second_signer):
    assert comment(penholder, circulating, "Noted: softened in version 2").status_code == 201
    assert bodies(second_signer, circulating) == ["Noted: softened in version 2"]


def test_only_the_penholder_chooses_to_share(circulating, signer, outsider):
    assert share(signer, circulating).status_code == 403
    assert share(outsider, circulating).status_code == 404


def test_a_viewer_reads_but_does_not_comment(circulating, viewer):
    assert comment(viewer, circulating).status_code == 403


def test_the_addressee_reads_no_comment_and_writes_none(circulating, signer, penholder, addressee):
    from tests.conftest import sign

    comment(signer, circulating, "From Pakistan")
    assert sign(signer, circulating).status_code == 201
    assert penholder.api.post(f"/letters/{circulating['id']}/deliver", {"version": 1}).status_code == 201
    assert bodies(addressee, circulating) == []
    assert comment(addressee, circulating).status_code in (403, 409)


def test_the_outsider_and_anonymous_cannot_reach_the_comments(circulating, signer, outsider, anonymous):
    comment(signer, circulating)
    assert outsider.api.get(f"/letters/{circulating['id']}/comments").status_code == 404
    assert comment(outsider, circulating).status_code == 404
    assert anonymous.get(f"/letters/{circulating['id']}/comments").status_code == 401


def test_an_invitee_cannot_comment_on_a_draft_it_cannot_see(draft, signer):
    assert comment(signer, draft).status_code == 404


def test_comments_close_with_the_letter(circulating, signer, penholder):
    assert penholder.api.post(f"/letters/{circulating['id']}/close").status_code == 201
    assert comment(signer, circulating).status_code == 409


def test_a_comment_on_a_missing_version_is_refused(circulating, signer):
    assert comment(signer, circulating, version=7).status_code == 404


@pytest.mark.parametrize(
    "body, code",
    [("", 422), ("x" * (limits.COMMENT + 1), 422), ("Looks \u202eevil", 422)],
)
def test_empty_long_and_hostile_comments_are_refused(circulating, signer, body, code):
    assert comment(signer, circulating, body).status_code == code
    assert not Comment.objects.exists()


def test_a_comment_is_not_on_the_public_log(circulating, signer):
    entries = Entry.objects.count()
    assert comment(signer, circulating, "Confidential remark").status_code == 201
    assert Entry.objects.count() == entries


def test_a_refusal_is_in_the_readers_language(circulating, viewer):
    response = viewer.api.client.post(
        f"/api/v1/letters/{circulating['id']}/comments",
        '{"version": 1, "body": "Hola"}',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
        **viewer.api.headers,
    )
    assert response.status_code == 403
    assert "Solo los firmantes y redactores" in response.json()["error"]["message"]
