"""Many clients signing at once through the HTTP API against `undersigned serve`.

    python bench/sign_http.py [--db sqlite|postgres] [--clients N] [--seconds S] [--json]
                              [--workers W] [--threads T] [--orgs N] [--letters L] [--witnesses N]

A fresh instance (temp SQLite, or a fresh PostgreSQL database at DATABASE_URL's server
127.0.0.1:5432, user postgres) gets `--orgs` signer organisations (one signer and one API
token each) and `--letters` letters circulated to all of them, so every request is a fresh
signature (one organisation has one live signature per letter). The load generator is one
asyncio process with one keep-alive HTTP/1.1 connection per client (standard library only).
Requests during the first `--warmup` seconds are checked but left out of the rates. The CPU
time the server, PostgreSQL and the load generator spend per request is reported too: unlike
the rate, it does not depend on what else the machine is doing.

With `--witnesses N`, N witnesses (`undersigned witness serve`, each its own process on
127.0.0.1) are started and named in the server's LOG_WITNESSES, so every checkpoint the server
makes is submitted to them; their CPU time is reported apart, and how many checkpoints they
cosigned, including the last one.

At the end: every signature answered 201 must be stored exactly once (per letter and
organisation) at the log index the response named, as a signature.signed entry of that letter,
and the log's checkpoint must catch up with the last entry.
"""

import argparse
import asyncio
import atexit
import json
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    Connection,
    Instance,
    check_signatures,
    cpu_seconds,
    cpu_spent,
    free_port,
    machine,
    percentile,
    postgres_pids,
    set_up_signing,
    undersigned_command,
)

TARGET = 500  # signatures per second on the 2-core reference machine


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--workers", type=int, default=None, help="passed to `undersigned serve --workers`")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="passed to `undersigned serve --threads` (gunicorn threads per worker)",
    )
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument(
        "--letters", type=int, default=None, help="default: enough for 1,500 signatures/s over the run, at least 20"
    )
    parser.add_argument(
        "--witnesses", type=int, default=0, help="start this many local witnesses and submit every checkpoint to them"
    )
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    return parser.parse_args(argv)


def start_witnesses(instance: Instance, count: int) -> list[tuple[subprocess.Popen, str, str]]:
    """``count`` witnesses of the instance's log, each ``(process, url, vkey)``; the instance's
    LOG_WITNESSES names them."""
    log_vkey = instance.shell("import json; from record import log; print(json.dumps(log.vkey()))")
    witnesses = []
    for number in range(count):
        port = free_port()
        process = subprocess.Popen(
            [
                *undersigned_command(),
                "witness",
                "serve",
                "--log-vkey",
                log_vkey,
                "--port",
                str(port),
                "--db",
                str(instance.var_dir / f"witness{number}.sqlite3"),
                "--name",
                f"bench.example/w{number}",
            ],
            env=instance.env,
            cwd=instance.var_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        witnesses.append((process, f"http://127.0.0.1:{port}", process.stdout.readline().strip()))
    atexit.register(stop_witnesses, witnesses)  # however the run ends
    instance.env["LOG_WITNESSES"] = "; ".join(f"{url} {vkey}" for _, url, vkey in witnesses)
    return witnesses


def stop_witnesses(witnesses) -> None:
    for process, _, _ in witnesses:
        if process.poll() is None:
            process.terminate()
            process.wait(10)


COSIGNED_CODE = """
import json
from django.db.models import Count
from record.models import Checkpoint, Cosignature
from record.log import latest_checkpoint
latest = latest_checkpoint()
by_all = Checkpoint.objects.annotate(n=Count("cosignatures")).filter(n={count}).count()
print(json.dumps({{"checkpoints": Checkpoint.objects.count(), "cosigned_by_every_witness": by_all,
                  "cosignatures": Cosignature.objects.count(),
                  "last_checkpoint_cosignatures": latest.cosignatures.count() if latest else 0}}))
"""


async def wait_for_cosignatures(port: int, count: int, timeout: float = 30) -> float | None:
    """Seconds until /log/checkpoint carries ``count`` cosignature lines besides the log's."""
    connection, t0 = Connection("127.0.0.1", port), time.perf_counter()
    try:
        while time.perf_counter() - t0 < timeout:
            status, data = await connection.request("GET", "/log/checkpoint")
            if status == 200 and data.decode().count("\u2014 ") >= 1 + count:
                return time.perf_counter() - t0
            await asyncio.sleep(0.05)
    finally:
        connection.close()
    return None


async def storm(port: int, work: list, clients: int, seconds: float, warmup: float):
    """Sign as fast as the server answers; return per-request records."""
    records = []  # (start, latency, status, letter_id, org, log_index)
    queue = iter(work)
    started = time.perf_counter()
    stop_at = started + warmup + seconds

    async def client():
        connection = Connection("127.0.0.1", port)
        try:
            for letter, org, token in queue:
                if time.perf_counter() >= stop_at:
                    break
                body = json.dumps({"version": letter["version"], "version_hash": letter["hash"]}).encode()
                t0 = time.perf_counter()
                try:
                    status, data = await connection.request(
                        "POST",
                        f"/api/v1/letters/{letter['id']}/signatures",
                        body,
                        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                    )
                except ConnectionError:
                    status, data = "connection_error", b""
                t1 = time.perf_counter()
                log_index = json.loads(data).get("log_index") if status in (200, 201) else None
                records.append((t0 - started, t1 - t0, status, letter["id"], org, log_index))
        finally:
            connection.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return records, time.perf_counter() - started


async def wait_for_checkpoint(port: int, size: int, timeout: float = 120) -> float | None:
    connection, t0 = Connection("127.0.0.1", port), time.perf_counter()
    try:
        while time.perf_counter() - t0 < timeout:
            status, data = await connection.request("GET", "/log/checkpoint")
            if status == 200 and int(data.decode().split("\n")[1]) >= size:
                return time.perf_counter() - t0
            await asyncio.sleep(0.05)
    finally:
        connection.close()
    return None


def summarise(records, warmup: float, elapsed: float) -> dict:
    measured = [r for r in records if r[0] >= warmup]
    window = max(1e-9, elapsed - warmup)
    ok = sorted(r[1] * 1000 for r in measured if r[2] == 201)
    every = sorted(r[1] * 1000 for r in measured)
    statuses = Counter(str(r[2]) for r in measured)
    return {
        "window_seconds": round(window, 2),
        "requests": len(measured),
        "signatures_201": statuses.get("201", 0),
        "signatures_per_second": round(statuses.get("201", 0) / window, 1),
        "requests_per_second": round(len(measured) / window, 1),
        "latency_ms_201": {f"p{q}": round(percentile(ok, q), 1) if ok else None for q in (50, 90, 99)}
        | {"max": round(ok[-1], 1) if ok else None},
        "latency_ms_all": {f"p{q}": round(percentile(every, q), 1) if every else None for q in (50, 90, 99)},
        "status_counts": dict(sorted(statuses.items())),
        "errors_by_status": {k: v for k, v in sorted(statuses.items()) if k != "201"},
    }


def cpu_per_request(before: tuple, after: tuple, requests: int) -> dict:
    """CPU milliseconds per request, warm-up included, of the server's processes, PostgreSQL's
    (0 on SQLite, whose work is in the server) and the load generator: what the two cores spend
    on one signature, whatever else the machine was doing."""
    seconds = {
        "server": cpu_spent(before[0], after[0]),
        "postgresql": cpu_spent(before[1], after[1]),
        "load_generator": after[2] - before[2],
    }
    spent = {name: value * 1000 / max(1, requests) for name, value in seconds.items()}
    return {name: round(ms, 2) for name, ms in spent.items()} | {"total": round(sum(spent.values()), 2)}


def run(args) -> dict:
    letters = args.letters or max(20, -(-int(1500 * (args.seconds + args.warmup)) // args.orgs))
    result = {
        "benchmark": "sign_http",
        "db": args.db,
        "clients": args.clients,
        "seconds": args.seconds,
        "warmup_seconds": args.warmup,
        "orgs": args.orgs,
        "witnesses": args.witnesses,
        "letters": letters,
        "workers": args.workers or "serve default (one per core)",
        "threads": args.threads or "serve default (32)",
        "machine": machine(),
    }
    with Instance(args.db, label="signhttp") as instance:
        t0 = time.perf_counter()
        instance.migrate()
        setup = set_up_signing(instance, args.orgs, letters)
        result["setup_seconds"] = round(time.perf_counter() - t0, 1)
        witnesses = start_witnesses(instance, args.witnesses)
        instance.start(workers=args.workers, threads=args.threads)
        work = [(letter, org, token) for letter in setup["letters"] for org, token in setup["tokens"].items()]
        random.Random(1).shuffle(work)
        server_pids = [instance.server.pid, *instance.worker_pids()]

        def database_pids():
            return postgres_pids() if args.db == "postgres" else []

        witness_pids = [process.pid for process, _, _ in witnesses]
        before = (cpu_seconds(server_pids), cpu_seconds(database_pids()), time.process_time())
        witness_cpu_before = cpu_seconds(witness_pids)
        records, elapsed = asyncio.run(storm(instance.port, work, args.clients, args.seconds, args.warmup))
        after = (cpu_seconds(server_pids), cpu_seconds(database_pids()), time.process_time())
        witness_cpu = cpu_spent(witness_cpu_before, cpu_seconds(witness_pids))
        result.update(summarise(records, args.warmup, elapsed))
        result["cpu_ms_per_request"] = cpu_per_request(before, after, len(records))
        result["work_exhausted"] = len(records) >= len(work)
        acked = [[r[3], r[4], r[5]] for r in records if r[2] == 201]
        check = check_signatures(instance, acked)
        lag_at_end = check["log_size"] - check["checkpoint_size"]
        caught_up = asyncio.run(wait_for_checkpoint(instance.port, check["log_size"]))
        result["integration"] = {
            "log_size": check["log_size"],
            "checkpoint_size_at_end": check["checkpoint_size"],
            "lag_at_end": lag_at_end,
            "caught_up_after_seconds": None if caught_up is None else round(caught_up, 2),
        }
        result["check"] = {
            k: check[k]
            for k in (
                "acknowledged",
                "signature_rows",
                "signature_signed_entries",
                "missing_count",
                "duplicated_count",
                "not_logged_count",
                "wrong_log_index_count",
            )
        }
        result["check"]["every_201_stored_once_and_logged"] = (
            check["missing_count"]
            == check["duplicated_count"]
            == check["not_logged_count"]
            == check["wrong_log_index_count"]
            == 0
            and check["signature_rows"] == check["signature_signed_entries"]
        )
        result["check"]["checkpoint_caught_up"] = caught_up is not None
        if witnesses:
            cosigned = asyncio.run(wait_for_cosignatures(instance.port, len(witnesses)))
            result["witnessing"] = instance.shell(COSIGNED_CODE.format(count=len(witnesses))) | {
                "witness_cpu_ms_per_request": round(witness_cpu * 1000 / max(1, len(records)), 3),
                "last_checkpoint_cosigned_after_seconds": None if cosigned is None else round(cosigned, 2),
            }
            stop_witnesses(witnesses)
        server_errors = [line for line in instance.server_log().splitlines() if "Traceback" in line or "ERROR" in line]
        result["server_log_error_lines"] = len(server_errors)
    result["target_signatures_per_second"] = TARGET
    result["meets_target"] = result["signatures_per_second"] >= TARGET
    return result


def main(argv=None) -> int:
    args = parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))
    ok = result["check"]["every_201_stored_once_and_logged"] and result["check"]["checkpoint_caught_up"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
