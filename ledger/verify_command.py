"""``undersigned verify BUNDLE``: the command line around ``ledger.verify.verify_bundle``, its
arguments, and the verdict it prints (readable, or JSON with ``--json``)."""

import argparse
import datetime
import json
import sys
from typing import TextIO

from . import report_story
from .command_line import USAGE_EXIT, Parser, UsageError
from .errors import MalformedBundle, VerificationError
from .verify import Report, verify_bundle
from .witness_policy import add_witness_arguments, witness_policy


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="undersigned verify", description="Check a letter's verification bundle offline.")
    parser.add_argument("bundle", help="bundle file, or - for standard input")
    parser.add_argument("--vkey", help="the log's verifier key to require")
    parser.add_argument("--since", metavar="FILE", help="an earlier checkpoint note to check consistency with")
    add_witness_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print a machine-readable verdict")
    return parser


def _read(path: str, stdin: TextIO) -> str:
    if path == "-":
        return stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _verdict(report: Report, error: VerificationError | None) -> dict:
    failure = None
    if error is not None:
        failure = {"step": error.step, "code": error.exit_code, "message": error.message}
    return {"ok": error is None, "error": failure, "facts": report.facts}


def _history_lines(facts: dict) -> list[str]:
    """What the verdict says of the letter's status: proven, since the signed head (step 6)
    shows the bundle's last event is the letter's last in the checkpoint's tree."""
    last = facts["last_event"]
    last_event = f"seq {last['seq']}, log index {last['index']}, {last['type']} at {last['time']}"
    lines = [
        f"Verified: letter {facts['handle']}, status {facts['status']}",
        f"  complete at the checkpoint: the log's signed head at size {facts['log']['size']} names its "
        f"last event ({last_event})",
    ]
    for label, timestamp in facts.get("witnesses", {}).items():
        at = datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        lines.append(f"  checkpoint cosigned by witness {label} at {at}")
    return lines


def _readable(report: Report, error: VerificationError | None) -> str:
    lines = [f"  {s.number}. {s.name}: ok ({s.detail})" for s in report.steps]
    if error is not None:
        lines.append(f"FAILED at {error.step} (exit {error.exit_code}): {error.message}")
        return "\n".join(lines)
    facts = report.facts
    if facts.get("kind") == "report":
        return "\n".join(lines + report_story.summary_lines(facts))
    lines += _history_lines(facts)
    lines += [f"  version {v['version']} {v['hash']}: {v['signatures']} live signatures" for v in facts["versions"]]
    lines += [
        f"  delivery {d['delivery']} of version {d['version']}: {d['count']} signatories"
        f"{' (addendum)' if d['addendum_to'] else ''}{', acknowledged' if d['acknowledged'] else ''}"
        for d in facts["deliveries"]
    ]
    own_keys = [s for s in facts.get("signatures", []) if s["key_kind"] != "custodial"]
    if own_keys:
        lines.append(
            f"  {len(own_keys)} of {len(facts['signatures'])} signature events made with keys the signers hold"
        )
    lines += [f"  {name}: {value}" for name, value in facts.get("names", {}).items()]
    return "\n".join(lines)


USAGE = (
    "usage: undersigned verify BUNDLE [--vkey K] [--since FILE] [--witness VKEY]... [--witness-threshold K] [--json]"
)


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """``undersigned verify BUNDLE [--vkey K] [--since FILE] [--witness VKEY]... [--witness-threshold K]
    [--json]``; returns the exit code. ``argv`` are the arguments after ``verify`` (a leading
    ``verify`` is skipped)."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["verify"]:
        argv = argv[1:]  # tolerate being handed the whole command line
    try:
        args = _parser().parse_args(argv)
        policy = witness_policy(args)
        since = _read(args.since, stdin) if args.since else None
    except (UsageError, ValueError, OSError) as refusal:  # an unreadable FILE is an OSError or a ValueError
        print(f"{USAGE}\n{refusal}", file=sys.stderr)
        return USAGE_EXIT
    report = Report()
    error: VerificationError | None = None
    try:
        verify_bundle(_read(args.bundle, stdin), args.vkey, since, report, policy)
    except OSError as failure:
        error = MalformedBundle(f"cannot read {args.bundle}: {failure}")
    except UnicodeDecodeError as failure:
        error = MalformedBundle(f"{args.bundle} is not UTF-8: {failure}")
    except VerificationError as failure:
        error = failure
    print(json.dumps(_verdict(report, error), indent=2) if args.json else _readable(report, error), file=stdout)
    return 0 if error is None else error.exit_code
