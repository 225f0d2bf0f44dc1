"""``python -m ledger verify BUNDLE ...``: the offline verifier without the server installed."""

import sys

from .verify import USAGE_EXIT, main


def run(argv: list[str]) -> int:
    if not argv or argv[0] != "verify":
        print("usage: python -m ledger verify BUNDLE [--vkey K] [--since FILE] [--json]", file=sys.stderr)
        return USAGE_EXIT
    return main(argv[1:])


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
