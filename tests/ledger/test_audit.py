"""``ledger.audit``: a letter's history checked against the public log, read as tlog-tiles files.

The log is built with ledger functions (make_fixtures' FixtureLog over a MemoryTileStore) and
served by a fake ``fetch`` that answers as record/views.py does; one test serves it over real
HTTP to exercise ``main`` with urllib."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ledger import events as ev
from ledger.audit import audit_handle
from ledger.audit_command import main
from ledger.errors import ChainError, CheckpointError, FetchError, InclusionError, MalformedBundle
from ledger.log_fetch import find_log
from ledger.tiles import TILE_HEIGHT, TILE_WIDTH, entry_bundle, parse_tile_path

from make_fixtures import ORGS, ORIGIN, Letter, Org, fixed_seed, log_signer, realistic_history

FILLER = 300  # org registrations before the letters, so the log spans several tiles


class FakeLog:
    """Serves a FixtureLog's checkpoint, hash tiles and entry bundles like record/views.py."""

    def __init__(self, log):
        self.log, self.note = log, log.checkpoint()
        self.size = log.size
        self.overrides: dict[str, bytes] = {}  # path -> bytes a lying server sends instead
        self.fetched: list[str] = []

    def width(self, level: int, number: int) -> int:
        return max(0, min(TILE_WIDTH, (self.size >> (TILE_HEIGHT * level)) - number * TILE_WIDTH))

    def __call__(self, path: str) -> bytes:
        self.fetched.append(path)
        if path in self.overrides:
            return self.overrides[path]
        if path == "checkpoint":
            return self.note.encode()
        try:
            address = parse_tile_path(path)
        except ValueError:
            raise FetchError(f"GET {path}: HTTP 404 Not Found") from None
        level = 0 if address.level is None else address.level
        if self.width(level, address.index) < address.width:
            raise FetchError(f"GET {path}: HTTP 404 Not Found")
        if address.level is None:
            first = address.index * TILE_WIDTH
            return entry_bundle(self.log.entries[first : first + address.width])
        return self.log.store.tiles[(address.level, address.index)][: address.width * 32]

    def bundle_path_of(self, index: int) -> str:
        number = index // TILE_WIDTH
        width = self.width(0, number)
        return f"tile/entries/{number:03d}" + ("" if width == TILE_WIDTH else f".p/{width}")


def history(change=None):
    """The realistic letter in a log of a few hundred entries; ``change(log, letter)`` is the
    server's lie, told before the checkpoint is signed."""
    log, letter, _other = realistic_history()
    for i in range(FILLER):
        log.register(Org(f"filler{i}", fixed_seed(f"filler{i}")), f"Filler {i}")
    extra = Letter(log, letter.handle, letter.penholder)  # unused unless a change records with it
    if change is not None:
        change(log, letter, extra)
    return FakeLog(log), letter


def audit(fake, handle=None, vkey=None, origin=None):
    return audit_handle(fake, handle or "lt-7Qm2xKc9", vkey or fake.log.signer.vkey, origin)


def only_problem(report, kind):
    assert not report.ok
    assert [type(p) for p in report.problems][:1] == [kind], [p.message for p in report.problems]
    return report.problems[0].message


# --- a sound log ----------------------------------------------------------------------------


def test_a_sound_log_passes_and_lists_the_letters_events():
    fake, letter = history()
    report = audit(fake, origin=ORIGIN)
    assert report.ok, [p.message for p in report.problems]
    assert [e.index for e in report.events] == letter.indexes
    assert [e.seq for e in report.events] == list(range(len(letter.indexes)))
    assert report.events[0].type == ev.LETTER_CREATED and report.events[-1].type == ev.LETTER_PUBLISHED
    assert report.status == "published"
    assert report.size == fake.size > TILE_WIDTH
    assert report.tiles_checked >= 1
    # Every entry bundle was read, each once.
    bundles = [p for p in fake.fetched if p.startswith("tile/entries/")]
    assert len(bundles) == len(set(bundles)) == -(-fake.size // TILE_WIDTH)


def test_a_letter_spread_over_several_tiles_passes():
    def spread(log, letter, extra):
        for i in range(3):
            more = [Org(f"more{i}-{j}", fixed_seed(f"more{i}-{j}")) for j in range(200)]
            for org in more:
                log.register(org, "More")
            letter.sign(more[0], 2)  # a late signature, after publication

    fake, letter = history(spread)
    report = audit(fake)
    assert report.ok, [p.message for p in report.problems]
    assert len({index // TILE_WIDTH for index in letter.indexes}) >= 3
    assert [e.index for e in report.events] == letter.indexes
    assert sum(p.startswith("tile/0/") for p in fake.fetched) >= 3


def test_another_handle_is_audited_on_its_own():
    fake, _ = history()
    report = audit(fake, handle="lt-Zp4RvN81")
    assert report.ok, [p.message for p in report.problems]
    assert [e.type for e in report.events] == [ev.LETTER_CREATED, ev.LETTER_CIRCULATED, ev.SIGNATURE_SIGNED]


def test_a_handle_the_log_never_names_fails_as_chain():
    fake, _ = history()
    assert "names handle 'lt-nowhere'" in only_problem(audit(fake, handle="lt-nowhere"), ChainError)


# --- a log that lies about the letter --------------------------------------------------------


def test_a_removed_event_of_the_handle_fails_as_chain():
    def remove(log, letter, extra):
        del log.entries[letter.indexes[5]]

    fake, _ = history(remove)
    report = audit(fake)
    message = only_problem(report, ChainError)
    assert "expected seq 5, found 6" in message
    assert any("expected prev" in p.message for p in report.problems)


def test_a_duplicated_event_of_the_handle_fails_as_chain():
    def duplicate(log, letter, extra):
        log.append(log.entries[letter.indexes[3]])

    fake, letter = history(duplicate)
    message = only_problem(audit(fake), ChainError)
    assert f"expected seq {len(letter.indexes)}, found 3" in message


def test_reordered_events_of_the_handle_fail_as_chain():
    def swap(log, letter, extra):
        a, b = letter.indexes[6], letter.indexes[7]
        log.entries[a], log.entries[b] = log.entries[b], log.entries[a]

    fake, _ = history(swap)
    assert "expected seq 6, found 7" in only_problem(audit(fake), ChainError)


def test_an_event_of_another_letter_forking_the_chain_fails_as_chain():
    """A second chain claims the handle: it continues from seq 2 as the real letter did."""

    def fork(log, letter, extra):
        forked = Letter(log, letter.handle, ORGS["deu"], indexes=letter.indexes[:3], versions=dict(letter.versions))
        forked.sign(ORGS["ita"], 1)

    fake, letter = history(fork)
    message = only_problem(audit(fake), ChainError)
    assert f"expected seq {len(letter.indexes)}, found 3" in message


def test_a_second_letter_created_under_the_same_handle_fails_as_chain():
    def impostor(log, letter, extra):
        extra.create("ohchr", "Another text", "Under the same handle.")

    fake, letter = history(impostor)
    assert f"expected seq {len(letter.indexes)}, found 0" in only_problem(audit(fake), ChainError)


def test_a_public_story_rule_broken_in_the_log_fails_as_story():
    def replays(log, letter, extra):
        extra.indexes, extra.versions, extra.deliveries = list(letter.indexes), dict(letter.versions), 2
        extra.sign(ORGS["ita"], 2, replaces=letter.indexes[5])  # ita's first signature, withdrawn

    fake, letter = history(replays)
    report = audit(fake)
    assert [p.step for p in report.problems] == ["story"], [p.message for p in report.problems]
    assert f"replaces index {letter.indexes[5]}, which is not a live signature" in report.problems[0].message
    assert report.exit_code == 8


# --- a log that lies about its tree ----------------------------------------------------------


def test_a_tampered_entry_fails_the_root_check():
    fake, letter = history()
    index = letter.indexes[2]
    path = fake.bundle_path_of(index)
    first = index - index % TILE_WIDTH
    entries = fake.log.entries[first : first + fake.width(0, index // TILE_WIDTH)]
    position = index - first
    tampered = entries[position].replace(b'"names":"invitees"', b'"names":"penholder"')
    assert tampered != entries[position]
    entries = [*entries[:position], tampered, *entries[position + 1 :]]
    fake.overrides[path] = entry_bundle(entries)
    message = only_problem(audit(fake), InclusionError)
    assert "the checkpoint signs root" in message and "the entries give" in message
    assert len(audit(fake).problems) == 1  # nothing is said about events the tree does not vouch for


def test_a_served_hash_tile_that_differs_from_the_entries_fails():
    fake, letter = history()
    number = letter.indexes[0] // TILE_WIDTH
    width = fake.width(0, number)
    path = f"tile/0/{number:03d}" + ("" if width == TILE_WIDTH else f".p/{width}")
    data = bytearray(fake(path))
    data[32 * 4] ^= 1
    fake.overrides[path] = bytes(data)
    message = only_problem(audit(fake), InclusionError)
    assert message.startswith(f"{path}: hash 4 is ")


def test_an_entry_bundle_short_of_entries_fails_as_malformed():
    fake, _ = history()
    path = fake.bundle_path_of(0)
    fake.overrides[path] = entry_bundle(fake.log.entries[: TILE_WIDTH - 1])
    assert "expected 256 entries, found 255" in only_problem(audit(fake), MalformedBundle)


def test_an_entry_that_is_not_an_event_is_reported_as_malformed():
    def junk(log, letter, extra):
        log.append(b'{"not":"an event"}')

    fake, _ = history(junk)
    report = audit(fake)
    assert "is not an undersigned event" in only_problem(report, MalformedBundle)
    assert report.events  # the letter's events are still listed


# --- the checkpoint --------------------------------------------------------------------------


def test_a_wrong_vkey_fails_the_checkpoint():
    fake, _ = history()
    impostor = log_signer(ORIGIN, "impostor").vkey
    message = only_problem(audit(fake, vkey=impostor), CheckpointError)
    assert "no signature by" in message
    assert fake.fetched == ["checkpoint"]


def test_another_origin_than_expected_fails_the_checkpoint():
    fake, _ = history()
    message = only_problem(audit(fake, origin="elsewhere.example/log"), CheckpointError)
    assert "expected origin 'elsewhere.example/log'" in message


def test_a_missing_tile_is_a_fetch_problem():
    fake, _ = history()

    def fetch(path):
        if path.startswith("tile/entries/001"):
            raise FetchError(f"GET {path}: HTTP 404 Not Found")
        return fake(path)

    report = audit_handle(fetch, "lt-7Qm2xKc9", fake.log.signer.vkey)
    assert "tile/entries/001" in only_problem(report, FetchError)
    assert report.exit_code == 69


# --- the command, over real HTTP -------------------------------------------------------------


@pytest.fixture
def served():
    fake, _ = history()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # the name http.server calls
            path = self.path.removeprefix("/log/")
            try:
                body, status = fake(path), 200
            except FetchError:
                body, status = b"not found", 404
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake, f"http://127.0.0.1:{server.server_address[1]}/log"
    server.shutdown()
    server.server_close()


def run(argv):
    out = io.StringIO()
    return main(argv, stdout=out), out.getvalue()


def test_main_audits_over_http_and_prints_json(served):
    fake, url = served
    code, out = run(["audit", "lt-7Qm2xKc9", "--url", url, "--vkey", fake.log.signer.vkey, "--json"])
    assert code == 0, out
    result = json.loads(out)
    assert result["ok"] and result["status"] == "published" and result["log"]["size"] == fake.size
    assert result["events"][0] == {
        "index": result["events"][0]["index"],
        "seq": 0,
        "type": "letter.created",
        "time": result["events"][0]["time"],
    }


def test_main_prints_a_readable_report(served):
    fake, url = served
    code, out = run(["lt-7Qm2xKc9", "--url", url + "/", "--vkey", fake.log.signer.vkey])
    assert code == 0
    assert "Audited: letter lt-7Qm2xKc9, status published" in out
    assert " seq 0 " in out and "letter.created" in out


def test_main_exit_codes_for_a_wrong_key_and_an_http_failure(served):
    fake, url = served
    impostor = log_signer(ORIGIN, "impostor").vkey
    assert run(["lt-7Qm2xKc9", "--url", url, "--vkey", impostor])[0] == 3
    code, out = run(["lt-7Qm2xKc9", "--url", url + "/nowhere", "--vkey", fake.log.signer.vkey, "--json"])
    assert code == 69
    assert "HTTP 404" in json.loads(out)["problems"][0]["message"]


@pytest.mark.parametrize("ending", ["", "/"])
def test_main_accepts_the_sites_root_and_finds_the_log_under_it(served, ending):
    fake, url = served
    root = url.removesuffix("/log")
    code, out = run(["lt-7Qm2xKc9", "--url", root + ending, "--vkey", fake.log.signer.vkey])
    assert code == 0, out
    assert "Audited: letter lt-7Qm2xKc9, status published" in out
    assert fake.fetched.count("checkpoint") == 1  # the checkpoint found is the one audited


def test_main_names_every_url_it_tried_when_no_log_is_found(served):
    fake, url = served
    code, out = run(["lt-7Qm2xKc9", "--url", url + "/nowhere/", "--vkey", fake.log.signer.vkey, "--json"])
    assert code == 69
    message = json.loads(out)["problems"][0]["message"]
    assert f"GET {url}/nowhere/checkpoint: HTTP 404" in message
    assert f"GET {url}/nowhere/log/checkpoint: HTTP 404" in message
    assert "--url is the log's base URL" in message


def test_a_page_at_the_sites_root_that_is_not_a_checkpoint_is_passed_over():
    fake, _ = history()

    def fetcher(base, timeout):
        if base == "https://undersigned.example/log":
            return fake
        return lambda path: b"<!doctype html><title>Undersigned</title>"

    fetch = find_log("https://undersigned.example", 5, fetcher)
    assert fetch("checkpoint") == fake.note.encode()
    with pytest.raises(FetchError) as nowhere:
        find_log("https://undersigned.example/elsewhere", 5, fetcher)
    assert (
        "GET https://undersigned.example/elsewhere/checkpoint: not a checkpoint; "
        "GET https://undersigned.example/elsewhere/log/checkpoint: not a checkpoint"
    ) in nowhere.value.message


def test_main_unreachable_server_is_a_fetch_problem():
    code, out = run(["lt-x", "--url", "http://127.0.0.1:9/log", "--vkey", log_signer().vkey, "--timeout", "2"])
    assert code == 69
    assert "GET http://127.0.0.1:9/log/checkpoint" in out


@pytest.mark.parametrize(
    "argv", [[], ["lt-x"], ["lt-x", "--url", "http://x"], ["lt-x", "--url", "http://x", "--vkey", "not a vkey"]]
)
def test_main_usage_errors(argv):
    assert run(argv)[0] == 64


def test_a_handle_that_begins_with_a_dash_is_a_handle_not_an_option():
    fake, _ = history(lambda log, letter, extra: Letter(log, "-Zp4dashed", ORGS["fra"]).create("ohchr", "T", "B"))
    out = io.StringIO()
    assert (
        main(["-Zp4dashed", "--url", "http://log.example/", "--vkey", fake.log.signer.vkey], stdout=out, fetch=fake)
        == 0
    )
    assert "Audited: letter -Zp4dashed, status draft" in out.getvalue()
