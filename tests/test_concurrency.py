"""Concurrent clicks: parallel sign / withdraw / re-confirm requests for one organisation and one
letter leave at most one live signature, and the event history replays to the stored state."""

import json
import threading

import pytest
from django.db import connection, connections, transaction

from core.errors import Conflict
from letters import actions
from letters.models import Signature
from record.models import Entry
from tests.conftest import LETTER, ApiClient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (DATABASE_URL); SQLite serialises every writer anyway")


def replay_live_signatures(handle: str) -> dict[str, int]:
    """{organisation: log index of its live signature}, from the log entries and their openings alone."""
    live: dict[str, int] = {}
    for entry in Entry.objects.filter(handle=handle).select_related("opening").order_by("index"):
        event = json.loads(bytes(entry.data))
        if event["type"] == "signature.signed":
            org = json.loads(entry.opening.fields_json)["org"]
            assert event["replaces"] == live.get(org), f"entry {entry.index} replaces the wrong signature"
            live[org] = entry.index
        elif event["type"] == "signature.withdrawn":
            org = json.loads(entry.opening.fields_json)["org"]
            assert live.get(org) == event["signature"], f"entry {entry.index} withdraws a signature that is not live"
            del live[org]
    return live


def run_in_parallel(requests):
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(i, request):
        try:
            barrier.wait()
            results[i] = request()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_parallel_sign_withdraw_and_reconfirm_requests_leave_one_consistent_state(penholder, signer):
    letter = penholder.api.post("/letters", LETTER).json()
    penholder.api.post(f"/letters/{letter['id']}/circulate", {"invitees": ["pak"]})
    signer.api.post(f"/letters/{letter['id']}/signatures", {"version": 1, "version_hash": letter["current_hash"]})
    v2 = penholder.api.post(f"/letters/{letter['id']}/versions", {"body": "v2", "note": "n", "base_version": 1}).json()
    clients = [ApiClient(signer.token) for _ in range(20)]
    reconfirm = {"version": 2, "version_hash": v2["hash"]}

    def request(i):
        if i % 3 == 2:
            return lambda: clients[i].post(f"/letters/{letter['id']}/withdraw", {"reason": f"r{i}"}).status_code
        return lambda: clients[i].post(f"/letters/{letter['id']}/signatures", reconfirm).status_code

    statuses = run_in_parallel([request(i) for i in range(20)])

    assert set(statuses) <= {200, 201, 409}, statuses
    live_rows = list(Signature.objects.filter(letter_id=letter["id"], withdrawn_at=None, replaced_at=None))
    assert len(live_rows) <= 1
    assert replay_live_signatures(letter["handle"]) == {row.organisation.slug: row.log_index for row in live_rows}
    signed_events = Entry.objects.filter(handle=letter["handle"], type__startswith="signature.").count()
    assert signed_events == 1 + statuses.count(201)


def test_twenty_parallel_identical_signatures_make_exactly_one(penholder, signer):
    letter = penholder.api.post("/letters", LETTER).json()
    penholder.api.post(f"/letters/{letter['id']}/circulate", {"invitees": ["pak"]})
    clients = [ApiClient(signer.token) for _ in range(20)]
    body = {"version": 1, "version_hash": letter["current_hash"]}

    statuses = run_in_parallel(
        [lambda c=c: c.post(f"/letters/{letter['id']}/signatures", body).status_code for c in clients]
    )

    assert sorted(statuses) == [200] * 19 + [201]
    assert Signature.objects.filter(letter_id=letter["id"]).count() == 1
    assert replay_live_signatures(letter["handle"]).keys() == {"pak"}


def revision_held_open(penholder, letter_id):
    """A new version made but not yet committed: (let it commit, the thread). Whoever locks the
    letter meanwhile waits for it."""
    made, commit = threading.Event(), threading.Event()

    def revise():
        try:
            with transaction.atomic():
                actions.add_version(penholder.user, letter_id, body="Softer wording", note="n", base_version=1)
                made.set()
                commit.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=revise)
    thread.start()
    assert made.wait(10), "the new version was never made"
    return commit, thread


def outcome_of(call):
    try:
        return call()
    except Exception as error:  # noqa: BLE001 - the answer under test may be a refusal
        return error
    finally:
        connections.close_all()


def test_a_signature_waiting_for_a_new_version_to_commit_is_told_it_is_stale(penholder, signer):
    """Not that the letter does not exist: the lock waits, then reads the letter as committed."""
    letter = penholder.api.post("/letters", LETTER).json()
    penholder.api.post(f"/letters/{letter['id']}/circulate", {"invitees": ["pak"]})
    commit, reviser = revision_held_open(penholder, letter["id"])
    answer = {}
    signing = threading.Thread(
        target=lambda: answer.setdefault(
            "sign",
            outcome_of(lambda: actions.sign(signer.user, letter["id"], version=1, version_hash=letter["current_hash"])),
        )
    )
    signing.start()
    signing.join(0.5)  # waiting on the letter's lock
    commit.set()
    for thread in (reviser, signing):
        thread.join(10)

    assert isinstance(answer["sign"], Conflict) and answer["sign"].code == "stale_version"
    assert answer["sign"].details["current_version"] == 2


def test_a_withdrawal_waiting_for_a_new_version_to_commit_goes_through(penholder, signer):
    letter = penholder.api.post("/letters", LETTER).json()
    penholder.api.post(f"/letters/{letter['id']}/circulate", {"invitees": ["pak"]})
    signer.api.post(f"/letters/{letter['id']}/signatures", {"version": 1, "version_hash": letter["current_hash"]})
    commit, reviser = revision_held_open(penholder, letter["id"])
    answer = {}
    withdrawing = threading.Thread(
        target=lambda: answer.setdefault(
            "withdraw", outcome_of(lambda: actions.withdraw(signer.user, letter["id"], reason="changed our mind"))
        )
    )
    withdrawing.start()
    withdrawing.join(0.5)
    commit.set()
    for thread in (reviser, withdrawing):
        thread.join(10)

    assert getattr(answer["withdraw"], "created", None) is True, answer["withdraw"]
    assert not Signature.objects.filter(letter_id=letter["id"], withdrawn_at=None).exists()
