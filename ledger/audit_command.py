"""``undersigned log audit HANDLE``: the command line around ``ledger.audit.audit_handle``, its
arguments, and the report it prints (readable, or JSON with ``--json``)."""

import argparse
import datetime
import json
import sys
from typing import TextIO

from .audit import audit_handle
from .audit_report import AuditReport
from .command_line import USAGE_EXIT, Parser, UsageError
from .errors import FetchError
from .log_fetch import DEFAULT_TIMEOUT, Fetch, find_log
from .note import Verifier
from .witness_policy import add_witness_arguments, witness_policy

USAGE = (
    "usage: undersigned log audit HANDLE --url BASE_URL --vkey VKEY [--origin ORIGIN] [--witness VKEY]... "
    "[--witness-threshold K] [--head FILE] [--timeout S] [--json]"
)


def _parser(remote: bool = True) -> argparse.ArgumentParser:
    """The arguments; without ``remote`` (the server's own database) --url and --vkey are not asked for."""
    parser = Parser(prog="undersigned log audit", description="Check a letter's history against the public log.")
    parser.add_argument("handle", help="the letter's public handle")
    parser.add_argument(
        "--url",
        required=remote,
        help="the log's base URL, e.g. https://example.org/log/ (or the site's root, e.g. "
        "https://example.org/, whose log is under /log/)",
    )
    parser.add_argument("--vkey", required=remote, help="the log's note verifier key")
    parser.add_argument("--origin", help="the origin the checkpoint must name")
    add_witness_arguments(parser)
    parser.add_argument(
        "--head",
        metavar="FILE",
        help="a signed head of the letter to hold against the log: the head note, or a bundle carrying one",
    )
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per request")
    parser.add_argument("--json", action="store_true", help="print a machine-readable report")
    return parser


def _handle_last(argv: list[str]) -> list[str]:
    """The arguments with a leading HANDLE moved after ``--``: a handle is URL-safe base64 and
    may begin with a "-", which argparse would otherwise take for an option."""
    if argv and not argv[0].startswith("--"):
        return [*argv[1:], "--", argv[0]]
    return argv


def read_head_file(path: str) -> str:
    """The head note in FILE: the note itself, or the ``head`` of a bundle."""
    with open(path, encoding="utf-8") as file:
        text = file.read()
    if not text.lstrip().startswith("{"):
        return text
    try:
        head = json.loads(text).get("head")
    except (ValueError, AttributeError):
        raise ValueError(f"{path} is neither a head note nor a bundle") from None
    if not isinstance(head, str):
        raise ValueError(f"the bundle in {path} carries no head")
    return head


def _readable(report: AuditReport) -> str:
    lines = []
    if report.size is not None:
        lines.append(f"log {report.origin}: size {report.size}, root {report.root}, signed by {report.key}")
    if report.tiles_checked:
        lines.append(f"entries hash to the checkpoint's root; {report.tiles_checked} served hash tiles match")
    lines += [f"checkpoint cosigned by witness {label} at {_utc(time)}" for label, time in report.witnesses.items()]
    lines.append(f"letter {report.handle}: {len(report.events)} events")
    lines += [f"  #{e.index} seq {e.seq} {e.time} {e.type}" for e in report.events]
    if report.ok:
        if report.key_events:
            lines.append(f"{report.key_events} key events replayed: the organisations' own keys make one history")
        lines.append(f"Audited: letter {report.handle}, status {report.status}")
        if report.head is not None:
            lines.append(
                f"  the signed head (index {report.head['index']}, seq {report.head['seq']} at size "
                f"{report.head['size']}) is the letter's last event in that tree"
            )
    else:
        lines += [f"PROBLEM at {p.step} (exit {p.exit_code}): {p.message}" for p in report.problems]
    if report.misbehaviour is not None:
        lines += [
            "PROOF OF MISBEHAVIOUR: the log signed the head and the checkpoint below, both with its key; the "
            "entry, included in the checkpoint's tree by its proof, contradicts the head.",
            json.dumps(report.misbehaviour, indent=2),
        ]
    return "\n".join(lines)


def _utc(timestamp: int) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def main(
    argv: list[str] | None = None, stdout: TextIO | None = None, fetch: Fetch | None = None, vkey: str | None = None
) -> int:
    """``undersigned log audit HANDLE --url BASE_URL --vkey VKEY [--origin O] [--witness VKEY]...
    [--witness-threshold K] [--head FILE] [--timeout S] [--json]``.

    ``argv`` are the arguments after ``audit`` (a leading ``audit`` is skipped). ``fetch``
    replaces HTTP and ``vkey`` the --vkey argument (for the server's own database, and tests);
    with both, --url and --vkey are not needed. Prints the report and returns the exit code of
    the first problem:

    * 0 -- audited: the checkpoint verifies, the entries give its root, the tiles match, and
      the handle's events form one chain whose public story holds (and the head is true);
    * 2 -- the log serves malformed data: an entry bundle that does not parse or holds the wrong
      number of entries, or an entry that is not a valid event;
    * 3 -- checkpoint: not signed by VKEY, unparseable, or naming another origin than ``--origin``;
    * 4 -- tree: the entries do not hash to the checkpoint's root, or a served hash tile differs;
    * 6 -- keys: the log's key events do not make one history of the organisations' own keys
      (an approval by a key that was not active, an event about a key never registered, an
      approval whose proof is not the approving key's, ...); reported after the letter's problems;
    * 7 -- chain: no entry names the handle, or its ``seq`` has a gap, duplicate or reordering,
      or a ``prev`` is not the leaf hash of the previous event;
    * 8 -- story: the letter's events break a public rule of docs/record.md;
    * 10 -- witnesses: fewer valid cosignatures on the checkpoint than ``--witness-threshold``;
    * 11 -- head: the head of ``--head`` is not the log's, is about another letter or a larger
      tree than the checkpoint's, or is false (printed with the proof of misbehaviour);
    * 64 -- usage (bad arguments, an unreadable VKEY or --head FILE);
    * 69 -- a file could not be fetched (HTTP error, network failure or timeout), or neither
      BASE_URL/checkpoint nor BASE_URL/log/checkpoint is a checkpoint.
    """
    stdout = stdout or sys.stdout
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["audit"]:
        argv = argv[1:]
    try:
        args = _parser(remote=fetch is None or vkey is None).parse_args(_handle_last(argv))
        vkey = args.vkey or vkey
        if vkey is None:
            raise UsageError("--vkey is needed")
        Verifier.from_vkey(vkey)
        policy = witness_policy(args)
        head_note = read_head_file(args.head) if args.head else None
    except (UsageError, ValueError, OSError) as error:  # NoteError is a ValueError
        print(f"{USAGE}\n{error}", file=sys.stderr)
        return USAGE_EXIT
    try:
        fetch = fetch or find_log(args.url, args.timeout)
    except FetchError as problem:  # no log at --url, nor at --url/log/
        report = AuditReport(args.handle, problems=[problem])
    else:
        report = audit_handle(fetch, args.handle, vkey, args.origin, policy, head_note)
    print(json.dumps(report.as_json(), indent=2) if args.json else _readable(report), file=stdout)
    return report.exit_code
