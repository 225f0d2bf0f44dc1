"""Go's golang.org/x/mod/sumdb (tlog, note) accepts our checkpoints, inclusion proofs and
consistency proofs, and recomputes our root from our entries."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.encoding import b64decode, b64encode
from ledger.tiles import consistency_proof, inclusion_proof, tree_root

pytestmark = pytest.mark.interop

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "ledger"))  # the fixture log builder lives with the ledger tests
from make_fixtures import realistic_history  # noqa: E402


def go_path() -> str | None:
    """The GOPATH under which Debian's golang-golang-x-mod-dev installs the sumdb sources."""
    try:
        files = subprocess.run(["dpkg", "-L", "golang-golang-x-mod-dev"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return None
    marker = "/src/golang.org/x/mod/sumdb/tlog"
    for line in files.splitlines():
        if line.endswith(marker):
            return line[: -len(marker)]
    return None


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Path:
    gopath = go_path()
    if shutil.which("go") is None or gopath is None:
        reason = "needs Debian packages golang-go and golang-golang-x-mod-dev (make installs them)"
        print(f"skipping Go interop: {reason}")
        pytest.skip(reason)
    binary = tmp_path_factory.mktemp("go") / "checker"
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": gopath}
    subprocess.run(["go", "build", "-o", str(binary), str(HERE / "checker.go")], env=env, check=True)
    return binary


@pytest.fixture(scope="module")
def export() -> dict:
    """A log crossing two tile boundaries, with proofs for entries and earlier sizes."""
    log, _, _ = realistic_history()
    log.entries += [f"filler entry {i}".encode() for i in range(600)]
    note = log.checkpoint()
    size = log.size
    records = [0, 1, 255, 256, 511, 512, size // 2, size - 1]
    olds = [1, 2, 7, 256, 257, 512, size - 1, size]
    return {
        "vkey": log.signer.vkey,
        "note": note,
        "entries": [b64encode(e) for e in log.entries],
        "records": [
            {"index": i, "proof": [b64encode(h) for h in inclusion_proof(log.store, i, size)]} for i in records
        ],
        "trees": [
            {
                "old_size": n,
                "old_root": b64encode(tree_root(log.store, n)),
                "proof": [b64encode(h) for h in consistency_proof(log.store, n, size)],
            }
            for n in olds
        ],
    }


def run_checker(checker: Path, data: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data))
    return subprocess.run([str(checker), str(path)], capture_output=True, text=True)


def test_go_accepts_our_checkpoint_proofs_and_root(checker, export, tmp_path):
    result = run_checker(checker, export, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK size=625 records=8 trees=8")


def flipped(text: str) -> str:
    raw = bytearray(b64decode(text))
    raw[0] ^= 1
    return b64encode(bytes(raw))


@pytest.mark.parametrize("tamper", ["inclusion", "consistency", "entry"])
def test_go_rejects_a_flipped_bit(checker, export, tmp_path, tamper):
    data = json.loads(json.dumps(export))
    if tamper == "inclusion":
        data["records"][3]["proof"][0] = flipped(data["records"][3]["proof"][0])
    elif tamper == "consistency":
        data["trees"][4]["proof"][0] = flipped(data["trees"][4]["proof"][0])
    else:
        data["entries"][300] = flipped(data["entries"][300])
    result = run_checker(checker, data, tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("FAIL"), result.stdout + result.stderr


def test_go_verifies_the_logs_own_signature_on_a_cosigned_checkpoint(checker, export, tmp_path):
    """Go's note.Open sets aside signature lines of keys it does not know, here two witnesses'
    tlog-cosignature v1 lines, and still opens the note with the log's key."""
    from ledger.cosignature import generate_witness_key
    from ledger.note import split_note

    text, _ = split_note(export["note"])
    cosigned = export["note"] + "".join(
        generate_witness_key(f"witness.example/w{n}").cosign(text, 1_700_000_000).line for n in (1, 2)
    )
    result = run_checker(checker, {**export, "note": cosigned}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK size=625")


def test_go_rejects_a_cosigned_checkpoint_whose_log_signature_is_broken(checker, export, tmp_path):
    from ledger.cosignature import generate_witness_key
    from ledger.note import split_note

    text, signatures = split_note(export["note"])
    log_line = signatures[0].line
    broken = signatures[0]._replace(signature=bytes([signatures[0].signature[0] ^ 1]) + signatures[0].signature[1:])
    witness_line = generate_witness_key("witness.example/w1").cosign(text, 1_700_000_000).line
    note = export["note"].replace(log_line, broken.line) + witness_line
    result = run_checker(checker, {**export, "note": note}, tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("FAIL: note"), result.stdout
