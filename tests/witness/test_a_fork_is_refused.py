"""A fork: two logs with the same key and a common history diverge. The witness cosigns the
first it sees and refuses the other, whose bundles then fail ``verify --witness``."""

import io
import json

import pytest
from witnessing import request_from, witness_on

from ledger.verify_command import main as verify_main

from make_fixtures import ORGS, realistic_history


def run_verify(tmp_path, bundle, *argv):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    out = io.StringIO()
    return verify_main([str(path), *argv, "--json"], stdout=out), json.loads(out.getvalue())


def cosign(witness, log, old):
    """Submit the log's next checkpoint; the cosigned note on 200."""
    note = log.checkpoint()
    answer = witness.add_checkpoint(request_from(log, old, note))
    return answer, note + answer.body.decode() if answer.status == 200 else note


@pytest.fixture
def shared_history(tmp_path):
    """Two servers with the same log key and the same history, whose checkpoint the witness holds."""
    honest, letter, other = realistic_history()
    fork, fork_letter, fork_other = realistic_history()  # built the same way: the same entries, keys and salts
    witness = witness_on(tmp_path / "witness.sqlite3")
    answer, _ = cosign(witness, honest, 0)
    assert answer.status == 200 and fork.checkpoint() == honest.checkpoint()
    return witness, (honest, letter, other), (fork, fork_letter, fork_other)


def test_the_fork_of_the_same_size_is_refused_and_its_bundle_fails_verify(shared_history, tmp_path):
    witness, (honest, _, other), (fork, _, fork_other) = shared_history
    common = honest.size
    other.sign(ORGS["ita"], 1)
    fork_other.withdraw(ORGS["deu"], fork_other.indexes[2])  # the fork shows another event instead
    answer, honest_note = cosign(witness, honest, common)
    assert answer.status == 200

    refused, fork_note = cosign(witness, fork, common)
    assert refused.status == 409 and refused.body == f"{honest.size}\n".encode()
    retried = witness.add_checkpoint(request_from(fork, honest.size, fork_note))
    assert retried.status == 422  # the same size as the one cosigned, another root

    key = witness.signer.key.vkey
    code, verdict = run_verify(tmp_path, other.bundle(honest_note), "--witness", key)
    assert code == 0 and list(verdict["facts"]["witnesses"]) == [witness.signer.key.label]
    code, verdict = run_verify(tmp_path, fork_other.bundle(fork_note), "--witness", key)
    assert code == 10 and verdict["error"]["step"] == "witnesses"
    assert "0 valid cosignatures of the 1 witnesses given, 1 required" in verdict["error"]["message"]
    assert run_verify(tmp_path, fork_other.bundle(fork_note))[0] == 0  # without witnesses, it verifies


def test_a_longer_fork_is_refused_even_with_a_proof_from_the_size_the_witness_holds(shared_history):
    witness, (honest, _, other), (fork, _, fork_other) = shared_history
    common = honest.size
    other.sign(ORGS["ita"], 1)
    assert cosign(witness, honest, common)[0].status == 200
    fork_other.withdraw(ORGS["deu"], fork_other.indexes[2])
    fork_other.sign(ORGS["deu"], 1)  # two events where the honest log has one: a larger tree
    fork_note = fork.checkpoint()
    answer = witness.add_checkpoint(request_from(fork, honest.size, fork_note))
    assert answer.status == 422 and b"not consistent" in answer.body


def test_cosignature_lines_copied_from_the_honest_checkpoint_do_not_verify_on_the_fork(shared_history, tmp_path):
    witness, (honest, _, other), (fork, _, fork_other) = shared_history
    common = honest.size
    other.sign(ORGS["ita"], 1)
    fork_other.withdraw(ORGS["deu"], fork_other.indexes[2])
    _, honest_note = cosign(witness, honest, common)
    fork_note = fork.checkpoint()
    stolen = fork_note + honest_note[len(honest.checkpoint()) :]
    assert stolen != fork_note
    code, verdict = run_verify(tmp_path, fork_other.bundle(stolen), "--witness", witness.signer.key.vkey)
    assert code == 10 and "its line does not verify" in verdict["error"]["message"]


def test_a_threshold_counts_the_witnesses_that_cosigned(shared_history, tmp_path):
    from ledger.cosignature import generate_witness_key

    witness, (honest, _, other), _ = shared_history
    common = honest.size
    other.sign(ORGS["ita"], 1)
    _, note = cosign(witness, honest, common)
    absent = generate_witness_key("witness.example/absent").key.vkey
    argv = ["--witness", witness.signer.key.vkey, "--witness", absent]
    assert run_verify(tmp_path, other.bundle(note), *argv)[0] == 10  # all of them, by default
    assert run_verify(tmp_path, other.bundle(note), *argv, "--witness-threshold", "1")[0] == 0
    for bad in (["--witness-threshold", "3"], ["--witness-threshold", "0"]):
        assert run_verify_usage(tmp_path, other.bundle(note), *argv, *bad) == 64
    assert run_verify_usage(tmp_path, other.bundle(note), "--witness-threshold", "1") == 64
    assert run_verify_usage(tmp_path, other.bundle(note), "--witness", honest.signer.vkey) == 64  # a log key


def run_verify_usage(tmp_path, bundle, *argv):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    return verify_main([str(path), *argv], stdout=io.StringIO())
