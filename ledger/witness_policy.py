"""The witnesses a reader trusts (``--witness VKEY``, ``--witness-threshold K``), shared by
``undersigned verify`` and ``undersigned log audit``; step 2 of each checks the checkpoint's
cosignatures against them (``ledger.verify.check_witnesses``)."""

import argparse
from dataclasses import dataclass

from .cosignature import WitnessKey


@dataclass(frozen=True)
class WitnessPolicy:
    """The witnesses a reader trusts, and how many of them must have cosigned."""

    witnesses: list[WitnessKey]
    threshold: int

    @classmethod
    def from_vkeys(cls, vkeys: list[str], threshold: int | None = None) -> "WitnessPolicy":
        """Raises ValueError for a bad vkey, a repeated witness or a threshold out of 1..len(vkeys)."""
        witnesses = [WitnessKey.from_vkey(vkey) for vkey in vkeys]
        if len({w.label for w in witnesses}) != len(witnesses):
            raise ValueError("a witness is given twice")
        threshold = len(witnesses) if threshold is None else threshold
        if not 1 <= threshold <= len(witnesses):
            raise ValueError(
                f"--witness-threshold {threshold} is not between 1 and the {len(witnesses)} witnesses given"
            )
        return cls(witnesses, threshold)


def add_witness_arguments(parser: argparse.ArgumentParser) -> None:
    """``--witness VKEY`` (repeatable) and ``--witness-threshold K``, for verify and log audit."""
    parser.add_argument(
        "--witness",
        action="append",
        default=[],
        metavar="VKEY",
        help="a witness's cosignature vkey; the checkpoint must carry its cosignature (again for more witnesses)",
    )
    parser.add_argument(
        "--witness-threshold",
        type=int,
        metavar="K",
        help="how many of the witnesses given must have cosigned (default: all)",
    )


def witness_policy(args: argparse.Namespace) -> WitnessPolicy | None:
    """The policy of parsed ``--witness`` arguments, None without any; raises ValueError."""
    if not args.witness:
        if args.witness_threshold is not None:
            raise ValueError("--witness-threshold needs at least one --witness")
        return None
    try:
        return WitnessPolicy.from_vkeys(args.witness, args.witness_threshold)
    except ValueError as error:
        raise ValueError(f"--witness: {error}") from None
