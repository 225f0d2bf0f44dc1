"""Pure-Python ledger benchmark: integration, inclusion proofs at 1M and 10M entries, and
verifier throughput next to PyNaCl's raw Ed25519 verify rate on the same machine. Prints one
JSON object on one line (bench/ledger.py reads the last line).

Run: PYTHONPATH=. python bench/ledger_pure.py [--verifier-only]"""

import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# bench/ledger.py would shadow the ledger package: take this directory off the path.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent / "tests" / "ledger"))  # the fixture builder

import nacl.signing  # noqa: E402

from ledger.tiles import MemoryTileStore, inclusion_proof, integrate  # noqa: E402
from ledger.verify import verify_bundle  # noqa: E402

from make_fixtures import ORGS, FixtureLog, Letter, log_signer  # noqa: E402

BATCH = 65_536
BUILD_LIMIT_SECONDS = 180
PROOFS = 2_000
SIGNATURES = 5_000
VERIFY_RUNS = 3


def synthetic_leaves(start: int, count: int) -> list[bytes]:
    return [hashlib.sha256(i.to_bytes(8, "big")).digest() for i in range(start, start + count)]


def grow(store: MemoryTileStore, size: int, target: int, started: float) -> tuple[int, float]:
    """Integrate synthetic leaves up to ``target``; returns the size reached and seconds
    spent integrating (leaf hashing excluded)."""
    spent = 0.0
    while size < target and time.perf_counter() - started < BUILD_LIMIT_SECONDS:
        leaves = synthetic_leaves(size, min(BATCH, target - size))
        t0 = time.perf_counter()
        integration = integrate(store, size, leaves)
        store.write_tiles(integration.tiles)
        spent += time.perf_counter() - t0
        size = integration.size
    return size, spent


def proof_times(store: MemoryTileStore, size: int) -> dict:
    step = max(1, size // PROOFS)
    samples = []
    for index in range(0, size, step):
        t0 = time.perf_counter()
        inclusion_proof(store, index, size)
        samples.append((time.perf_counter() - t0) * 1e6)
    samples.sort()
    return {
        "size": size,
        "proofs": len(samples),
        "median_us": round(statistics.median(samples), 1),
        "p99_us": round(samples[int(len(samples) * 0.99) - 1], 1),
    }


def tree_benchmarks() -> dict:
    store, size, started = MemoryTileStore(), 0, time.perf_counter()
    size, spent = grow(store, size, 1_000_000, started)
    result = {
        "integration_leaves_per_second": round(size / spent),
        "integration_batch": BATCH,
        "inclusion_proof_1M": proof_times(store, size),
    }
    size, more = grow(store, size, 10_000_000, started)
    build_seconds = round(time.perf_counter() - started, 1)
    result["build_seconds_including_leaf_hashing"] = build_seconds
    if size < 10_000_000:
        result["note"] = f"10M not built within {BUILD_LIMIT_SECONDS} s; measured at {size}"
    result["inclusion_proof_10M" if size == 10_000_000 else "inclusion_proof_largest"] = proof_times(store, size)
    result["integration_leaves_per_second"] = round(size / (spent + more))
    return result


def signature_bundle() -> dict:
    log = FixtureLog(log_signer())
    for slug, org in ORGS.items():
        log.register(org, slug.upper())
    letter = Letter(log, "lt-bench", ORGS["fra"])
    letter.create("ohchr", "Bench", "Body")
    letter.circulate(["deu", "ita", "esp"])  # signatures come after circulation
    signers = [ORGS[slug] for slug in ("deu", "ita", "esp", "fra")]
    live: dict[str, int] = {}
    for i in range(SIGNATURES):
        org = signers[i % len(signers)]
        live[org.slug] = letter.sign(org, 1, replaces=live.get(org.slug))
    return letter.bundle(log.checkpoint())


def raw_verifies_per_second() -> float:
    """PyNaCl alone: one VerifyKey, SIGNATURES signatures over statement-sized messages."""
    key = nacl.signing.SigningKey(hashlib.sha256(b"bench raw verify").digest())
    signed = [key.sign(hashlib.sha256(i.to_bytes(8, "big")).digest() * 6) for i in range(SIGNATURES)]
    verify_key = key.verify_key
    best = float("inf")
    for _ in range(VERIFY_RUNS):
        t0 = time.perf_counter()
        for item in signed:
            verify_key.verify(item.message, item.signature)
        best = min(best, time.perf_counter() - t0)
    return SIGNATURES / best


def verifier_benchmark() -> dict:
    """``verify_bundle`` on one letter with SIGNATURES signature events (each with its
    opening and an organisation signature), run VERIFY_RUNS times; raw nacl runs in between."""
    bundle = json.dumps(signature_bundle())
    seconds, raw = [], []
    for _ in range(VERIFY_RUNS):
        t0 = time.perf_counter()
        verify_bundle(bundle)
        seconds.append(time.perf_counter() - t0)
        raw.append(raw_verifies_per_second())
    rate, raw_rate = SIGNATURES / min(seconds), max(raw)
    return {
        "signed_events": SIGNATURES,
        "bundle_bytes": len(bundle),
        "runs": VERIFY_RUNS,
        "verify_seconds": round(min(seconds), 3),
        "verify_seconds_first_run": round(seconds[0], 3),
        "signed_events_per_second": round(rate),
        "raw_nacl_verifies_per_second": round(raw_rate),
        "fraction_of_raw_nacl_rate": round(rate / raw_rate, 2),
    }


if __name__ == "__main__":
    result = {"python": sys.version.split()[0]}
    if "--verifier-only" not in sys.argv[1:]:
        result.update(tree_benchmarks())
    result["verifier"] = verifier_benchmark()
    print(json.dumps(result))
