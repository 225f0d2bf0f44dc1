"""``undersigned witness serve`` answers add-checkpoint as C2SP tlog-witness says: each status
code for its reason, over real HTTP on 127.0.0.1 with keep-alive."""

import http.client
import threading
import urllib.parse

import pytest
from witnessing import ORIGIN, grow, grown_log, post, request_from, witness_on

from ledger.cosignature import check_cosignatures
from ledger.witness import serve_in_thread

from make_fixtures import log_signer


@pytest.fixture
def witness(tmp_path):
    return witness_on(tmp_path / "witness.sqlite3")


@pytest.fixture
def url(witness):
    server, url = serve_in_thread(witness)
    yield url
    server.shutdown()
    server.server_close()


def first_cosigned(url):
    """A log of 10 entries whose first checkpoint the witness cosigned."""
    log = grown_log(10)
    assert post(url, request_from(log, 0, log.checkpoint()))[0] == 200
    return log


def test_the_first_checkpoint_of_a_log_is_cosigned_with_a_line_its_key_verifies(witness, url):
    log = grown_log(10)
    note = log.checkpoint()
    status, _, body = post(url, request_from(log, 0, note))
    assert status == 200
    lines = body.decode().splitlines(keepends=True)
    assert len(lines) == 1 and lines[0].startswith("\u2014 witness.example/w1 ")
    assert check_cosignatures(note + body.decode(), [witness.signer.key]).valid == {
        witness.signer.key.label: 1_700_000_000
    }


def test_a_checkpoint_that_extends_the_last_one_with_a_proof_is_cosigned(url):
    log = first_cosigned(url)
    grow(log, 300)
    assert post(url, request_from(log, 10, log.checkpoint()))[0] == 200


def test_the_same_checkpoint_again_is_cosigned_again(url):
    log = first_cosigned(url)
    assert post(url, request_from(log, 10, log.checkpoint()))[0] == 200


def test_an_unknown_origin_is_404(url):
    log = grown_log(3)
    log.signer = log_signer("other.example/log")
    status, _, body = post(url, request_from(log, 0, log.checkpoint()))
    assert status == 404 and b"other.example/log" in body


def test_a_checkpoint_the_logs_key_did_not_sign_is_403(url):
    log = grown_log(3, signer_seed="impostor")  # same name, another key
    assert post(url, request_from(log, 0, log.checkpoint()))[0] == 403


def test_an_old_size_above_the_checkpoints_is_400(url):
    log = grown_log(3)
    assert post(url, request_from(log, 4, log.checkpoint()))[0] == 400


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"old 0\n",
        b"old 01\n\nx\n",
        b"new 0\n\nx\n",
        b"old 0\nnot base64!\n\nx\n",
        b"old 0\n\nnot a note\n",
        "old 0\n\n\u2014 x\n".encode(),
        b"\xff\xfe",
    ],
)
def test_a_request_that_does_not_parse_is_400(url, body):
    assert post(url, body)[0] == 400


def test_more_than_63_proof_lines_is_400(url):
    log = grown_log(3)
    note = log.checkpoint()
    body = b"old 0\n" + b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n" * 64 + b"\n" + note.encode()
    assert post(url, body)[0] == 400


def test_an_old_size_other_than_the_stored_one_is_409_with_that_size(url):
    log = first_cosigned(url)
    grow(log, 5)
    status, content_type, body = post(url, request_from(log, 0, log.checkpoint()))
    assert (status, content_type, body) == (409, "text/x.tlog.size", b"10\n")
    status, content_type, body = post(url, request_from(log, 12, log.checkpoint()))
    assert (status, content_type, body) == (409, "text/x.tlog.size", b"10\n")


def test_a_proof_that_does_not_verify_is_422(url):
    log = first_cosigned(url)
    grow(log, 20)
    note = log.checkpoint()
    good = request_from(log, 10, note).decode()
    first_hash = good.split("\n")[1]
    bad = good.replace(first_hash, ("B" if first_hash[0] == "A" else "A") + first_hash[1:], 1)
    assert post(url, bad.encode())[0] == 422


def test_a_first_checkpoint_with_proof_lines_is_422(url):
    log = grown_log(3)
    note = log.checkpoint()
    body = b"old 0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n" + note.encode()
    assert post(url, body)[0] == 422


def test_the_same_size_with_another_root_is_422(url):
    first_cosigned(url)
    fork = grown_log(10, prefix=b"forked")
    assert post(url, request_from(fork, 10, fork.checkpoint()))[0] == 422


def test_a_witness_keeps_the_connection_open_for_the_next_request(url):
    log = grown_log(3)
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(url).netloc, timeout=10)
    assert post(url, request_from(log, 0, log.checkpoint()), connection)[0] == 200
    sock = connection.sock
    grow(log, 3)
    assert post(url, request_from(log, 3, log.checkpoint()), connection)[0] == 200
    assert connection.sock is sock


def test_a_get_answers_the_witnesss_vkey(witness, url):
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(url).netloc, timeout=10)
    connection.request("GET", "/")
    assert connection.getresponse().read().decode() == witness.signer.key.vkey + "\n"


def test_of_many_first_checkpoints_submitted_at_once_exactly_one_is_cosigned(tmp_path):
    """Check and store are one transaction: without it two requests could both see size 0."""
    db = tmp_path / "witness.sqlite3"
    witnesses = [witness_on(db) for _ in range(4)]  # as four processes on one database would
    logs = [grown_log(size) for size in range(1, 41)]
    bodies = [request_from(log, 0, log.checkpoint()) for log in logs]
    statuses, start = [], threading.Barrier(len(bodies))

    def submit(number, body):
        start.wait()
        statuses.append(witnesses[number % 4].add_checkpoint(body).status)

    threads = [threading.Thread(target=submit, args=item) for item in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 39


def test_a_witness_restarted_from_its_database_refuses_to_roll_back(tmp_path):
    db = tmp_path / "witness.sqlite3"
    log = grown_log(10)
    older = log.checkpoint()
    grow(log, 10)
    newer = log.checkpoint()
    assert witness_on(db).add_checkpoint(request_from(log, 0, older)).status == 200
    assert witness_on(db).add_checkpoint(request_from(log, 10, newer)).status == 200

    restarted = witness_on(db)
    assert restarted.signer.key == witness_on(db).signer.key  # the same key, read back from beside the database
    rollback = restarted.add_checkpoint(request_from(log, 0, older))
    assert (rollback.status, rollback.body) == (409, b"20\n")
    assert restarted.add_checkpoint(request_from(log, 20, older)).status == 400  # old 20 > size 10
    assert restarted.state.latest(ORIGIN)[0] == 20


def test_a_pinned_checkpoint_is_trusted_instead_of_the_first_submitted(tmp_path):
    log = grown_log(10)
    pinned = log.checkpoint()
    witness = witness_on(tmp_path / "witness.sqlite3")
    assert witness.pin(pinned) == f"pinned {ORIGIN} at size 10"
    fork = grown_log(12, prefix=b"forked")
    assert witness.add_checkpoint(request_from(fork, 0, fork.checkpoint())).status == 409
    assert witness.add_checkpoint(request_from(fork, 10, fork.checkpoint())).status == 422
    grow(log, 2)
    assert witness.add_checkpoint(request_from(log, 10, log.checkpoint())).status == 200
    with pytest.raises(ValueError, match="another root"):
        witness_on(tmp_path / "witness.sqlite3").pin(grown_log(12, prefix=b"forked").checkpoint())


def test_the_key_file_is_readable_by_its_owner_only(tmp_path):
    witness_on(tmp_path / "witness.sqlite3")
    assert (tmp_path / "witness.sqlite3.key").stat().st_mode & 0o077 == 0
