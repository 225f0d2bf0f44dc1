"""Closing, delivering, late signatures, addenda, acknowledgement, publication and abandonment."""

from tests.conftest import sign


def deliver(penholder, letter, version=1):
    return penholder.api.post(f"/letters/{letter['id']}/deliver", {"version": version})


def test_a_delivery_binds_the_version_and_its_signatories_in_the_order_they_signed(
    penholder, signer, second_signer, penholder_signer, circulating
):
    for persona in (second_signer, signer, penholder_signer):
        sign(persona, circulating)
    penholder.api.post(f"/letters/{circulating['id']}/close")

    response = deliver(penholder, circulating)

    assert response.status_code == 201
    delivery = response.json()
    assert delivery["signatories"] == ["cub", "pak", "chn"]
    assert delivery["version"] == 1 and len(delivery["hash"]) == 64
    assert penholder.api.get(f"/letters/{circulating['id']}").json()["status"] == "delivered"


def test_the_addressee_sees_the_delivered_letter_and_acknowledges_receipt_once(
    penholder, signer, addressee, circulating
):
    sign(signer, circulating)
    delivery = deliver(penholder, circulating).json()

    first = addressee.api.post(f"/deliveries/{delivery['id']}/acknowledge")
    second = addressee.api.post(f"/deliveries/{delivery['id']}/acknowledge")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["acknowledged_at"] == second.json()["acknowledged_at"]
    assert addressee.api.get(f"/letters/{circulating['id']}").status_code == 200


def test_the_addressee_does_not_see_the_letter_before_delivery(addressee, circulating):
    assert addressee.api.get(f"/letters/{circulating['id']}").status_code == 404


def test_nobody_but_the_addressee_acknowledges(penholder, signer, outsider, circulating):
    sign(signer, circulating)
    delivery = deliver(penholder, circulating).json()

    assert signer.api.post(f"/deliveries/{delivery['id']}/acknowledge").status_code == 404
    assert outsider.api.post(f"/deliveries/{delivery['id']}/acknowledge").status_code == 404
    assert penholder.api.post(f"/deliveries/{delivery['id']}/acknowledge").status_code == 404


def test_signatures_after_delivery_are_late_and_go_in_an_addendum_with_the_withdrawals(
    penholder, signer, second_signer, circulating
):
    sign(signer, circulating)
    first = deliver(penholder, circulating).json()

    late = sign(second_signer, circulating)
    signer.api.post(f"/letters/{circulating['id']}/withdraw", {"reason": "late withdrawal"})
    addendum = deliver(penholder, circulating)

    assert late.json()["late"] is True
    assert addendum.status_code == 201
    assert addendum.json()["addendum_to"] == first["hash"]
    assert (addendum.json()["signatories"], addendum.json()["withdrawn"]) == (["cub"], ["pak"])
    letter = penholder.api.get(f"/letters/{circulating['id']}").json()
    assert [d["signatories"] for d in letter["deliveries"]] == [["pak"], ["cub"]]


def test_delivering_again_with_nothing_new_answers_with_the_last_delivery(penholder, signer, circulating):
    sign(signer, circulating)
    first = deliver(penholder, circulating)
    again = deliver(penholder, circulating)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_a_letter_nobody_signed_cannot_be_delivered(penholder, circulating):
    response = deliver(penholder, circulating)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_signatories"


def test_publication_makes_text_and_names_public(penholder, signer, circulating, anonymous):
    sign(signer, circulating)
    deliver(penholder, circulating)

    before = anonymous.get(f"/public/letters/{circulating['handle']}").json()
    published = penholder.api.post(f"/letters/{circulating['id']}/publish")
    after = anonymous.get(f"/public/letters/{circulating['handle']}").json()

    assert published.status_code == 201
    assert "title" not in before or before["title"] is None
    assert before.get("signatories") is None
    assert after["title"] == circulating["title"] and after["signatories"] == ["pak"]


def test_illegal_transitions_are_refused_with_the_current_state(penholder, draft, circulating):
    publish_circulating = penholder.api.post(f"/letters/{circulating['id']}/publish")

    assert publish_circulating.status_code == 409
    assert publish_circulating.json()["error"]["code"] == "illegal_transition"
    assert "circulating" in publish_circulating.json()["error"]["message"]


def test_a_closed_letter_takes_no_new_version_and_no_signature(penholder, signer, circulating):
    penholder.api.post(f"/letters/{circulating['id']}/close")

    edit = penholder.api.post(f"/letters/{circulating['id']}/versions", {"body": "x", "note": "n", "base_version": 1})

    assert edit.status_code == 409
    assert sign(signer, circulating).status_code == 409


def test_an_abandoned_letter_can_no_longer_be_delivered_and_a_delivered_one_cannot_be_abandoned(
    penholder, signer, circulating
):
    other = penholder.api.post("/letters", {"title": "Other", "addressee": "ohchr", "body": "b", "note": "n"}).json()
    abandoned = penholder.api.post(f"/letters/{other['id']}/abandon")
    sign(signer, circulating)
    deliver(penholder, circulating)

    assert abandoned.status_code == 201
    assert deliver(penholder, other).status_code == 409
    assert penholder.api.post(f"/letters/{circulating['id']}/abandon").status_code == 409


def test_only_the_current_version_can_be_delivered(penholder, signer, circulating):
    sign(signer, circulating)
    penholder.api.post(f"/letters/{circulating['id']}/versions", {"body": "v2", "note": "n", "base_version": 1})

    response = deliver(penholder, circulating, version=1)

    assert response.status_code == 409


def test_circulating_to_nobody_but_the_penholder_and_addressee_is_refused(penholder, draft):
    response = penholder.api.post(f"/letters/{draft['id']}/circulate", {"invitees": ["chn", "ohchr"]})

    assert response.status_code == 422
    assert penholder.api.get(f"/letters/{draft['id']}").json()["status"] == "draft"


def test_a_signer_may_withdraw_from_a_closed_letter_but_not_from_an_abandoned_one(penholder, signer, circulating):
    sign(signer, circulating)
    penholder.api.post(f"/letters/{circulating['id']}/close")
    assert signer.api.post(f"/letters/{circulating['id']}/withdraw", {}).status_code == 201

    sign_again_refused = sign(signer, circulating)
    penholder.api.post(f"/letters/{circulating['id']}/abandon")

    assert sign_again_refused.status_code == 409
    assert signer.api.post(f"/letters/{circulating['id']}/withdraw", {}).status_code == 409
