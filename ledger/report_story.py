"""Step 7 of the offline verifier for a report's bundle (and step 5's statements of the State
concerned): the report's events follow its lifecycle (ledger/report_lifecycle.py) in time
order; every hash named is one the story has seen (a share names a recorded version, a
comment and a publication a shared one); each version's hash is its content's where opened;
each acknowledgement and comment is signed by the State's key. Pure Python, no Django.

A report's failures have their own errors and exit codes (docs/record.md), so a tampered
report bundle says what was tampered with."""

from dataclasses import dataclass, field
from typing import NoReturn

from . import report_events as ev
from . import report_lifecycle as lifecycle
from .errors import SignatureError, StoryError
from .statements import verify_event_statement
from .verify_signatures import _key_before, _registrations


class ReportStoryError(StoryError):
    """The report's events break its lifecycle, its time order or its hashes."""

    exit_code = 12
    step = "report story"


class ReportSignatureError(SignatureError):
    """An acknowledgement or comment is not signed by the State concerned's key."""

    exit_code = 13
    step = "report signatures"


@dataclass
class ReportStory:
    handle: str
    status: str = lifecycle.NOT_CREATED
    versions: dict[int, str] = field(default_factory=dict)  # number -> hash
    shared: dict[str, str] = field(default_factory=dict)  # hash shared -> deadline
    last_shared: str | None = None
    concerning: str | None = None  # the State, when the first event is opened
    comments: list[dict] = field(default_factory=list)
    last_time: str = ""
    published: dict | None = None
    last_event: dict | None = None


def is_report(events: list[tuple[int, dict]]) -> bool:
    return bool(events) and events[0][1]["type"] in ev.REPORT_EVENT_TYPES


def _fail(index: int, message: str) -> NoReturn:
    raise ReportStoryError(f"index {index}: {message}")


def tell(handle: str, events: list[tuple[int, dict]], openings: dict[int, dict]) -> ReportStory:
    """Replay the report's events in log order; raise ReportStoryError at the first broken rule."""
    story = ReportStory(handle)
    for index, event in events:
        kind = event["type"]
        if kind not in lifecycle.STEPS:
            _fail(index, f"{kind} is not an event of a report")
        allowed_from, status_after = lifecycle.STEPS[kind]
        if story.status not in allowed_from:
            _fail(index, lifecycle.refusal(kind, story.status))
        # Times are written to the microsecond in one fixed format, so text order is time order.
        if event["time"] < story.last_time:
            _fail(index, f"{kind} at {event['time']} comes before the previous event's {story.last_time}")
        _RULES[kind](story, index, event, openings.get(index))
        story.last_time = event["time"]
        story.last_event = {"index": index, "seq": event["seq"], "type": kind, "time": event["time"]}
        if status_after is not None:
            story.status = status_after
    return story


def _version(story: ReportStory, index: int, event: dict, fields: dict | None) -> None:
    expected = len(story.versions) + 1
    if event["version"] != expected:
        _fail(index, f"version {event['version']}, expected {expected}")
    if event["type"] == ev.REPORT_VERSION and event["base_version"] != expected - 1:
        _fail(index, f"version {expected} is based on {event['base_version']}, expected {expected - 1}")
    if event["file_sha256"] is not None and event["version_hash"] != event["file_sha256"]:
        _fail(index, f"a file's version_hash {event['version_hash']} is not its file_sha256 {event['file_sha256']}")
    # The State is in the first event's opening; a reader who may not open it cannot recompute.
    concerning = fields.get("concerning", story.concerning) if fields is not None else None
    if fields is not None and concerning is not None and event["file_sha256"] is None:
        computed = ev.report_version_hash(fields["title"], concerning, fields["body"])
        if computed != event["version_hash"]:
            _fail(index, f"version {expected}: expected version_hash {event['version_hash']}, computed {computed}")
    story.versions[expected] = event["version_hash"]


def _created(story: ReportStory, index: int, event: dict, fields: dict | None) -> None:
    if fields is not None:
        story.concerning = fields["concerning"]
    _version(story, index, event, fields)


def _shared(story: ReportStory, index: int, event: dict, fields: dict | None) -> None:
    recorded = story.versions.get(event["version"])
    if recorded != event["version_hash"]:
        _fail(index, f"shared version {event['version']} with hash {event['version_hash']}, recorded {recorded}")
    if event["deadline"] <= event["time"]:
        _fail(index, f"the deadline {event['deadline']} is not after the share at {event['time']}")
    story.shared[event["version_hash"]] = event["deadline"]
    story.last_shared = event["version_hash"]


def _acknowledged(story: ReportStory, index: int, event: dict, fields: dict | None) -> None:
    if event["version_hash"] != story.last_shared:
        _fail(index, f"acknowledges {event['version_hash']}, the version last shared is {story.last_shared}")


def _commented(story: ReportStory, index: int, event: dict, fields: dict | None) -> None:
    if event["version_hash"] not in story.shared:
        _fail(index, f"comments on {event['version_hash']}, a version never shared with the State")
    deadline = story.shared[story.last_shared or ""]
    late = event["time"] > deadline
    if event["late"] != late:
        _fail(index, f"comments at {event['time']} marked late={event['late']}, the deadline was {deadline}")
    story.comments.append({"index": index, "hash": event["comment_hash"], "annex": event["annex"], "late": late})


def _published(story: ReportStory, index: int, event: dict, fields: dict | None) -> None:
    if event["version_hash"] not in story.shared or story.versions.get(event["version"]) != event["version_hash"]:
        _fail(index, f"publishes version {event['version']} ({event['version_hash']}), never shared with the State")
    annexed = sum(1 for comment in story.comments if comment["annex"])
    if event["comments"] != annexed:
        _fail(index, f"publishes with {event['comments']} comments annexed, the log shows {annexed}")
    deadline = story.shared[story.last_shared or ""]
    none_by_deadline = not story.comments and event["time"] > deadline
    if event["none_by_deadline"] != none_by_deadline:
        _fail(index, f"says none_by_deadline={event['none_by_deadline']}, the log shows {none_by_deadline}")
    story.published = {"index": index, "version": event["version"], "hash": event["version_hash"]}


_RULES = {
    ev.REPORT_CREATED: _created,
    ev.REPORT_VERSION: _version,
    ev.REPORT_SHARED: _shared,
    ev.REPORT_ACKNOWLEDGED: _acknowledged,
    ev.REPORT_COMMENTED: _commented,
    ev.REPORT_PUBLISHED: _published,
}


def check_signatures(events: list[tuple[int, dict]], opened: dict[int, dict], keys: list[tuple[int, dict]]) -> int:
    """Each opened acknowledgement and comment is signed by its organisation's key as
    registered most recently before it; returns how many were checked."""
    registrations = _registrations(keys)
    checked = 0
    for index, event in events:
        if event["type"] in (ev.REPORT_ACKNOWLEDGED, ev.REPORT_COMMENTED) and index in opened:
            fields = opened[index]
            statement = ev.statement_for_report_event(event, fields)
            try:
                verify_event_statement(_key_before(registrations, fields["org"], index), statement, fields["signature"])
            except SignatureError as error:
                raise ReportSignatureError(f"{event['type']}: {error.message}") from None
            checked += 1
    return checked


def facts(story: ReportStory, complete: bool) -> dict:
    """What the story establishes: the report's status (proven when the history is complete or
    published), its versions, what was shared, the comments and the publication."""
    proven = complete or story.status == lifecycle.PUBLISHED
    return {
        "kind": "report",
        "status": story.status if proven else None,
        "status_at_last_event": story.status,
        "complete": complete,
        "versions": [{"version": n, "hash": h} for n, h in sorted(story.versions.items())],
        "shared": [{"hash": h, "deadline": d} for h, d in story.shared.items()],
        "comments": story.comments,
        "published": story.published,
        "last_event": story.last_event,
    }


def summary_lines(facts: dict) -> list[str]:
    """The verdict on a report's bundle, as ``undersigned verify`` prints it."""
    last = facts["last_event"]
    lines = [
        f"Verified: report {facts['handle']}, status {facts['status'] or facts['status_at_last_event']}",
        f"  last event: seq {last['seq']}, log index {last['index']}, {last['type']} at {last['time']}",
    ]
    lines += [f"  version {v['version']} {v['hash']}" for v in facts["versions"]]
    lines += [f"  shared {s['hash']}, comments due {s['deadline']}" for s in facts["shared"]]
    lines += [
        f"  comments {c['hash']} at log index {c['index']}{' (late)' if c['late'] else ''}"
        f"{', annexed' if c['annex'] else ''}"
        for c in facts["comments"]
    ]
    if facts["published"]:
        lines.append(f"  published version {facts['published']['version']} {facts['published']['hash']}")
    return lines
