"""Shared by the benchmarks: a fresh Undersigned instance (SQLite in a temp dir or a fresh
PostgreSQL database), `undersigned serve` as a subprocess, and a small keep-alive HTTP/1.1
client on asyncio streams (standard library only, so the load generator stays cheap).

The benchmark process itself never imports Django: set-up and checks run inside the instance
through `undersigned manage shell -c`, with the instance's environment.
"""

import asyncio
import contextlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres:postgres@127.0.0.1:5432/postgres")


def undersigned_command() -> list[str]:
    """The console script of the interpreter running us (the project's venv)."""
    script = Path(sys.executable).with_name("undersigned")
    return [str(script)] if script.exists() else [sys.executable, "-m", "undersigned"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    """A fresh instance: its own var dir (keys, SQLite file) and its own database."""

    def __init__(self, db: str = "sqlite", label: str = "bench"):
        if db not in ("sqlite", "postgres"):
            raise ValueError(db)
        self.db = db
        self.var_dir = Path(tempfile.mkdtemp(prefix=f"undersigned-{label}-"))
        self.pg_name = None
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        self.env.update(
            {
                "UNDERSIGNED_VAR_DIR": str(self.var_dir),
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(40),
                "SECURE_SSL_REDIRECT": "0",
                "ALLOWED_HOSTS": "127.0.0.1",
                "LOG_LEVEL": "WARNING",
                "DJANGO_SETTINGS_MODULE": "undersigned.settings",
            }
        )
        if os.environ.get("BENCH_SOURCE"):
            # Run another copy of the source (e.g. `git archive HEAD` unpacked somewhere) with this
            # venv: a working tree in mid-edit cannot then break a measurement.
            self.env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [os.environ["BENCH_SOURCE"], os.environ.get("PYTHONPATH")])
            )
        if db == "postgres":
            self.pg_name = f"undersigned_{label}_{secrets.token_hex(4)}"
            pg_execute(f'CREATE DATABASE "{self.pg_name}"')
            self.env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + self.pg_name
        self.server: subprocess.Popen | None = None
        self.port = None

    # -- commands in the instance
    def run(self, *args, check=True, timeout=600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*undersigned_command(), *args],
            env=self.env,
            cwd=self.var_dir,
            capture_output=True,
            text=True,
            check=check,
            timeout=timeout,
        )

    def migrate(self) -> None:
        self.run("manage", "migrate", "--verbosity", "0")

    def shell(self, code: str, timeout=600):
        """Run Python inside the instance's Django; the code prints one JSON value last."""
        done = self.run("manage", "shell", "--no-imports", "-c", code, timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"shell failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    # -- the server
    def start(self, workers: int | None = None, port: int | None = None, threads: int | None = None, wait=60.0) -> None:
        self.port = port or self.port or free_port()
        args = [*undersigned_command(), "serve", "--port", str(self.port)]
        if workers:
            args += ["--workers", str(workers)]
        if threads:
            args += ["--threads", str(threads)]
        # Its own process group, so stop() reaches gunicorn's master and every worker. The server
        # keeps its own copy of the log's descriptor: ours closes once it has started.
        with open(self.var_dir / "server.log", "ab") as log:
            self.server = subprocess.Popen(
                args, env=self.env, cwd=self.var_dir, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"server exited with {self.server.returncode}: {self.server_log()[-2000:]}")
            try:
                # A generous timeout: on a busy machine the first answer (the OpenAPI document,
                # built on first use) can take longer than a short one, and each retry starts over.
                urllib.request.urlopen(f"{self.url}/api/v1/openapi.json", timeout=30).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not answer in time")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def server_log(self) -> str:
        path = self.var_dir / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole server process group (master and workers), as a crash would."""
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(10)

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.server = None

    def worker_pids(self) -> list[int]:
        if not self.server:
            return []
        out = subprocess.run(["pgrep", "-P", str(self.server.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def destroy(self) -> None:
        self.stop()
        if self.pg_name:
            pg_execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.var_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.destroy()


def pg_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


# Set-up inside the instance: one penholder, one addressee, N signer organisations with one
# signer and one API token each, and L letters circulated to all of them.
SETUP_CODE = r"""
import json
from orgs.actions import add_organisation, add_member
from orgs.models import ApiToken
from letters import actions
N, L = {orgs}, {letters}
add_organisation("pen", "Penholder mission", "state", "CHE")
add_organisation("ohchr", "Office of the High Commissioner", "un_office")
drafter = add_member("drafter", "pen", "drafter").user
tokens = {{}}
for i in range(N):
    slug = f"s{{i:04d}}"
    add_organisation(slug, f"Signer {{i}}", "state")
    tokens[slug] = ApiToken.issue(add_member(f"signer{{i:04d}}", slug, "signer").user)
letters = []
for j in range(L):
    letter = actions.create_letter(drafter, title=f"Benchmark letter {{j}}", addressee="ohchr",
                                   body=f"Text of letter {{j}}.", note="bench").object
    actions.circulate(drafter, letter.id, invitees=sorted(tokens))
    version = letter.version(letter.current_version)
    letters.append({{"id": letter.id, "handle": letter.handle, "version": version.number, "hash": version.hash}})
print(json.dumps({{"tokens": tokens, "letters": letters}}))
"""


def set_up_signing(instance: Instance, orgs: int, letters: int) -> dict:
    return instance.shell(SETUP_CODE.format(orgs=orgs, letters=letters))


# Checks inside the instance after a storm: `acked` is a list of [letter_id, org_slug, log_index].
CHECK_CODE = r"""
import json
from collections import Counter
from letters.models import Letter, Signature
from record.models import Entry, LogHead, TreeState, Checkpoint
acked = json.load(open({acked_path!r}))
rows = Counter((l, o) for l, o in Signature.objects.values_list("letter_id", "organisation__slug"))
placed = Signature.objects.values_list("letter_id", "organisation__slug", "log_index")
index_of = {{(letter, org): index for letter, org, index in placed}}
signed = dict(Entry.objects.filter(type="signature.signed").values_list("index", "handle"))
handles = dict(Letter.objects.values_list("id", "handle"))
missing, duplicated, not_logged, wrong_index = [], [], [], []
for letter_id, org, log_index in acked:
    n = rows.get((letter_id, org), 0)
    if n == 0: missing.append([letter_id, org])
    elif n > 1: duplicated.append([letter_id, org])
    if signed.get(log_index) != handles.get(letter_id): not_logged.append([letter_id, org, log_index])
    if index_of.get((letter_id, org)) != log_index: wrong_index.append([letter_id, org, log_index])
latest = Checkpoint.objects.order_by("-size").first()
print(json.dumps({{
    "acknowledged": len(acked), "signature_rows": sum(rows.values()),
    "signature_signed_entries": len(signed),
    "missing": missing[:20], "missing_count": len(missing),
    "duplicated_count": len(duplicated), "not_logged_count": len(not_logged),
    "wrong_log_index_count": len(wrong_index),
    "log_size": LogHead.objects.get(pk=1).size, "integrated_size": TreeState.objects.get(pk=1).size,
    "checkpoint_size": latest.size if latest else 0,
}}))
"""


def check_signatures(instance: Instance, acked: list) -> dict:
    path = instance.var_dir / "acked.json"
    path.write_text(json.dumps(acked))
    return instance.shell(CHECK_CODE.format(acked_path=str(path)))


# ---------------------------------------------------------------- a tiny HTTP/1.1 client


class Connection:
    """One keep-alive HTTP/1.1 connection on asyncio streams."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        try:
            self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            status_line = await self.reader.readline()
            if not status_line:
                raise ConnectionError("closed")
            status = int(status_line.split()[1])
            length, close = 0, False
            while True:
                line = await self.reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and value.strip().lower() == "close":
                    close = True
            data = await self.reader.readexactly(length) if length else b""
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as error:
            self.close()
            raise ConnectionError("connection failed") from error
        if close:
            self.close()
        return status, data

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def cpu_seconds(pids) -> dict[int, float]:
    """{pid: user plus system CPU seconds used so far} (Linux /proc); gone processes are left out."""
    tick, used = os.sysconf("SC_CLK_TCK"), {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime (fields 14 and 15 of stat)
    return used


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two cpu_seconds() readings; a process started meanwhile (a new
    database connection) counts from zero. A process that ended meanwhile is not counted."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process on the machine (the benchmark's database is the only busy one)."""
    out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    k = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def machine() -> dict:
    cpuinfo, meminfo = Path("/proc/cpuinfo").read_text().splitlines(), Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    mem_kb = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0)
    import sqlite3

    pg = None
    with contextlib.suppress(OSError):  # no psql on this machine
        pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg,
    }
