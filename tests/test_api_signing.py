"""Signing through the API: version-bound signatures, stale hashes, re-confirmation, withdrawal."""

from tests.conftest import sign


def new_version(penholder, letter, body="A softer text.", base=1):
    response = penholder.api.post(
        f"/letters/{letter['id']}/versions", {"body": body, "note": "n", "base_version": base}
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_an_invited_signer_signs_the_version_it_was_shown(signer, circulating):
    response = sign(signer, circulating)

    assert response.status_code == 201
    assert response.json() | {"signed_at": None, "log_index": None} == {
        "organisation": "pak",
        "version": 1,
        "late": False,
        "live": True,
        "withdrawn_at": None,
        "signed_at": None,
        "log_index": None,
    }


def test_a_double_click_makes_one_signature(signer, circulating, penholder):
    first, second = sign(signer, circulating), sign(signer, circulating)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["log_index"] == second.json()["log_index"]
    counts = penholder.api.get(f"/letters/{circulating['id']}").json()["counts"]
    assert counts[0]["count"] == 1


def test_a_stale_hash_is_refused_with_a_pointer_to_the_diff(signer, circulating, penholder):
    shown = signer.api.get(f"/letters/{circulating['id']}").json()
    new_version(penholder, circulating)

    response = signer.api.post(
        f"/letters/{circulating['id']}/signatures", {"version": 1, "version_hash": shown["current_hash"]}
    )

    assert response.status_code == 409
    assert response.json()["error"]["diff"] == f"/api/v1/letters/{circulating['id']}/diff?from=1&to=2"
    assert penholder.api.get(f"/letters/{circulating['id']}").json()["signatures"] == []


def test_a_hash_that_names_no_version_is_refused(signer, circulating):
    response = signer.api.post(f"/letters/{circulating['id']}/signatures", {"version": 1, "version_hash": "0" * 64})

    assert response.status_code == 409


def test_earlier_signatures_stay_bound_to_their_version_and_reconfirmation_moves_the_live_one(
    signer, second_signer, circulating, penholder
):
    sign(signer, circulating)
    sign(second_signer, circulating)
    new_version(penholder, circulating)

    reconfirmed = sign(signer, circulating)

    assert reconfirmed.status_code == 201 and reconfirmed.json()["version"] == 2
    letter = penholder.api.get(f"/letters/{circulating['id']}").json()
    assert [(c["version"], c["count"]) for c in letter["counts"]] == [(1, 1), (2, 1)]
    by_org = {(s["organisation"], s["version"]): s["live"] for s in letter["signatures"]}
    assert by_org == {("pak", 1): False, ("cub", 1): True, ("pak", 2): True}


def test_a_signer_withdraws_with_a_reason_and_the_signature_stays_in_history(signer, circulating, penholder):
    sign(signer, circulating)

    response = signer.api.post(f"/letters/{circulating['id']}/withdraw", {"reason": "Instructions from capital"})

    assert response.status_code == 201
    assert response.json()["live"] is False and response.json()["withdrawn_at"]
    letter = penholder.api.get(f"/letters/{circulating['id']}").json()
    assert letter["counts"][0]["count"] == 0
    assert len(letter["signatures"]) == 1


def test_a_repeated_withdrawal_answers_200_and_withdrawing_without_a_signature_is_a_conflict(
    signer, second_signer, circulating
):
    sign(signer, circulating)
    first = signer.api.post(f"/letters/{circulating['id']}/withdraw", {})
    second = signer.api.post(f"/letters/{circulating['id']}/withdraw", {})
    never_signed = second_signer.api.post(f"/letters/{circulating['id']}/withdraw", {})

    assert (first.status_code, second.status_code, never_signed.status_code) == (201, 200, 409)


def test_a_signer_may_sign_again_after_withdrawing(signer, circulating, penholder):
    sign(signer, circulating)
    signer.api.post(f"/letters/{circulating['id']}/withdraw", {})

    again = sign(signer, circulating)

    assert again.status_code == 201
    assert penholder.api.get(f"/letters/{circulating['id']}").json()["counts"][0]["count"] == 1


def test_a_viewer_of_an_invited_organisation_may_read_but_not_sign(viewer, circulating):
    assert viewer.api.get(f"/letters/{circulating['id']}").status_code == 200
    assert sign(viewer, circulating).status_code == 403


def test_the_penholders_own_signer_may_sign(penholder_signer, circulating):
    assert sign(penholder_signer, circulating).status_code == 201


def test_a_draft_cannot_be_signed_even_by_the_penholder(penholder_signer, draft):
    assert sign(penholder_signer, draft).status_code == 409


def test_invitees_do_not_see_a_draft(signer, draft):
    assert signer.api.get(f"/letters/{draft['id']}").status_code == 404


def test_names_are_hidden_from_invitees_unless_the_penholder_chooses_otherwise(
    signer, second_signer, circulating, penholder
):
    sign(signer, circulating)
    sign(second_signer, circulating)

    mine_only = signer.api.get(f"/letters/{circulating['id']}").json()["signatures"]
    penholder.api.post(f"/letters/{circulating['id']}/visibility", {"names_visible_to": "invitees"})
    everyone = signer.api.get(f"/letters/{circulating['id']}").json()["signatures"]

    assert [s["organisation"] for s in mine_only] == ["pak"]
    assert sorted(s["organisation"] for s in everyone) == ["cub", "pak"]


def test_the_penholder_sees_who_has_opened_which_version_and_invitees_do_not(signer, viewer, circulating, penholder):
    signer.api.get(f"/letters/{circulating['id']}")
    new_version(penholder, circulating)
    viewer.api.get(f"/letters/{circulating['id']}/versions/2")

    seen = penholder.api.get(f"/letters/{circulating['id']}").json()["seen_by"]

    assert seen == {"pak": [1, 2]}
    assert signer.api.get(f"/letters/{circulating['id']}").json()["seen_by"] is None


def test_refusals_come_in_the_readers_language(signer, circulating, penholder):
    shown = signer.api.get(f"/letters/{circulating['id']}").json()
    new_version(penholder, circulating)
    body = {"version": 1, "version_hash": shown["current_hash"]}

    refused = signer.api.client.post(
        f"/api/v1/letters/{circulating['id']}/signatures",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
        **signer.api.headers,
    )

    assert refused.status_code == 409
    assert refused.json()["error"]["message"].startswith("On vous a montré la version 1")
