"""A report's events: the Office's versions, the share with the State concerned, its
acknowledgement and comments, and publication (docs/record.md, "Report events").

Their envelope is a letter event's (format, type, time, handle, seq, prev, commitment):
ledger/events.py takes the public and private fields of each type from here. The report's
content and the names of who acted enter an entry only as a commitment until publication;
what the public timeline needs (which version, its hash, the deadline, whether a comment was
late or annexed) is public. Pure Python: the offline verifier imports it.
"""

import hashlib
import re
from collections.abc import Callable

from .canonical import canonical_json, normalise_text
from .encoding import is_hex_digest

REPORT_CREATED = "report.created"
REPORT_VERSION = "report.version"
REPORT_SHARED = "report.shared"
REPORT_ACKNOWLEDGED = "report.acknowledged"
REPORT_COMMENTED = "report.commented"
REPORT_PUBLISHED = "report.published"

REPORT_EVENT_TYPES = (
    REPORT_CREATED,
    REPORT_VERSION,
    REPORT_SHARED,
    REPORT_ACKNOWLEDGED,
    REPORT_COMMENTED,
    REPORT_PUBLISHED,
)

_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
Check = Callable[[object], bool]


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 2**53 - 1


def _boolean(value: object) -> bool:
    return isinstance(value, bool)


def _time(value: object) -> bool:
    return isinstance(value, str) and _TIME.fullmatch(value) is not None


def _digest_or_null(value: object) -> bool:
    return value is None or is_hex_digest(value)


PUBLIC_FIELDS: dict[str, dict[str, Check]] = {
    # file_sha256: the uploaded file's bytes (null for a Markdown version).
    REPORT_CREATED: {"version": _integer, "version_hash": is_hex_digest, "file_sha256": _digest_or_null},
    REPORT_VERSION: {
        "version": _integer,
        "version_hash": is_hex_digest,
        "file_sha256": _digest_or_null,
        "base_version": _integer,
        "answers": _integer,  # how many comments the new version's note says it answers
    },
    REPORT_SHARED: {"version": _integer, "version_hash": is_hex_digest, "deadline": _time},
    REPORT_ACKNOWLEDGED: {"version_hash": is_hex_digest},
    REPORT_COMMENTED: {
        "comment_hash": is_hex_digest,
        "version_hash": is_hex_digest,
        "annex": _boolean,
        "late": _boolean,
    },
    # comments: how many comments go out annexed; none_by_deadline: the recorded fact that the
    # State sent none before the deadline of the last share.
    REPORT_PUBLISHED: {
        "version": _integer,
        "version_hash": is_hex_digest,
        "comments": _integer,
        "none_by_deadline": _boolean,
    },
}

PRIVATE_FIELDS: dict[str, set[str]] = {
    REPORT_CREATED: {"office", "concerning", "title", "body", "file_name", "media_type", "author", "note"},
    REPORT_VERSION: {"title", "body", "file_name", "media_type", "author", "note", "answers"},
    REPORT_SHARED: {"office", "org"},
    REPORT_ACKNOWLEDGED: {"org", "person", "signature"},
    REPORT_COMMENTED: {"org", "signer", "signature"},
    REPORT_PUBLISHED: set(),
}

# Private fields the verifier reasons about, which must be strings (ledger/events.py checks them).
PRIVATE_STRINGS = {"office", "concerning", "org", "signature", "title", "body"}


def comment_action(handle: str, org: str, time: str, version_hash: str, comment_hash: str, annex: bool) -> dict:
    """What the State's signer signs when it sends comments: the version commented on, the
    comment's own hash, and whether it asks for the comment to be annexed."""
    return {
        "action": "comment",
        "handle": handle,
        "org": org,
        "time": time,
        "version_hash": version_hash,
        "comment_hash": comment_hash,
        "annex": annex,
    }


def acknowledge_share_action(handle: str, org: str, time: str, version_hash: str) -> dict:
    """What the State signs when it acknowledges the shared version."""
    return {"action": "acknowledge_report", "handle": handle, "org": org, "time": time, "version_hash": version_hash}


def statement_for_report_event(event: dict, fields: dict) -> dict:
    """The statement a report event's opening carries a signature over."""
    kind, handle, time = event["type"], event["handle"], event["time"]
    if kind == REPORT_COMMENTED:
        return comment_action(handle, fields["org"], time, event["version_hash"], event["comment_hash"], event["annex"])
    if kind == REPORT_ACKNOWLEDGED:
        return acknowledge_share_action(handle, fields["org"], time, event["version_hash"])
    raise ValueError(f"{kind} events carry no signed statement")


def report_version_hash(title: str, concerning: str, body: str) -> str:
    """Lowercase hex SHA-256 of a Markdown version's canonical form: RFC 8785 JSON of its title,
    the State concerned and its body (NFC, LF line ends, as a letter's). A version made from a
    file is identified by the SHA-256 of the file's bytes instead."""
    content = {"title": title, "concerning": concerning, "body": normalise_text(body)}
    return hashlib.sha256(canonical_json(content)).hexdigest()
