"""Every state change appends an event in its own transaction; the public sees counts, not names."""

import json

import pytest

from ledger.verify_command import main as verify_main
from record.models import Entry
from tests.conftest import LETTER, sign


def entries_of(handle):
    return [json.loads(bytes(e.data)) for e in Entry.objects.filter(handle=handle).order_by("index")]


def test_each_state_change_appends_one_chained_event(penholder, signer, addressee, circulating):
    sign(signer, circulating)
    penholder.api.post(f"/letters/{circulating['id']}/close")
    delivery = penholder.api.post(f"/letters/{circulating['id']}/deliver", {"version": 1}).json()
    addressee.api.post(f"/deliveries/{delivery['id']}/acknowledge")
    penholder.api.post(f"/letters/{circulating['id']}/publish")

    events = entries_of(circulating["handle"])

    assert [e["type"] for e in events] == [
        "letter.created",
        "letter.circulated",
        "signature.signed",
        "letter.closed",
        "letter.delivered",
        "delivery.acknowledged",
        "letter.published",
    ]
    assert [e["seq"] for e in events] == list(range(7))
    assert events[0]["prev"] is None and all(e["prev"] for e in events[1:])


def test_a_refused_request_appends_nothing(penholder, signer, circulating):
    before = Entry.objects.count()

    penholder.api.post(f"/letters/{circulating['id']}/publish")
    signer.api.post(f"/letters/{circulating['id']}/signatures", {"version": 1, "version_hash": "f" * 64})
    signer.api.post(f"/letters/{circulating['id']}/withdraw", {})

    assert Entry.objects.count() == before


def test_a_repeated_request_appends_nothing(signer, circulating):
    sign(signer, circulating)
    before = Entry.objects.count()

    sign(signer, circulating)

    assert Entry.objects.count() == before


def test_entries_never_contain_names_or_text_of_an_unpublished_letter(signer, circulating, penholder):
    sign(signer, circulating)

    raw = b"".join(bytes(e.data) for e in Entry.objects.filter(handle=circulating["handle"]))

    for secret in (b"pak", b"chn", b"ohchr", b"sigrid", b"penny", LETTER["title"].encode(), b"urge"):
        assert secret not in raw


def test_the_public_sees_counts_per_version_and_event_times_but_no_names(signer, circulating, anonymous):
    sign(signer, circulating)

    public = anonymous.get(f"/public/letters/{circulating['handle']}").json()

    assert public["status"] == "circulating"
    assert [(c["version"], c["count"]) for c in public["counts"]] == [(1, 1)]
    assert [e["type"] for e in public["events"]] == ["letter.created", "letter.circulated", "signature.signed"]
    assert "pak" not in json.dumps(public) and LETTER["title"] not in json.dumps(public)


def test_an_unknown_handle_is_not_found(anonymous):
    assert anonymous.get("/public/letters/no-such-handle").status_code == 404


@pytest.mark.parametrize("who", ["penholder", "signer", "anonymous"])
def test_the_bundle_verifies_offline_for_every_reader(
    who, request, penholder, signer, addressee, circulating, tmp_path, capsys
):
    sign(signer, circulating)
    delivery = penholder.api.post(f"/letters/{circulating['id']}/deliver", {"version": 1}).json()
    addressee.api.post(f"/deliveries/{delivery['id']}/acknowledge")
    reader = request.getfixturevalue(who)
    client = reader if who == "anonymous" else reader.api
    path = (
        f"/public/letters/{circulating['handle']}/bundle"
        if who == "anonymous"
        else f"/letters/{circulating['id']}/bundle"
    )

    bundle = client.get(path).json()
    (tmp_path / "bundle.json").write_text(json.dumps(bundle))

    assert verify_main([str(tmp_path / "bundle.json")]) == 0, capsys.readouterr().out
    opened_orgs = {o["fields"].get("org") for o in bundle["openings"]}
    if who == "anonymous":
        assert bundle["openings"] == []
    elif who == "signer":
        assert "pak" in opened_orgs  # a signatory can always open its own signature
    else:
        assert {"pak", "ohchr"} <= opened_orgs


def test_a_tampered_bundle_fails_verification(penholder, signer, circulating, tmp_path):
    sign(signer, circulating)
    bundle = penholder.api.get(f"/letters/{circulating['id']}/bundle").json()
    bundle["entries"].pop(1)
    (tmp_path / "bundle.json").write_text(json.dumps(bundle))

    assert verify_main([str(tmp_path / "bundle.json")]) != 0
