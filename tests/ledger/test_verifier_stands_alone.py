"""The offline verifier, the auditor, the mirror and the witness import nothing of ours outside
ledger/ (the lifecycle they share with the server lives in ledger/, and the server imports it,
not the reverse)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = {"api", "letters", "orgs", "record", "undersigned", "web", "django", "ninja"}


def test_verify_and_audit_load_no_package_of_the_server():
    program = (
        "import json, sys; import ledger.verify_command, ledger.audit_command, ledger.mirror, ledger.witness; "
        "import ledger.__main__; "
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))"
    )
    loaded = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True)
    assert OURS.isdisjoint(json.loads(loaded.stdout))
