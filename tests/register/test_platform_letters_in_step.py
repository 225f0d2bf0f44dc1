"""A letter of this platform is a text of the register, kept in step by the letter's own actions:
the penholder circulates, signers sign and withdraw, the penholder delivers and publishes, and
anyone reads the register's API. Before publication the register shows the proven count alone;
from publication on, the names. A refused action leaves the register as it was."""

from django.conf import settings

from letters.actions import signing
from orgs.actors import actor_of
from tests.conftest import sign


def in_register(anonymous, letter):
    """The letter's text as the register's API answers anyone (None when it is not there)."""
    response = anonymous.get(f"/register/texts/letter:{letter['handle']}")
    assert response.status_code in (200, 404), response.content
    return response.json() if response.status_code == 200 else None


def deliver(penholder, letter):
    response = penholder.api.post(f"/letters/{letter['id']}/deliver", {"version": 1})
    assert response.status_code == 201, response.content


def publish(penholder, letter):
    response = penholder.api.post(f"/letters/{letter['id']}/publish")
    assert response.status_code in (200, 201), response.content


def test_a_draft_is_not_in_the_register(draft, anonymous):
    assert in_register(anonymous, draft) is None


def test_a_circulating_letter_shows_its_proven_count_and_no_name(circulating, signer, second_signer, anonymous):
    assert in_register(anonymous, circulating)["reported_count"] == 0

    sign(signer, circulating)
    sign(second_signer, circulating)

    text = in_register(anonymous, circulating)
    assert (text["kind"], text["reported_count"], text["listed_count"]) == ("joint_letter", 2, 0)
    assert (text["title"], text["lead"], text["participants"], text["live"]) == ("", None, [], [])
    assert text["source"] == f"{settings.SITE_URL.rstrip('/')}/p/{circulating['handle']}"


def test_a_withdrawal_lowers_the_count_in_the_same_request(circulating, signer, second_signer, anonymous):
    sign(signer, circulating)
    sign(second_signer, circulating)

    signer.api.post(f"/letters/{circulating['id']}/withdraw", {"reason": "Instructions from capital"})

    assert in_register(anonymous, circulating)["reported_count"] == 1


def test_closing_and_delivering_keep_the_count_and_the_names_confidential(
    circulating, penholder, signer, second_signer, anonymous
):
    sign(signer, circulating)
    sign(second_signer, circulating)
    penholder.api.post(f"/letters/{circulating['id']}/close")

    deliver(penholder, circulating)

    text = in_register(anonymous, circulating)
    assert (text["reported_count"], text["participants"], text["title"]) == (2, [], "")


def test_once_published_the_register_names_the_signatories_with_provenance_signed(
    circulating, penholder, signer, second_signer, anonymous
):
    sign(signer, circulating)
    sign(second_signer, circulating)
    deliver(penholder, circulating)

    publish(penholder, circulating)

    text = in_register(anonymous, circulating)
    assert (text["title"], text["lead"], text["reported_count"]) == ("Joint letter on the assessment", "CHN", 2)
    assert text["live"] == ["CUB", "PAK"] and text["listed_count"] == 2
    assert {(p["country"], p["event"], p["provenance"], p["source"]) for p in text["participants"]} == {
        ("PAK", "signed", "signed", text["source"]),
        ("CUB", "signed", "signed", text["source"]),
    }


def test_after_publication_a_late_signature_joins_and_a_withdrawal_is_named(
    circulating, penholder, penholder_signer, signer, second_signer, anonymous
):
    sign(signer, circulating)
    deliver(penholder, circulating)
    publish(penholder, circulating)

    sign(second_signer, circulating)
    signer.api.post(f"/letters/{circulating['id']}/withdraw", {"reason": "Instructions from capital"})

    text = in_register(anonymous, circulating)
    assert [(p["country"], p["event"]) for p in text["participants"]] == [
        ("CUB", "joined"),
        ("PAK", "signed"),
        ("PAK", "withdrew"),
    ]
    assert (text["live"], text["reported_count"]) == (["CUB"], 1)


def test_an_abandoned_letter_leaves_the_register(circulating, penholder, anonymous):
    penholder.api.post(f"/letters/{circulating['id']}/abandon")

    assert in_register(anonymous, circulating) is None


def test_an_organisation_that_is_no_state_is_not_counted(circulating, penholder, addressee, signer, anonymous):
    sign(signer, circulating)

    assert in_register(anonymous, circulating)["reported_count"] == 1  # pak; the addressee cannot sign


def test_a_refused_action_leaves_the_register_as_it_was(circulating, penholder, signer, outsider, anonymous):
    sign(signer, circulating)
    before = in_register(anonymous, circulating)

    assert penholder.api.post(f"/letters/{circulating['id']}/publish").status_code == 409  # not delivered
    never_invited = outsider.api.post(
        f"/letters/{circulating['id']}/signatures", {"version": 1, "version_hash": circulating["current_hash"]}
    )
    assert never_invited.status_code == 404
    assert signer.api.post(f"/letters/{circulating['id']}/circulate", {"invitees": ["usa"]}).status_code == 403

    assert in_register(anonymous, circulating) == before


def test_when_the_register_cannot_follow_the_letter_keeps_its_state(
    circulating, penholder, signer, anonymous, monkeypatch
):
    """The register is written in the transaction of the letter's event: if it fails after
    writing, neither the letter's event nor the register's change is kept."""
    from register import platform

    sign(signer, circulating)
    deliver(penholder, circulating)
    record_letter = platform.record_letter

    def records_then_fails(**values):
        record_letter(**values)
        raise RuntimeError("the register failed")

    monkeypatch.setattr(platform, "record_letter", records_then_fails)
    assert penholder.api.post(f"/letters/{circulating['id']}/publish").status_code == 500
    monkeypatch.undo()

    assert penholder.api.get(f"/letters/{circulating['id']}").json()["status"] == "delivered"
    assert in_register(anonymous, circulating)["participants"] == []


def test_a_signing_batch_pays_two_statements_for_the_register_however_many_it_signs(
    circulating, signer, second_signer, monkeypatch
):
    """The signing path's fixed cost per batch: one statement reads the counts of the batch's
    letters, one sets them, whether the batch holds one signature or several."""
    version_hash = circulating["current_hash"]

    def statements_of_a_batch(personas, with_register=True):
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext

        requests = [
            signing._SignRequest(actor_of(p.user), circulating["id"], 1, version_hash, None, signing.now(None), "en")
            for p in personas
        ]
        if not with_register:
            monkeypatch.setattr(signing, "keep_counts_in_register", lambda letters: None)
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            signing._sign_batch(requests)
            transaction.set_rollback(True)
        monkeypatch.undo()
        return len(captured)

    # Compared batch by batch: on PostgreSQL the log's rows of a batch of several go in by COPY,
    # which the capture does not see, so a batch of one shows more statements than one of two.
    for batch in ([signer], [signer, second_signer]):
        assert statements_of_a_batch(batch) == statements_of_a_batch(batch, with_register=False) + 2
