"""``python -m ledger verify BUNDLE ...`` and ``python -m ledger audit HANDLE ...``: the offline
verifier and the log auditor without the server installed."""

import sys

from . import audit, verify

USAGE = ("usage: python -m ledger verify BUNDLE [--vkey K] [--since FILE] [--json]\n"
         "       python -m ledger audit HANDLE --url BASE_URL --vkey VKEY [--origin O] [--json]")


def run(argv: list[str]) -> int:
    if argv[:1] == ["verify"]:
        return verify.main(argv[1:])
    if argv[:1] == ["audit"]:
        return audit.main(argv[1:])
    print(USAGE, file=sys.stderr)
    return verify.USAGE_EXIT


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
