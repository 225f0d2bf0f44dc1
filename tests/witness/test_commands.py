"""The commands of this work: ``undersigned witness serve`` prints its vkey and serves;
``undersigned log mirror DIR`` copies this server's log, which ``log audit --url`` then checks
as served by ``python -m http.server``; ``log audit`` holds a signed head against the log."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from witnessing import post

from ledger.cosignature import WitnessKey
from ledger.witness import add_checkpoint_body
from record import log
from tests.conftest import sign
from undersigned.cli import main

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 15
    while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
        assert time.monotonic() < deadline, f"nothing listens on {port}"
        time.sleep(0.05)


def start(*argv: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "undersigned", *argv],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    return process.communicate(timeout=10)[1]


def test_witness_serve_prints_its_vkey_keeps_its_key_beside_the_database_and_cosigns(tmp_path):
    from make_fixtures import log_signer  # the fixture log of the ledger tests

    db, port = tmp_path / "witness.sqlite3", free_port()
    fixture_log = log_signer()
    witness = start("witness", "serve", "--log-vkey", fixture_log.vkey, "--db", str(db), "--port", str(port))
    vkey = witness.stdout.readline().strip()
    wait_for(port)
    note = fixture_log.sign_note(f"{fixture_log.name}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
    status, _, body = post(f"http://127.0.0.1:{port}", add_checkpoint_body(0, [], note))
    assert status == 200 and body.decode().startswith(f"\u2014 {WitnessKey.from_vkey(vkey).name} ")
    stop(witness)

    assert (tmp_path / "witness.sqlite3.key").exists()
    again = start("witness", "serve", "--log-vkey", fixture_log.vkey, "--db", str(db), "--port", str(port))
    assert again.stdout.readline().strip() == vkey  # the same witness after a restart
    stop(again)


def test_witness_serve_without_its_arguments_is_a_usage_error(tmp_path):
    assert main(["witness", "serve", "--db", str(tmp_path / "w.sqlite3")]) == 64
    assert main(["witness", "serve", "--log-vkey", "not-a-vkey", "--db", str(tmp_path / "w.sqlite3")]) == 64


@pytest.fixture
def static_copy(tmp_path):
    copy, port = tmp_path / "copy", free_port()
    copy.mkdir()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(copy)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(port)
    yield copy, f"http://127.0.0.1:{port}/"
    server.terminate()
    server.wait(10)


def test_a_mirror_of_this_servers_log_passes_the_audit_of_a_static_copy(
    signer, penholder, circulating, static_copy, capsys
):
    copy, url = static_copy
    sign(signer, circulating)
    assert main(["log", "mirror", str(copy)]) == 0
    assert "mirrored size" in capsys.readouterr().out
    assert (copy / "checkpoint").read_bytes() == log.latest_checkpoint().note.encode()

    assert main(["log", "audit", circulating["handle"], "--url", url, "--vkey", log.vkey()]) == 0
    assert f"Audited: letter {circulating['handle']}, status circulating" in capsys.readouterr().out

    penholder.api.post(f"/letters/{circulating['id']}/close")
    assert main(["log", "mirror", str(copy)]) == 0  # updated
    assert main(["log", "audit", circulating["handle"], "--url", url, "--vkey", log.vkey()]) == 0
    assert "status closed" in capsys.readouterr().out


def test_a_copy_of_a_copy_is_made_over_http(signer, circulating, static_copy, tmp_path, capsys):
    copy, url = static_copy
    sign(signer, circulating)
    main(["log", "mirror", str(copy)])
    assert main(["log", "mirror", str(tmp_path / "second"), "--url", url, "--vkey", log.vkey()]) == 0
    assert (tmp_path / "second" / "checkpoint").read_bytes() == (copy / "checkpoint").read_bytes()


def test_log_audit_holds_the_bundles_head_against_this_servers_log(signer, penholder, circulating, tmp_path, capsys):
    sign(signer, circulating)
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(penholder.api.get(f"/letters/{circulating['id']}/bundle").json()))
    penholder.api.post(f"/letters/{circulating['id']}/close")  # a later event: the head was true when signed
    capsys.readouterr()
    assert main(["log", "audit", circulating["handle"], "--head", str(bundle)]) == 0
    assert "the signed head (index" in capsys.readouterr().out
