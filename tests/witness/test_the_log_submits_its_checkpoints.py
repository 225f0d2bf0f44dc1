"""The log submits each new checkpoint to the witnesses of LOG_WITNESSES after integration,
keeps their cosignatures, and serves them with the checkpoint at /log/checkpoint and in
bundles; a witness that is down never blocks or fails a signature."""

import json
import logging
import socket
import time

import pytest
from django.test import Client

from ledger.cosignature import check_cosignatures
from ledger.note import Verifier, open_note, split_note
from ledger.verify import verify_bundle
from ledger.witness import Witness, WitnessState, load_or_create_key, serve_in_thread
from ledger.witness_policy import WitnessPolicy
from record import integration, log, witnesses
from record.models import Cosignature
from tests.conftest import sign


@pytest.fixture
def witness(tmp_path, db):
    """A witness of this server's log, on 127.0.0.1, named in LOG_WITNESSES."""
    verifier = Verifier.from_vkey(log.vkey())
    running = Witness(
        load_or_create_key(tmp_path / "w.sqlite3", "witness.example/w1"),
        {verifier.name: verifier},
        WitnessState(tmp_path / "w.sqlite3"),
    )
    server, url = serve_in_thread(running)
    yield running, url
    server.shutdown()
    server.server_close()


@pytest.fixture
def configured(witness, settings):
    running, url = witness
    settings.LOG_WITNESSES = [(url, running.signer.key.vkey)]
    return running


def integrate_and_submit(django_capture_on_commit_callbacks):
    """What the server does after a commit: integrate, then (after that commit) submit."""
    with django_capture_on_commit_callbacks(execute=True):
        log.integrate()


def test_a_signature_gets_its_checkpoint_cosigned_and_served_with_it(
    configured, signer, circulating, django_capture_on_commit_callbacks
):
    assert sign(signer, circulating).status_code == 201
    integrate_and_submit(django_capture_on_commit_callbacks)

    latest = log.latest_checkpoint()
    assert Cosignature.objects.filter(checkpoint=latest, witness=configured.signer.key.label).count() == 1
    served = Client().get("/log/checkpoint").content.decode()
    assert served.startswith(latest.note) and served.count("\u2014 ") == 2
    assert open_note(served, Verifier.from_vkey(log.vkey())) == split_note(latest.note)[0]  # the log's key alone
    assert list(check_cosignatures(served, [configured.signer.key]).valid) == [configured.signer.key.label]


def test_each_new_checkpoint_is_sent_with_a_proof_from_the_last_one_cosigned(
    configured, signer, second_signer, circulating, django_capture_on_commit_callbacks
):
    sign(signer, circulating)
    integrate_and_submit(django_capture_on_commit_callbacks)
    first = log.latest_checkpoint().size
    sign(second_signer, circulating)
    integrate_and_submit(django_capture_on_commit_callbacks)

    assert log.latest_checkpoint().size > first
    assert configured.state.latest(log.log_signer().name)[0] == log.latest_checkpoint().size
    assert Cosignature.objects.count() == 2


def test_a_bundle_carries_the_cosigned_checkpoint_and_verifies_with_the_witness(
    configured, signer, penholder, circulating, django_capture_on_commit_callbacks
):
    sign(signer, circulating)
    integrate_and_submit(django_capture_on_commit_callbacks)

    bundle = penholder.api.get(f"/letters/{circulating['id']}/bundle").json()
    policy = WitnessPolicy.from_vkeys([configured.signer.key.vkey])
    report = verify_bundle(bundle, log.vkey(), witnesses=policy)
    assert list(report.facts["witnesses"]) == [configured.signer.key.label]
    assert report.facts["status"] == "circulating" and report.facts["complete"] is True


def test_a_client_that_does_not_know_the_witnesss_size_learns_it_from_the_409(
    configured, signer, second_signer, circulating, django_capture_on_commit_callbacks
):
    sign(signer, circulating)
    integrate_and_submit(django_capture_on_commit_callbacks)
    sign(second_signer, circulating)
    log.integrate()
    client = witnesses.WitnessClient(witnesses.configured()[0])
    client.known_size = 0  # as a server process that started before the first submission
    client.submit_latest()
    client.close()
    assert Cosignature.objects.filter(checkpoint=log.latest_checkpoint()).exists()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_witness_that_is_down_never_fails_a_signature(
    settings, signer, circulating, penholder, caplog, django_capture_on_commit_callbacks
):
    from ledger.cosignature import generate_witness_key

    settings.LOG_WITNESSES = [(f"http://127.0.0.1:{closed_port()}", generate_witness_key("down.example/w").key.vkey)]
    with caplog.at_level(logging.WARNING, logger="record.witnesses"):
        assert sign(signer, circulating).status_code == 201
        integrate_and_submit(django_capture_on_commit_callbacks)
    assert "down.example/w" in caplog.text
    served = Client().get("/log/checkpoint").content.decode()
    assert served == log.latest_checkpoint().note  # served, without cosignatures
    assert verify_bundle(penholder.api.get(f"/letters/{circulating['id']}/bundle").json(), log.vkey())


def test_a_witness_that_refuses_a_checkpoint_is_logged_as_an_error(
    configured, signer, circulating, caplog, django_capture_on_commit_callbacks
):
    configured.logs = {}  # it no longer knows our log: 404
    with caplog.at_level(logging.ERROR, logger="record.witnesses"):
        sign(signer, circulating)
        integrate_and_submit(django_capture_on_commit_callbacks)
    assert "refused the checkpoint" in caplog.text and "HTTP 404" in caplog.text
    assert not Cosignature.objects.exists()


def test_the_newest_checkpoint_every_witness_cosigned_is_served_over_a_newer_one_waiting(
    configured, signer, second_signer, circulating, django_capture_on_commit_callbacks
):
    sign(signer, circulating)
    integrate_and_submit(django_capture_on_commit_callbacks)
    cosigned = log.latest_checkpoint()
    sign(second_signer, circulating)
    log.integrate()  # not yet submitted
    assert Client().get("/log/checkpoint").content.decode().startswith(cosigned.note)
    witnesses.GRACE_SECONDS, grace = -1, witnesses.GRACE_SECONDS  # once it is too old, the newest is served
    try:
        assert Client().get("/log/checkpoint").content.decode() == log.latest_checkpoint().note
    finally:
        witnesses.GRACE_SECONDS = grace


@pytest.mark.django_db(transaction=True)
def test_in_the_server_a_thread_per_witness_submits_after_the_commit(witness, settings, signer, circulating):
    running, url = witness
    settings.LOG_WITNESSES = [(url, running.signer.key.vkey)]
    settings.LOG_INTEGRATION = "background"
    try:
        assert sign(signer, circulating).status_code == 201  # its commit wakes the integrator
        deadline = time.monotonic() + 10
        while not Cosignature.objects.filter(checkpoint=log.latest_checkpoint()).exists():
            assert time.monotonic() < deadline, "the checkpoint was never cosigned"
            time.sleep(0.05)
    finally:
        integration._background.stop()
        witnesses.stop_submitters()


def test_log_witnesses_that_do_not_parse_stop_the_server_at_start(settings):
    from record.checks import check_log_witnesses

    settings.LOG_WITNESSES = [("http://w.example", "not-a-vkey")]
    assert [error.id for error in check_log_witnesses(None)] == ["undersigned.E004"]
    settings.LOG_WITNESSES = [("http://w.example",)]
    assert "is not 'URL VKEY'" in check_log_witnesses(None)[0].msg


def test_the_setting_reads_url_and_vkey_pairs_separated_by_semicolons(monkeypatch):
    import importlib

    import undersigned.settings as module

    monkeypatch.setenv("LOG_WITNESSES", " http://a.example/ a+1+x ;http://b.example b+2+y; ")
    try:
        assert importlib.reload(module).LOG_WITNESSES == [("http://a.example/", "a+1+x"), ("http://b.example", "b+2+y")]
    finally:
        monkeypatch.delenv("LOG_WITNESSES")
        importlib.reload(module)


def test_verify_json_names_the_witnesses_that_cosigned(
    configured, signer, penholder, circulating, tmp_path, django_capture_on_commit_callbacks
):
    from ledger.verify_command import main

    sign(signer, circulating)
    integrate_and_submit(django_capture_on_commit_callbacks)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(penholder.api.get(f"/letters/{circulating['id']}/bundle").json()))
    import io

    out = io.StringIO()
    assert main([str(path), "--witness", configured.signer.key.vkey, "--json"], stdout=out) == 0
    assert list(json.loads(out.getvalue())["facts"]["witnesses"]) == [configured.signer.key.label]


def test_a_kept_connection_that_was_closed_is_replaced_by_a_new_one(configured, signer, second_signer, circulating):
    client = witnesses.WitnessClient(witnesses.configured()[0])
    sign(signer, circulating)
    log.integrate()
    client.submit_latest()
    kept = client._connection
    kept.sock.shutdown(socket.SHUT_RDWR)  # as a witness that restarted, or closed an idle connection
    sign(second_signer, circulating)
    log.integrate()
    client.submit_latest()
    assert client._connection is not kept
    assert Cosignature.objects.filter(checkpoint=log.latest_checkpoint()).exists()
    client.close()


@pytest.mark.django_db(transaction=True)
def test_checkpoints_made_while_the_submitter_rests_lead_to_one_submission_of_the_newest(
    witness, monkeypatch, signer, second_signer, penholder_signer, circulating
):
    """Under load the log makes a checkpoint every integration pass; the witness needs only the
    newest, with a proof from the last it cosigned, so the thread sends one per pause."""
    running, url = witness
    monkeypatch.setattr(witnesses.Submitter, "PAUSE_SECONDS", 2.0)
    submitter = witnesses.Submitter(witnesses.Witness(url, running.signer.key))
    sent = []
    post = submitter.client._post
    monkeypatch.setattr(submitter.client, "_post", lambda body: sent.append(body) or post(body))

    def checkpoint_after(persona):
        assert sign(persona, circulating).status_code == 201
        log.integrate()
        submitter.wake_up()
        return log.latest_checkpoint()

    def cosigned(checkpoint):
        return Cosignature.objects.filter(checkpoint=checkpoint).exists()

    try:
        first = checkpoint_after(signer)
        wait_until(lambda: cosigned(first))
        skipped = checkpoint_after(second_signer)
        time.sleep(0.3)  # time enough to send it, if the thread sent each checkpoint as it came
        newest = checkpoint_after(penholder_signer)
        wait_until(lambda: cosigned(newest))
    finally:
        submitter.stop()

    assert len(sent) == 2
    assert sent[1].startswith(f"old {first.size}\n".encode())  # with a consistency proof from the first
    assert not cosigned(skipped)
    assert running.state.latest(log.log_signer().name)[0] == newest.size


@pytest.mark.django_db(transaction=True)
def test_a_submitter_in_its_pause_stops_at_once(witness, monkeypatch, signer, second_signer, circulating):
    running, url = witness
    monkeypatch.setattr(witnesses.Submitter, "PAUSE_SECONDS", 60.0)
    submitter = witnesses.Submitter(witnesses.Witness(url, running.signer.key))
    for persona in (signer, second_signer):  # the second checkpoint finds the thread pausing
        sign(persona, circulating)
        log.integrate()
        submitter.wake_up()
        wait_until(lambda: Cosignature.objects.exists())
    time.sleep(0.3)  # the thread has taken the second wake-up and is pausing
    thread, started = submitter._thread, time.monotonic()
    submitter.stop()
    assert time.monotonic() - started < 2 and not thread.is_alive()


def wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)
