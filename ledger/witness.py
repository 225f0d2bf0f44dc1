"""A C2SP tlog-witness (https://c2sp.org/tlog-witness): it cosigns a log's checkpoints, each
only if it extends the last one the witness cosigned, so a log that shows two different trees
to two parties cannot get both cosigned by the same witness.

``undersigned witness serve --log-vkey VKEY --db PATH [--port P]`` runs one. Pure Python and
the standard library (``http.server``, ``sqlite3``): a witness needs nothing of the server's.

The request (``POST <prefix>/add-checkpoint``) is ``old <size>\\n``, up to 63 base64 hashes of a
consistency proof from that size, one per line, an empty line, then the signed checkpoint.
Answers, in the order they are checked:

* 400 the request does not parse, or the old size is larger than the checkpoint's;
* 404 the checkpoint's origin is not a log this witness knows;
* 403 no signature on the checkpoint verifies with the log's key;
* 409 the old size is not the size the witness last cosigned; the body is that size and a
  newline (``text/x.tlog.size``), so the log can send a proof from there;
* 422 the proof does not show the checkpoint extends what the witness holds, or it is the
  same size with another root (C2SP's current text answers 409 there; 422 keeps 409 for
  "send a proof from this size", which a client would retry for ever);
* 200 the witness stored the checkpoint as its latest and answers its cosignature line.

Checking the old size and storing the new checkpoint happen in one SQLite transaction that
holds the database's write lock from its first read (``BEGIN IMMEDIATE``), so two requests
at once cannot roll the witness back (the race described in the spec).
"""

import argparse
import os
import re
import socket
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from .checkpoint import Checkpoint, parse_checkpoint
from .command_line import USAGE_EXIT, Parser, UsageError
from .cosignature import WitnessSigner, generate_witness_key
from .encoding import b64decode, b64encode
from .errors import ConsistencyError
from .merkle import HASH_SIZE, verify_consistency
from .note import NoteError, Verifier, open_note, split_note

MAX_PROOF_LINES = 63
MAX_REQUEST_BYTES = 64 * 1024
SIZE_CONTENT_TYPE = "text/x.tlog.size"
DEFAULT_PORT = 7380
_OLD_LINE = re.compile(r"old (0|[1-9][0-9]*)")  # decimal, no leading zeros


# --- the request, shared by the witness and the log that submits to it --------------------


def add_checkpoint_body(old_size: int, proof: list[bytes], note: str) -> bytes:
    """The body of an add-checkpoint request."""
    lines = [f"old {old_size}\n", *(b64encode(h) + "\n" for h in proof), "\n", note]
    return "".join(lines).encode("utf-8")


class BadRequest(ValueError):
    pass


def parse_add_checkpoint(body: bytes) -> tuple[int, list[bytes], str]:
    """``(old size, proof hashes, checkpoint note)`` of a request body; raises BadRequest."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request is not UTF-8") from None
    head, blank, note = text.partition("\n\n")
    if not blank:
        raise BadRequest("the request has no empty line before the checkpoint")
    old_line, *proof_lines = head.split("\n")
    old = _OLD_LINE.fullmatch(old_line)
    if old is None:
        raise BadRequest(f"the first line is {old_line[:40]!r}, expected 'old <size>'")
    if len(proof_lines) > MAX_PROOF_LINES:
        raise BadRequest(f"{len(proof_lines)} proof lines, at most {MAX_PROOF_LINES}")
    proof = []
    for line in proof_lines:
        try:
            digest = b64decode(line)
        except ValueError as error:
            raise BadRequest(f"proof line: {error}") from None
        if len(digest) != HASH_SIZE:
            raise BadRequest(f"proof line {line[:20]!r} is not a {HASH_SIZE}-byte hash")
        proof.append(digest)
    return int(old.group(1)), proof, note


# --- the witness's state -----------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"


SCHEMA = """CREATE TABLE IF NOT EXISTS checkpoints (
    origin TEXT PRIMARY KEY,  -- the log's origin line
    size INTEGER NOT NULL,    -- the size of the latest checkpoint cosigned (or pinned)
    root BLOB NOT NULL,
    note TEXT NOT NULL,       -- that checkpoint, as the log signed it
    updated_at INTEGER NOT NULL
)"""


class WitnessState:
    """The latest checkpoint of each log, in a SQLite file. Each ``transaction`` opens its own
    connection and holds the write lock from the start, against other threads and processes."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        with self.transaction() as db:
            db.execute(SCHEMA)

    def transaction(self) -> "_Transaction":
        return _Transaction(self.path)

    def latest(self, origin: str) -> tuple[int, bytes] | None:
        with self.transaction() as db:
            return _latest(db, origin)


def _latest(db: sqlite3.Connection, origin: str) -> tuple[int, bytes] | None:
    row = db.execute("SELECT size, root FROM checkpoints WHERE origin = ?", (origin,)).fetchone()
    return None if row is None else (row[0], bytes(row[1]))


def _store(db: sqlite3.Connection, checkpoint: Checkpoint, note: str) -> None:
    db.execute(
        "INSERT INTO checkpoints (origin, size, root, note, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root, "
        "note = excluded.note, updated_at = excluded.updated_at",
        (checkpoint.origin, checkpoint.size, checkpoint.root, note, int(time.time())),
    )


class _Transaction:
    def __init__(self, path: str):
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        try:
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self.db.close()


# --- the witness ---------------------------------------------------------------------------


class Witness:
    """The checks of add-checkpoint, without HTTP. ``logs`` maps each known origin to the
    log's note verifier; ``clock`` gives the cosignatures' time (POSIX seconds)."""

    def __init__(
        self,
        signer: WitnessSigner,
        logs: dict[str, Verifier],
        state: WitnessState,
        clock: Callable[[], float] = time.time,
    ):
        self.signer, self.logs, self.state, self.clock = signer, logs, state, clock

    def add_checkpoint(self, body: bytes) -> Answer:
        try:
            old_size, proof, note = parse_add_checkpoint(body)
            text, _ = split_note(note)
            checkpoint = parse_checkpoint(text)
        except ValueError as error:  # BadRequest, NoteError and a checkpoint that does not parse
            return Answer(400, f"{error}\n".encode())
        verifier = self.logs.get(checkpoint.origin)
        if verifier is None:
            return Answer(404, f"unknown log {checkpoint.origin!r}\n".encode())
        try:
            open_note(note, verifier)
        except NoteError as error:
            return Answer(403, f"{error}\n".encode())
        if old_size > checkpoint.size:
            return Answer(400, f"old size {old_size} is larger than the checkpoint's {checkpoint.size}\n".encode())
        with self.state.transaction() as db:
            answer = self._check_against_latest(db, old_size, proof, checkpoint)
            if answer is not None:
                return answer
            _store(db, checkpoint, note)
        line = self.signer.cosign(text, int(self.clock())).line
        return Answer(200, line.encode())

    @staticmethod
    def _check_against_latest(
        db: sqlite3.Connection, old_size: int, proof: list[bytes], checkpoint: Checkpoint
    ) -> Answer | None:
        latest = _latest(db, checkpoint.origin)
        size, root = latest if latest is not None else (0, None)
        if old_size != size:
            return Answer(409, f"{size}\n".encode(), SIZE_CONTENT_TYPE)
        if root is None:  # the first checkpoint of this log: trusted as it comes
            if proof:
                return Answer(422, b"a proof from size 0 must be empty\n")
            return None
        try:
            verify_consistency(size, checkpoint.size, root, checkpoint.root, proof)
        except ConsistencyError as error:
            return Answer(422, f"not consistent with the checkpoint of size {size} cosigned before: {error}\n".encode())
        return None

    def pin(self, note: str) -> str:
        """Trust ``note`` (a checkpoint of a known log) as the latest, when nothing is stored
        yet for its log; raises ValueError if it contradicts what is stored. Returns what it did."""
        checkpoint = parse_checkpoint(split_note(note)[0])
        verifier = self.logs.get(checkpoint.origin)
        if verifier is None:
            raise ValueError(f"the pinned checkpoint is of {checkpoint.origin!r}, not of a log given with --log-vkey")
        open_note(note, verifier)
        with self.state.transaction() as db:
            latest = _latest(db, checkpoint.origin)
            if latest is None:
                _store(db, checkpoint, note)
                return f"pinned {checkpoint.origin} at size {checkpoint.size}"
        size, root = latest
        if size == checkpoint.size and root != checkpoint.root:
            raise ValueError(f"the pinned checkpoint of size {size} has another root than the one this witness holds")
        return f"holds {checkpoint.origin} at size {size} already; the pin is not needed"


# --- over HTTP -----------------------------------------------------------------------------


class WitnessHandler(BaseHTTPRequestHandler):
    witness: Witness  # set on the subclass made by make_server
    protocol_version = "HTTP/1.1"  # keep-alive, as the spec asks clients and witnesses to use
    # Headers and body leave in two writes; without this, Nagle's algorithm holds the second
    # until the client's delayed ACK (about 40 ms a request on Linux).
    disable_nagle_algorithm = True
    server_version = "undersigned-witness"

    def do_POST(self) -> None:
        if self.path.rstrip("/").rsplit("/", 1)[-1] != "add-checkpoint":
            return self._answer(Answer(404, b"not found: POST <prefix>/add-checkpoint\n"))
        length = self.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > MAX_REQUEST_BYTES:
            self.close_connection = True
            return self._answer(Answer(400, f"a Content-Length of at most {MAX_REQUEST_BYTES} is needed\n".encode()))
        self._answer(self.witness.add_checkpoint(self.rfile.read(int(length))))

    def do_GET(self) -> None:
        """The witness's vkey, for its operator to publish."""
        self._answer(Answer(200, f"{self.witness.signer.key.vkey}\n".encode()))

    def _answer(self, answer: Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


class WitnessServer(ThreadingHTTPServer):
    daemon_threads = True
    verbose = False  # whether WitnessHandler logs each request


def make_server(witness: Witness, host: str = "127.0.0.1", port: int = 0, verbose: bool = False) -> WitnessServer:
    handler = type("Handler", (WitnessHandler,), {"witness": witness})
    server = WitnessServer((host, port), handler)
    server.verbose = verbose
    return server


def serve_in_thread(witness: Witness, host: str = "127.0.0.1") -> tuple[WitnessServer, str]:
    """A witness on a free port, served by a daemon thread; returns the server and its URL."""
    server = make_server(witness, host)
    threading.Thread(target=server.serve_forever, args=(0.05,), name="witness", daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}"


# --- its key and the command ---------------------------------------------------------------


def key_path(db_path: str | Path) -> Path:
    """The witness's private key lives beside its database, never in a repository."""
    return Path(f"{db_path}.key")


def load_or_create_key(db_path: str | Path, name: str | None) -> WitnessSigner:
    """The key kept beside the database, made on first start (readable by its owner only)."""
    path = key_path(db_path)
    if path.exists():
        signer = WitnessSigner.from_private(path.read_text(encoding="ascii"))
        if name is not None and name != signer.name:
            raise ValueError(f"{path} holds the key of witness {signer.name!r}, not {name!r}")
        return signer
    signer = generate_witness_key(name or default_name())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(signer.private + "\n")
    return signer


def default_name() -> str:
    return f"{socket.gethostname() or 'localhost'}/witness"


USAGE = (
    "usage: undersigned witness serve --log-vkey VKEY --db PATH [--port P] [--host H] [--name N] "
    "[--origin O] [--pin FILE] [--verbose]"
)


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="undersigned witness serve", description="Cosign a log's checkpoints (C2SP tlog-witness).")
    parser.add_argument(
        "--log-vkey",
        required=True,
        action="append",
        dest="log_vkeys",
        metavar="VKEY",
        help="the note verifier key of a log to witness (again for more logs)",
    )
    parser.add_argument("--db", required=True, help="the witness's SQLite file; its key is kept beside it, in DB.key")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (0.0.0.0 for every one)")
    parser.add_argument("--name", help="the witness's key name on first start (default: <host name>/witness)")
    parser.add_argument("--origin", help="the log's origin line, when it is not its key's name (one log only)")
    parser.add_argument(
        "--pin", metavar="FILE", help="a checkpoint of the log to trust first, instead of the first one submitted"
    )
    parser.add_argument("--verbose", action="store_true", help="log each request to standard error")
    return parser


def _logs(vkeys: list[str], origin: str | None) -> dict[str, Verifier]:
    verifiers = [Verifier.from_vkey(vkey) for vkey in vkeys]
    if origin is not None:
        if len(verifiers) != 1:
            raise UsageError("--origin names the origin of a single --log-vkey")
        return {origin: verifiers[0]}
    return {verifier.name: verifier for verifier in verifiers}


def main(argv: list[str] | None = None, stdout: TextIO | None = None) -> int:
    """``undersigned witness serve ...``: prints the witness's vkey, then serves until stopped."""
    stdout = stdout or sys.stdout
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["serve"]:
        argv = argv[1:]
    try:
        args = _parser().parse_args(argv)
        logs = _logs(args.log_vkeys, args.origin)
        pin = Path(args.pin).read_text(encoding="utf-8") if args.pin else None
    except (UsageError, NoteError, OSError, UnicodeDecodeError) as error:
        print(f"{USAGE}\n{error}", file=sys.stderr)
        return USAGE_EXIT
    try:
        witness = Witness(load_or_create_key(args.db, args.name), logs, WitnessState(args.db))
        if pin is not None:
            print(witness.pin(pin), file=sys.stderr)
        server = make_server(witness, args.host, args.port, args.verbose)
    except (ValueError, OSError, sqlite3.Error) as error:
        print(f"undersigned witness: {error}", file=sys.stderr)
        return 1
    print(witness.signer.key.vkey, file=stdout, flush=True)
    host, port = server.server_address[:2]  # an IP socket's: (str, int)
    print(f"witnessing {', '.join(sorted(logs))} at http://{host!s}:{port}/add-checkpoint", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
