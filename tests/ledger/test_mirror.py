"""``undersigned log mirror``: a static copy of the log in the tlog-tiles layout, checked
before it is written, which ``log audit --url`` accepts when ``python -m http.server`` serves it."""

import io
import socket
import subprocess
import sys
import time

import pytest

from ledger.audit_command import main as audit_main
from ledger.errors import ConsistencyError, FetchError, InclusionError
from ledger.mirror import main as mirror_main
from ledger.mirror import mirror
from ledger.tiles import TILE_HEIGHT, TILE_WIDTH, entry_bundle, parse_tile_path

from make_fixtures import ORGS, ORIGIN, Org, fixed_seed, log_signer, realistic_history

HANDLE = "lt-7Qm2xKc9"


class Served:
    """A FixtureLog's files, as record/views.py serves them."""

    def __init__(self, log):
        self.log, self.note, self.size = log, log.checkpoint(), log.size
        self.fetched: list[str] = []

    def __call__(self, path: str) -> bytes:
        self.fetched.append(path)
        if path == "checkpoint":
            return self.note.encode()
        address = parse_tile_path(path)
        level = 0 if address.level is None else address.level
        available = max(0, min(TILE_WIDTH, (self.size >> (TILE_HEIGHT * level)) - address.index * TILE_WIDTH))
        if available < address.width:
            raise FetchError(f"GET {path}: HTTP 404 Not Found")
        if address.level is None:
            first = address.index * TILE_WIDTH
            return entry_bundle(self.log.entries[first : first + address.width])
        return self.log.store.tiles[(address.level, address.index)][: address.width * 32]


def big_history(fillers: int = 300):
    log, letter, other = realistic_history()
    for i in range(fillers):
        log.register(Org(f"filler{i}", fixed_seed(f"filler{i}")), f"Filler {i}")
    return log, letter, other


@pytest.fixture
def static_server(tmp_path):
    """``python -m http.server`` serving tmp_path/copy: yields the copy's directory and URL."""
    copy = tmp_path / "copy"
    copy.mkdir()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(copy)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
        assert time.monotonic() < deadline, "http.server did not start"
        time.sleep(0.05)
    yield copy, f"http://127.0.0.1:{port}/"
    server.terminate()
    server.wait(10)


def audit(url: str, vkey: str, *argv) -> tuple[int, str]:
    out = io.StringIO()
    return audit_main([HANDLE, "--url", url, "--vkey", vkey, *argv], stdout=out), out.getvalue()


def test_a_mirror_served_by_http_server_passes_the_audit(static_server):
    copy, url = static_server
    log, _, _ = big_history()
    report = mirror(Served(log), copy, log.signer.vkey)
    assert (report.size, report.previous_size, report.fetched) == (log.size, 0, 2)
    assert (copy / "checkpoint").read_text() == Served(log).note
    assert (copy / "tile/entries/000").exists() and (copy / "tile/1/000.p/1").exists()
    code, out = audit(url, log.signer.vkey)
    assert code == 0, out
    assert f"Audited: letter {HANDLE}, status published" in out


def test_updating_a_mirror_fetches_only_new_entries_and_keeps_older_partial_tiles(static_server):
    copy, url = static_server
    log, _, other = big_history()
    mirror(Served(log), copy, log.signer.vkey)
    first = log.size
    other.sign(ORGS["ita"], 1)
    for i in range(300):
        log.register(Org(f"more{i}", fixed_seed(f"more{i}")), f"More {i}")
    served = Served(log)
    report = mirror(served, copy, log.signer.vkey)
    assert report.previous_size == first and report.size == log.size
    fetched = [p for p in served.fetched if p.startswith("tile/entries/")]
    assert fetched == ["tile/entries/001", f"tile/entries/002.p/{log.size - 512}"]
    assert (copy / f"tile/entries/001.p/{first - 256}").exists()  # a reader of the older checkpoint still finds it
    assert audit(url, log.signer.vkey)[0] == 0


def test_a_log_that_rewrote_its_history_is_not_copied(tmp_path):
    log, _, _ = big_history()
    mirror(Served(log), tmp_path, log.signer.vkey)
    before = (tmp_path / "checkpoint").read_text()
    rewritten, _, _ = big_history()
    rewritten.entries[3] = rewritten.entries[3].replace(b'"kind":"state"', b'"kind":"igo"')
    rewritten.append(b"one more entry")
    for path in tmp_path.glob("tile/entries/*"):  # a mirror that re-reads every entry from the log
        path.unlink() if path.is_file() else None
    with pytest.raises(ConsistencyError, match="rewrote its history"):
        mirror(Served(rewritten), tmp_path, log.signer.vkey)
    assert (tmp_path / "checkpoint").read_text() == before


def test_a_log_that_shrank_is_not_copied(tmp_path):
    log, _, _ = big_history()
    mirror(Served(log), tmp_path, log.signer.vkey)
    smaller, _, _ = big_history(fillers=10)
    with pytest.raises(ConsistencyError, match="a log never shrinks"):
        mirror(Served(smaller), tmp_path, log.signer.vkey)


def test_entries_that_do_not_give_the_checkpoints_root_are_not_copied(tmp_path):
    log, _, _ = big_history()
    served = Served(log)
    log.entries[5] = b"changed after signing"
    with pytest.raises(InclusionError, match="the entries give"):
        mirror(served, tmp_path, log.signer.vkey)
    assert not (tmp_path / "checkpoint").exists()


def test_the_command_reads_the_url_or_the_servers_database_and_checks_the_key(tmp_path, capsys):
    assert mirror_main([str(tmp_path)]) == 64  # neither --url nor the server's database
    log, _, _ = big_history(fillers=0)
    impostor = log_signer(ORIGIN, "impostor").vkey
    assert mirror_main([str(tmp_path), "--vkey", impostor], fetch=Served(log)) == 3
    assert "checkpoint (exit 3)" in capsys.readouterr().err and not (tmp_path / "checkpoint").exists()
    assert mirror_main([str(tmp_path)], fetch=Served(log), vkey=log.signer.vkey) == 0
    assert "mirrored size 25 (was 0)" in capsys.readouterr().out
    assert mirror_main([str(tmp_path)], fetch=Served(log)) == 0
    assert "the checkpoint's signature was not checked: give --vkey" in capsys.readouterr().err
