"""`verify` of a letter whose signatures were all made with keys the signers hold: half with
passkeys (WebAuthn, ES256), half with SSH keys (SSHSIG, Ed25519), next to the raw verify rates of
the libraries the verifier calls, measured in the same run on the same core.

    python bench/verify_own_keys.py [--orgs N] [--versions V] [--runs R] [--save-bundle FILE] [--json]
    python bench/verify_own_keys.py --bundle FILE [--runs R] [--json]

The bundle is built in a fresh instance (temp SQLite) through the actions the API calls: `--orgs`
signer organisations each register their own key (the first of an organisation, so active at
once), the penholder circulates one letter to all of them and adds `--versions` versions, and
after each version every organisation re-confirms with a proof over the statement bytes
`GET /api/v1/letters/{id}/statement` serves. A passkey's assertion comes from the software
authenticator of the tests (tests/passkey.py, ES256 with the `cryptography` library); an SSH
signature from the real `ssh-keygen -Y sign` (tests/ssh.py). So the bundle holds orgs × versions
signature events, each with its opening, its proof and its key's registration.

The verifier (`ledger.verify.verify_bundle`, as `undersigned verify` runs it) is then timed in
this process, best of `--runs`, with the raw rates measured between the runs: `cryptography`'s
ECDSA P-256 verify over an assertion's signed bytes and PyNaCl's Ed25519 verify
(`crypto_sign_open`, which the verifier calls) over an SSHSIG's signed blob, each over as many
signatures as the bundle holds of its kind. Prints JSON.
"""

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# bench/ledger.py would shadow the ledger package: take this directory off the path.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
# The verifier measured is the frozen copy's when BENCH_SOURCE names one (see bench/common.py).
SOURCE = Path(os.environ.get("BENCH_SOURCE") or ROOT)
sys.path.insert(0, str(SOURCE))

import nacl.bindings  # noqa: E402
import nacl.signing  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from bench.common import Instance, machine  # noqa: E402
from ledger.verify import verify_bundle  # noqa: E402

RP_ID = "testserver"  # the software authenticator's relying party (tests/passkey.py)

# Inside the instance: organisations with their own keys, one letter, every organisation
# re-confirming each version with a proof. Prints where the bundle is and what it holds.
BUILD_CODE = r"""
import hashlib, json, time
from pathlib import Path
from ledger.statements import statement_bytes
from letters import actions
from letters.actions import own_keys
from letters.bundles import bundle_for
from letters.models import Letter
from orgs import key_actions
from orgs.actions import add_member, add_organisation
from orgs.models import Organisation
from record import log
from tests.passkey import Passkey
from tests.ssh import SshKey

ORGS, VERSIONS, VAR = {orgs}, {versions}, Path({var_dir!r})
started = time.perf_counter()
add_organisation("pen", "Penholder mission", "state", "CHE")
add_organisation("ohchr", "Office of the High Commissioner", "un_office")
drafter = add_member("drafter", "pen", "drafter").user
signers = []
for i in range(ORGS):
    slug = f"s{{i:04d}}"
    add_organisation(slug, f"Signer {{i}}", "state")
    user = add_member(f"signer{{i:04d}}", slug, "signer").user
    if i % 2 == 0:
        device = Passkey("ES256")
        key_actions.register_key(user, "webauthn", device.public_key_cose, credential_id=device.credential_id)
    else:
        device = SshKey(VAR / "keys" / slug)
        key_actions.register_key(user, "ssh", device.public_line)
    signers.append((Organisation.objects.get(slug=slug), user, device))

def proof_for(device, statement):
    if isinstance(device, Passkey):
        return {{"kind": "webauthn", "credential": device.assert_(hashlib.sha256(statement).digest())}}
    return {{"kind": "sshsig", "signature": device.sign(statement)}}

letter = actions.create_letter(
    drafter, title="Benchmark letter", addressee="ohchr", body="Version 1.", note="bench"
).object
actions.circulate(drafter, letter.id, invitees=[org.slug for org, _, _ in signers])
signing_seconds = 0.0
for number in range(1, VERSIONS + 1):
    if number > 1:
        actions.add_version(drafter, letter.id, body=f"Version {{number}}.", note="bench", base_version=number - 1)
    letter = Letter.objects.get(pk=letter.id)
    version = own_keys.version_to_sign(letter, number)
    for organisation, user, device in signers:
        # The bytes GET /api/v1/letters/{{id}}/statement serves (api/keys.py).
        statement = statement_bytes(own_keys.sign_statement(letter, organisation, version))
        proof = proof_for(device, statement)
        t0 = time.perf_counter()
        actions.sign(user, letter.id, version=number, version_hash=version.hash, proof=proof)
        signing_seconds += time.perf_counter() - t0
log.integrate()
bundle = bundle_for(drafter, Letter.objects.get(pk=letter.id))
path = VAR / "bundle.json"
path.write_text(json.dumps(bundle))
print(json.dumps({{"bundle": str(path), "build_seconds": round(time.perf_counter() - started, 1),
                  "sign_action_seconds": round(signing_seconds, 1)}}))
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=50, help="signer organisations; even ones passkeys, odd ones SSH")
    parser.add_argument("--versions", type=int, default=100, help="each organisation signs every version")
    parser.add_argument("--runs", type=int, default=3, help="verifications (and raw measurements); the best counts")
    parser.add_argument("--save-bundle", type=Path, help="also write the bundle built to this file")
    parser.add_argument("--bundle", type=Path, help="measure this bundle (one --save-bundle wrote) instead of building")
    parser.add_argument("--json", action="store_true", help="print the JSON on one line")
    return parser.parse_args(argv)


def build_bundle(orgs: int, versions: int) -> tuple[str, dict]:
    """The bundle's JSON text and how long it took to build, from a fresh instance."""
    with Instance("sqlite", label="verifyownkeys") as instance:
        # The software authenticator and the ssh-keygen wrapper of the tests sign for the members.
        instance.env["PYTHONPATH"] = os.pathsep.join(filter(None, [instance.env.get("PYTHONPATH"), str(SOURCE)]))
        instance.env["WEBAUTHN_RP_ID"], instance.env["WEBAUTHN_ORIGIN"] = RP_ID, f"http://{RP_ID}"
        instance.migrate()
        built = instance.shell(
            BUILD_CODE.format(orgs=orgs, versions=versions, var_dir=str(instance.var_dir)), timeout=3600
        )
        return Path(built.pop("bundle")).read_text(), built


def es256_signatures(count: int) -> tuple[ec.EllipticCurvePublicKey, list[tuple[bytes, bytes]]]:
    """``count`` ES256 signatures over messages the size of an assertion's signed bytes
    (authenticator data, 37 bytes, and the SHA-256 of the client data)."""
    key = ec.generate_private_key(ec.SECP256R1())
    messages = [hashlib.sha256(i.to_bytes(8, "big")).digest() + bytes(37) for i in range(count)]
    return key.public_key(), [(key.sign(m, ec.ECDSA(hashes.SHA256())), m) for m in messages]


def ed25519_signatures(count: int) -> tuple[bytes, list[bytes]]:
    """``count`` Ed25519 signed messages the size of an SSHSIG's signed blob (about 115 bytes)."""
    key = nacl.signing.SigningKey(hashlib.sha256(b"bench raw ed25519").digest())
    blobs = [hashlib.sha512(i.to_bytes(8, "big")).digest() + bytes(51) for i in range(count)]
    return bytes(key.verify_key), [bytes(key.sign(blob)) for blob in blobs]


def raw_rates(es256, ed25519) -> dict:
    """Raw verifies per second of each library, one pass over its signatures: by the clock
    and by this process's CPU time."""
    public, signed = es256
    t0, cpu0 = time.perf_counter(), time.process_time()
    for signature, message in signed:
        public.verify(signature, message, ec.ECDSA(hashes.SHA256()))
    t1, cpu1 = time.perf_counter(), time.process_time()
    verify_key, sealed = ed25519
    for item in sealed:
        nacl.bindings.crypto_sign_open(item, verify_key)
    t2, cpu2 = time.perf_counter(), time.process_time()
    return {
        "clock": {"es256": len(signed) / (t1 - t0), "ed25519": len(sealed) / (t2 - t1)},
        "cpu": {"es256": len(signed) / max(1e-9, cpu1 - cpu0), "ed25519": len(sealed) / max(1e-9, cpu2 - cpu1)},
    }


def signature_kinds(report) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for signature in report.facts["signatures"]:
        kinds[signature["key_kind"]] = kinds.get(signature["key_kind"], 0) + 1
    return kinds


def against_raw(kinds: dict[str, int], verify_seconds: float, raw: dict) -> dict:
    """The verifier's rate beside what the libraries alone take for the same signatures."""
    signatures = sum(kinds.values())
    raw_seconds = kinds.get("webauthn", 0) / raw["es256"] + kinds.get("sshsig", 0) / raw["ed25519"]
    return {
        "verify_seconds": round(verify_seconds, 3),
        "signature_events_per_second": round(signatures / verify_seconds),
        "raw_verifies_per_second": {
            "cryptography_ecdsa_p256": round(raw["es256"]),
            "pynacl_ed25519": round(raw["ed25519"]),
        },
        "raw_seconds_for_these_signatures": round(raw_seconds, 3),
        "raw_signatures_per_second_this_mix": round(signatures / raw_seconds),
        "fraction_of_raw_rate": round(raw_seconds / verify_seconds, 2),
        "verifier_overhead_us_per_signature": round((verify_seconds - raw_seconds) / signatures * 1e6, 1),
    }


def measure(bundle: str, runs: int) -> dict:
    """Verify the bundle ``runs`` times, raw rates in between; the best of each counts, by the
    clock and by CPU time (which the machine's other processes stretch far less)."""
    kinds = signature_kinds(verify_bundle(bundle))  # also a first, unmeasured run
    es256 = es256_signatures(kinds.get("webauthn", 0) or 1)
    ed25519 = ed25519_signatures(kinds.get("sshsig", 0) or 1)
    clock, cpu, raws = [], [], []
    for _ in range(runs):
        t0, cpu0 = time.perf_counter(), time.process_time()
        verify_bundle(bundle)
        clock.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - cpu0)
        raws.append(raw_rates(es256, ed25519))

    def best_raw(basis: str) -> dict:
        return {kind: max(r[basis][kind] for r in raws) for kind in ("es256", "ed25519")}

    return {
        "signature_events": sum(kinds.values()),
        "signature_events_by_key_kind": kinds,
        "bundle_entries": len(json.loads(bundle)["entries"]),
        "bundle_bytes": len(bundle),
        "runs": runs,
        "verify_seconds_each_run": {"clock": [round(s, 3) for s in clock], "cpu": [round(s, 3) for s in cpu]},
        "raw_verifies_per_second_each_run": [
            {basis: {k: round(v) for k, v in r[basis].items()} for basis in ("clock", "cpu")} for r in raws
        ],
        "by_clock": against_raw(kinds, min(clock), best_raw("clock")),
        "by_cpu_time": against_raw(kinds, min(cpu), best_raw("cpu")),
    }


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def main(argv=None) -> int:
    args = parse_args(argv)
    result: dict = {
        "benchmark": "verify_own_keys",
        "source": os.environ.get("BENCH_SOURCE") or "working tree",
        "machine": machine(),
        "loadavg_before": loadavg(),
    }
    if args.bundle:
        bundle = args.bundle.read_text()
        result["build"] = {"read_from": str(args.bundle)}
    else:
        bundle, built = build_bundle(args.orgs, args.versions)
        result["build"] = {"orgs": args.orgs, "versions": args.versions} | built
        if args.save_bundle:
            args.save_bundle.write_text(bundle)
    result["loadavg_after_build"] = loadavg()
    result.update(measure(bundle, args.runs))
    result["loadavg_after"] = loadavg()
    print(json.dumps(result) if args.json else json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
