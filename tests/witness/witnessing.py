"""Logs and witnesses for the witness tests: logs built with ledger functions alone (the
fixture log of tests/ledger), a witness in a temporary SQLite file, served on 127.0.0.1."""

import http.client
import urllib.parse
from pathlib import Path

from ledger.cosignature import WitnessSigner
from ledger.note import Verifier
from ledger.tiles import consistency_proof
from ledger.witness import Witness, WitnessState, add_checkpoint_body, load_or_create_key

from make_fixtures import ORIGIN, FixtureLog, log_signer


def grown_log(size: int, signer_seed: str = "log", prefix: bytes = b"entry") -> FixtureLog:
    """A log of ``size`` entries ``<prefix> 0``, ``<prefix> 1``, ...; its checkpoint not yet taken."""
    log = FixtureLog(log_signer(ORIGIN, signer_seed))
    for i in range(size):
        log.append(prefix + b" %d" % i)
    return log


def grow(log: FixtureLog, count: int, prefix: bytes = b"entry") -> FixtureLog:
    for _ in range(count):
        log.append(prefix + b" %d" % len(log.entries))
    return log


def request_from(log: FixtureLog, old: int, note: str) -> bytes:
    """An add-checkpoint body for ``note`` (the log's latest checkpoint), with a proof from ``old``."""
    proof = consistency_proof(log.store, old, log.size) if 0 < old < log.size else []
    return add_checkpoint_body(old, proof, note)


def witness_on(db: Path, log_vkey: str | None = None, clock=lambda: 1_700_000_000) -> Witness:
    """A witness of the fixture log whose state and key live at ``db`` (as after a restart, if there)."""
    verifier = Verifier.from_vkey(log_vkey or log_signer().vkey)
    return Witness(load_or_create_key(db, "witness.example/w1"), {ORIGIN: verifier}, WitnessState(db), clock)


def signer(name: str = "witness.example/w1") -> WitnessSigner:
    import nacl.signing

    return WitnessSigner(name, nacl.signing.SigningKey(b"w" * 32))


def post(url: str, body: bytes, connection: http.client.HTTPConnection | None = None):
    """``(status, content type, body)`` of a POST to ``url``/add-checkpoint."""
    parts = urllib.parse.urlsplit(url)
    connection = connection or http.client.HTTPConnection(parts.netloc, timeout=10)
    connection.request("POST", parts.path + "/add-checkpoint", body)
    response = connection.getresponse()
    return response.status, response.getheader("Content-Type"), response.read()
