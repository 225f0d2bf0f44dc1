"""``python -m ledger verify BUNDLE ...``, ``python -m ledger audit HANDLE ...``, ``python -m
ledger mirror DIR --url BASE ...`` and ``python -m ledger witness serve ...``: the offline
verifier, the log auditor, the mirror and the witness without the server installed."""

import sys

from . import audit_command, mirror, verify_command, witness

USAGE = (
    "usage: python -m ledger verify BUNDLE [--vkey K] [--since FILE] [--witness VKEY]... [--witness-threshold K] "
    "[--json]\n"
    "       python -m ledger audit HANDLE --url BASE_URL --vkey VKEY [--origin O] [--witness VKEY]... "
    "[--head FILE] [--json]\n"
    "       python -m ledger mirror DIR --url BASE_URL [--vkey VKEY]\n"
    "       python -m ledger witness serve --log-vkey VKEY --db PATH [--port P]"
)


def run(argv: list[str]) -> int:
    if argv[:1] == ["verify"]:
        return verify_command.main(argv[1:])
    if argv[:1] == ["audit"]:
        return audit_command.main(argv[1:])
    if argv[:1] == ["mirror"]:
        return mirror.main(argv[1:])
    if argv[:2] == ["witness", "serve"]:
        return witness.main(argv[2:])
    print(USAGE, file=sys.stderr)
    return verify_command.USAGE_EXIT


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
