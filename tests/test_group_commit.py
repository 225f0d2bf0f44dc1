"""Group commit: signatures that arrive together share one transaction, and each caller still
gets exactly its own outcome (letters/group_commit.py). On SQLite and PostgreSQL."""

import json
import threading
import time

import pytest
from django.db import connections, transaction
from django.utils import translation

from core.errors import Conflict, NotFound
from letters import actions, group_commit
from letters.models import Signature
from record.models import Entry
from tests.conftest import LETTER, make_persona, sign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def batches(monkeypatch):
    """The size of every batch the committer runs."""
    sizes = []
    commit = group_commit._commit

    def recording(batch):
        sizes.append(len(batch))
        return commit(batch)

    monkeypatch.setattr(group_commit, "_commit", recording)
    return sizes


def current_version(persona, letter):
    shown = persona.api.get(f"/letters/{letter['id']}").json()
    return shown["current_version"], shown["versions"][-1]["hash"]


def in_threads(calls: dict):
    """Start each call in its own thread; return the threads, {name: result} and {name: exception}."""
    results, errors = {}, {}

    def run(name, call):
        try:
            results[name] = call()
        except Exception as error:  # noqa: BLE001 - what each caller raised is what the test compares
            errors[name] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    return threads, results, errors


def hold_the_committer():
    """Occupy the committer with a job that waits, so that what comes next queues behind it."""
    running, gate = threading.Event(), threading.Event()

    def hold(requests):  # a batch function that writes nothing
        running.set()
        gate.wait(10)
        return ["held" for _ in requests]

    holder = threading.Thread(target=group_commit.committer.run, args=(hold, None))
    holder.start()
    assert running.wait(10), "the committer never started the holding job"
    return gate, holder


def wait_for_queue(length: int) -> None:
    deadline = time.monotonic() + 10
    while group_commit.committer._queue.qsize() < length:
        assert time.monotonic() < deadline, "the calls never reached the committer"
        time.sleep(0.01)


def test_signatures_that_arrive_together_are_stored_in_one_commit_each_with_its_own_answer(
    circulating, penholder, penholder_signer, signer, second_signer, outsider, batches
):
    version, version_hash = current_version(signer, circulating)
    letter_id = circulating["id"]

    def refused_in_french():
        with translation.override("fr"):
            return actions.sign(second_signer.user, letter_id, version=version, version_hash="0" * 64)

    gate, holder = hold_the_committer()
    threads, results, errors = in_threads(
        {
            "signer": lambda: actions.sign(signer.user, letter_id, version=version, version_hash=version_hash),
            "penholder_signer": lambda: actions.sign(
                penholder_signer.user, letter_id, version=version, version_hash=version_hash
            ),
            "stale": refused_in_french,
            "outsider": lambda: actions.sign(outsider.user, letter_id, version=version, version_hash=version_hash),
        }
    )
    wait_for_queue(4)
    gate.set()
    for thread in [holder, *threads]:
        thread.join(10)

    assert batches == [1, 4]
    assert sorted(results) == ["penholder_signer", "signer"]
    assert all(outcome.created for outcome in results.values())
    assert isinstance(errors["stale"], Conflict) and errors["stale"].code == "stale_version"
    assert errors["stale"].message.startswith("On vous a montré la version")
    assert isinstance(errors["outsider"], NotFound)
    stored = dict(Signature.objects.filter(letter_id=letter_id).values_list("organisation__slug", "log_index"))
    assert stored == {"pak": results["signer"].object.log_index, "chn": results["penholder_signer"].object.log_index}
    signed = Entry.objects.filter(handle=circulating["handle"], type="signature.signed")
    assert sorted(signed.values_list("index", flat=True)) == sorted(stored.values())


def test_repeated_clicks_never_share_a_batch_and_make_one_signature(circulating, signer, batches):
    version, version_hash = current_version(signer, circulating)
    gate, holder = hold_the_committer()
    threads, results, errors = in_threads(
        {
            n: lambda: actions.sign(signer.user, circulating["id"], version=version, version_hash=version_hash)
            for n in ("first click", "second click", "third click")
        }
    )
    wait_for_queue(3)
    gate.set()
    for thread in [holder, *threads]:
        thread.join(10)

    assert batches == [1, 1, 1, 1] and not errors
    assert sorted(outcome.created for outcome in results.values()) == [False, False, True]
    assert len({outcome.object.pk for outcome in results.values()}) == 1
    assert Signature.objects.filter(letter_id=circulating["id"]).count() == 1


def test_two_signers_of_one_organisation_in_one_batch_make_one_signature(circulating, signer, batches):
    colleague = make_persona("sigmund", [("pak", "signer")])
    version, version_hash = current_version(signer, circulating)
    gate, holder = hold_the_committer()
    threads, results, errors = in_threads(
        {
            person.username: lambda user=person.user: actions.sign(
                user, circulating["id"], version=version, version_hash=version_hash
            )
            for person in (signer, colleague)
        }
    )
    wait_for_queue(2)
    gate.set()
    for thread in [holder, *threads]:
        thread.join(10)

    assert batches == [1, 2] and not errors
    assert sorted(outcome.created for outcome in results.values()) == [False, True]
    assert len({outcome.object.pk for outcome in results.values()}) == 1
    assert Signature.objects.filter(letter_id=circulating["id"]).count() == 1
    assert Entry.objects.filter(handle=circulating["handle"], type="signature.signed").count() == 1


def test_a_failing_batch_is_rolled_back_and_its_requests_run_one_by_one(batches):
    def fails_with_two(requests):
        if len(requests) > 1:
            raise RuntimeError("the database refused the batch")
        return [f"done {request}" for request in requests]

    gate, holder = hold_the_committer()
    threads, results, errors = in_threads(
        {n: lambda n=n: group_commit.committer.run(fails_with_two, n) for n in ("a", "b")}
    )
    wait_for_queue(2)
    gate.set()
    for thread in [holder, *threads]:
        thread.join(10)

    assert batches == [1, 2, 1, 1] and not errors
    assert results == {"a": "done a", "b": "done b"}


def test_a_failing_after_commit_callback_does_not_turn_a_stored_signature_into_an_error(circulating, signer, batches):
    version, version_hash = current_version(signer, circulating)

    def signs_then_breaks(requests):
        transaction.on_commit(lambda: 1 / 0)
        return [
            actions.sign(signer.user, circulating["id"], version=version, version_hash=version_hash) for _ in requests
        ]

    threads, results, errors = in_threads({"signer": lambda: group_commit.committer.run(signs_then_breaks, None)})
    for thread in threads:
        thread.join(10)

    assert batches == [1] and not errors and results["signer"].created
    assert Signature.objects.filter(letter_id=circulating["id"]).count() == 1


def test_inside_an_open_transaction_a_signature_commits_or_rolls_back_with_it(circulating, signer, batches):
    version, version_hash = current_version(signer, circulating)
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.sign(signer.user, circulating["id"], version=version, version_hash=version_hash)
        raise RuntimeError("the caller's own change fails")

    assert batches == []
    assert not Signature.objects.filter(letter_id=circulating["id"]).exists()
    assert not Entry.objects.filter(handle=circulating["handle"], type="signature.signed").exists()


def test_a_batch_over_two_letters_with_a_reconfirmation_binds_each_signature_to_its_version(
    circulating, penholder, signer, second_signer, batches
):
    first = circulating
    second = penholder.api.post("/letters", {**LETTER, "title": "A second joint letter"}).json()
    penholder.api.post(f"/letters/{second['id']}/circulate", {"invitees": ["pak"]})
    assert sign(signer, first).status_code == 201  # on version 1, before the batch
    revised = penholder.api.post(
        f"/letters/{first['id']}/versions", {"body": "Softer wording", "note": "n", "base_version": 1}
    ).json()
    old = Signature.objects.get(letter_id=first["id"], organisation__slug="pak")

    gate, holder = hold_the_committer()
    threads, results, errors = in_threads(
        {
            "reconfirm": lambda: actions.sign(signer.user, first["id"], version=2, version_hash=revised["hash"]),
            "cub": lambda: actions.sign(second_signer.user, first["id"], version=2, version_hash=revised["hash"]),
            "second letter": lambda: actions.sign(
                signer.user, second["id"], version=1, version_hash=second["current_hash"]
            ),
        }
    )
    wait_for_queue(3)
    gate.set()
    for thread in [holder, *threads]:
        thread.join(10)

    assert batches == [1, 1, 3] and not errors  # the first signature, the holder, the batch
    assert all(outcome.created for outcome in results.values())
    old.refresh_from_db()
    assert old.replaced_by_id == results["reconfirm"].object.pk and old.replaced_at is not None
    assert old.version.number == 1  # still bound to the version it named
    live = {
        (s.letter_id, s.organisation.slug): (s.version.number, s.log_index)
        for s in Signature.objects.filter(withdrawn_at=None, replaced_at=None)
    }
    assert live == {
        (first["id"], "pak"): (2, results["reconfirm"].object.log_index),
        (first["id"], "cub"): (2, results["cub"].object.log_index),
        (second["id"], "pak"): (1, results["second letter"].object.log_index),
    }
    reconfirmed = json.loads(bytes(Entry.objects.get(index=results["reconfirm"].object.log_index).data))
    assert reconfirmed["replaces"] == old.log_index and reconfirmed["version"] == 2
