"""Crash safety: SIGKILL `undersigned serve` in the middle of a signing storm, then restart it.

Every signature answered 201 before the crash must be in the database and in the log (a
signature.signed entry at the index the response named); the server must start again (its
start-up check compares the stored tree with the latest checkpoint); `undersigned log check`
must pass; and the checkpoint after the restart must be consistent (RFC 9162 consistency proof
from the API) with every checkpoint the log served before the crash, each of which must carry a
valid signature by the log's key.

The instance is a fresh one of its own, not pytest-django's test database: a temp SQLite file,
or, when DATABASE_URL names a PostgreSQL server, a freshly created database on that server.
"""

import base64
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from ledger import checkpoint as checkpoints
from ledger import merkle, note

ORGS = 30
LETTERS = 60  # 1,800 signatures: enough that the storm outlasts the kill at several hundred a second
STORM_THREADS = 8
KILL_AFTER_SECONDS = 1.5


def _undersigned() -> list[str]:
    script = Path(sys.executable).with_name("undersigned")
    return [str(script)] if script.exists() else [sys.executable, "-m", "undersigned.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    def __init__(self):
        self.var_dir = Path(tempfile.mkdtemp(prefix="undersigned-crash-"))
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        self.env.update(
            UNDERSIGNED_VAR_DIR=str(self.var_dir),
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(40),
            SECURE_SSL_REDIRECT="0",
            ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SETTINGS_MODULE="undersigned.settings",
        )
        self.pg_admin = self.pg_name = None
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            parts = urllib.parse.urlsplit(url)
            self.pg_admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
            self.pg_name = f"undersigned_crash_{secrets.token_hex(6)}"
            self._pg(f'CREATE DATABASE "{self.pg_name}"')
            self.env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path="/" + self.pg_name))
        self.port = _free_port()
        self.server = None

    def _pg(self, sql):
        import psycopg

        with psycopg.connect(self.pg_admin, autocommit=True) as conn:
            conn.execute(sql)

    def run(self, *args, timeout=120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*_undersigned(), *args], env=self.env, cwd=self.var_dir, capture_output=True, text=True, timeout=timeout
        )

    def shell(self, code: str):
        done = self.run("manage", "shell", "--no-imports", "-c", code)
        assert done.returncode == 0, done.stdout + done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self):
        # The server keeps its own copy of the log's descriptor: ours closes once it has started.
        with open(self.var_dir / "server.log", "ab") as log:
            self.server = subprocess.Popen(
                [*_undersigned(), "serve", "--port", str(self.port), "--workers", "2"],
                env=self.env,
                cwd=self.var_dir,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.server.poll() is None, f"the server exited with {self.server.returncode}:\n{self.server_log()}"
            try:
                status, _ = get(self.port, "/api/v1/openapi.json")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError("the server did not answer within 30 s")

    def server_log(self) -> str:
        return (self.var_dir / "server.log").read_text(errors="replace")[-3000:]

    def kill(self):
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(10)

    def destroy(self):
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(10)
        if self.pg_name:
            self._pg(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.var_dir, ignore_errors=True)


def get(port: int, path: str):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


SETUP = r"""
import json
from orgs.actions import add_organisation, add_member
from orgs.models import ApiToken
from letters import actions
from record import log
add_organisation("pen", "Penholder", "state", "CHE")
add_organisation("ohchr", "Office of the High Commissioner", "un_office")
drafter = add_member("drafter", "pen", "drafter").user
tokens = {}
for i in range(%(orgs)d):
    add_organisation(f"s{i:03d}", f"Signer {i}", "state")
    tokens[f"s{i:03d}"] = ApiToken.issue(add_member(f"signer{i:03d}", f"s{i:03d}", "signer").user)
letters = []
for j in range(%(letters)d):
    letter = actions.create_letter(drafter, title=f"Letter {j}", addressee="ohchr", body=f"Body {j}.", note="n").object
    actions.circulate(drafter, letter.id, invitees=sorted(tokens))
    version = letter.version(1)
    letters.append({"id": letter.id, "version": 1, "hash": version.hash})
print(json.dumps({"tokens": tokens, "letters": letters, "vkey": log.vkey()}))
"""

CHECK = r"""
import json
from collections import Counter
from letters.models import Letter, Signature
from record.models import Entry, LogHead
acked = json.loads(%(acked)r)
rows = Counter(Signature.objects.values_list("letter_id", "organisation__slug"))
at = dict(((l, o), i) for l, o, i in Signature.objects.values_list("letter_id", "organisation__slug", "log_index"))
signed = dict(Entry.objects.filter(type="signature.signed").values_list("index", "handle"))
handles = dict(Letter.objects.values_list("id", "handle"))
problems = []
for letter_id, org, index in acked:
    if rows.get((letter_id, org)) != 1:
        problems.append(f"letter {letter_id} / {org}: {rows.get((letter_id, org), 0)} signature rows")
    if at.get((letter_id, org)) != index or signed.get(index) != handles[letter_id]:
        problems.append(f"letter {letter_id} / {org}: no signature.signed entry at {index}")
print(json.dumps({"problems": problems, "log_size": LogHead.objects.get(pk=1).size,
                  "signature_rows": sum(rows.values()), "signed_entries": len(signed)}))
"""


@pytest.fixture
def instance():
    made = Instance()
    try:
        yield made
    finally:
        made.destroy()


def storm(port: int, work: list, acknowledged: list, stop: threading.Event):
    """Sign from one thread over a keep-alive connection until the server goes away."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for letter, org, token in work:
        if stop.is_set():
            break
        body = json.dumps({"version": letter["version"], "version_hash": letter["hash"]})
        try:
            connection.request(
                "POST",
                f"/api/v1/letters/{letter['id']}/signatures",
                body,
                {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            break  # the server was killed: this request's fate is unknown, and that is allowed
        if response.status == 201:
            acknowledged.append([letter["id"], org, json.loads(data)["log_index"]])
        else:
            assert response.status in (200, 409), (response.status, data)
    connection.close()


def watch_checkpoints(port: int, notes: set, stop: threading.Event):
    while not stop.is_set():
        try:
            status, data = get(port, "/log/checkpoint")
            if status == 200:
                notes.add(data.decode())
        except OSError:
            pass
        time.sleep(0.03)


def opened(vkey: str, text: str) -> checkpoints.Checkpoint:
    return checkpoints.parse_checkpoint(note.open_note(text, note.Verifier.from_vkey(vkey)))


def test_signatures_answered_201_survive_sigkill(instance):
    assert instance.run("manage", "migrate", "--verbosity", "0").returncode == 0
    setup = instance.shell(SETUP % {"orgs": ORGS, "letters": LETTERS})
    vkey = setup["vkey"]
    instance.start()

    work = [(letter, org, token) for letter in setup["letters"] for org, token in setup["tokens"].items()]
    shares = [work[i::STORM_THREADS] for i in range(STORM_THREADS)]
    acknowledged, notes, stop = [], set(), threading.Event()
    threads = [threading.Thread(target=storm, args=(instance.port, share, acknowledged, stop)) for share in shares]
    threads.append(threading.Thread(target=watch_checkpoints, args=(instance.port, notes, stop)))
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 15
    while (time.monotonic() < deadline and len(acknowledged) < 20) or len(notes) < 2:
        time.sleep(0.05)
    time.sleep(KILL_AFTER_SECONDS / 3)
    instance.kill()  # SIGKILL master and workers mid-storm
    stop.set()
    for thread in threads:
        thread.join(20)
    assert acknowledged, "no signature was acknowledged before the crash"
    assert len(acknowledged) < len(work), "the storm finished before the crash; nothing was interrupted"

    # Restart: `serve` refuses to start unless the stored tree matches the latest checkpoint.
    instance.start()
    check = instance.shell(CHECK % {"acked": json.dumps(acknowledged)})
    assert check["problems"] == [], check["problems"][:10]
    assert check["signature_rows"] == check["signed_entries"]

    # One more signature after the restart: its integration must pick up every entry
    # committed before the crash, so the checkpoint reaches the log's full size.
    letter, _org, token = work[-1]
    connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=10)
    connection.request(
        "POST",
        f"/api/v1/letters/{letter['id']}/signatures",
        json.dumps({"version": letter["version"], "version_hash": letter["hash"]}),
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    response = connection.getresponse()
    assert response.status in (200, 201), response.read()
    response.read()
    connection.close()
    status, data = get(instance.port, "/log/checkpoint")
    assert status == 200
    latest = opened(vkey, data.decode())
    assert latest.size >= check["log_size"], (
        "the checkpoint did not catch up with the entries committed before the crash"
    )

    # Every checkpoint served before the crash: signed by the log, and the new one extends it.
    assert notes
    for text in sorted(notes):
        old = opened(vkey, text)
        assert old.size <= latest.size
        if old.size == latest.size:
            assert old.root == latest.root
            continue
        status, body = get(instance.port, f"/api/v1/log/proof/consistency?old={old.size}&new={latest.size}")
        assert status == 200, body
        proof = [base64.b64decode(h) for h in json.loads(body)["proof"]]
        merkle.verify_consistency(old.size, latest.size, old.root, latest.root, proof)

    instance.kill()
    done = instance.run("log", "check")
    assert done.returncode == 0, done.stdout + done.stderr
