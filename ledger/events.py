"""Log entries: events as RFC 8785 JSON (docs/record.md, "Entries (events)")."""

import json
import re
from collections.abc import Callable
from typing import NamedTuple

from .canonical import SAFE_INTEGER, canonical_json, plain_json
from .commitment import commit_canonical, new_salt
from .encoding import b64encode, is_hex_digest
from .key_events import KEY_EVENT_TYPES, KEY_PUBLIC_FIELDS, OWN_KEY_SIGNATURE_PRIVATE, OWN_KEY_SIGNATURE_PUBLIC
from .report_events import PRIVATE_FIELDS as REPORT_PRIVATE_FIELDS
from .report_events import PRIVATE_STRINGS as REPORT_PRIVATE_STRINGS
from .report_events import PUBLIC_FIELDS as REPORT_PUBLIC_FIELDS
from .tiles import MAX_ENTRY_BYTES

EVENT_FORMAT = "undersigned-event/v1"

ORG_REGISTERED = "org.registered"
LETTER_CREATED = "letter.created"
VERSION_CREATED = "version.created"
LETTER_CIRCULATED = "letter.circulated"
LETTER_VISIBILITY = "letter.visibility"
SIGNATURE_SIGNED = "signature.signed"
SIGNATURE_WITHDRAWN = "signature.withdrawn"
LETTER_CLOSED = "letter.closed"
LETTER_DELIVERED = "letter.delivered"
DELIVERY_ACKNOWLEDGED = "delivery.acknowledged"
LETTER_PUBLISHED = "letter.published"
LETTER_ABANDONED = "letter.abandoned"

_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


class EventError(ValueError):
    """An event that does not follow docs/record.md."""


class EntryTooLarge(EventError):
    """An entry over 65,535 bytes, which no tlog-tiles entry bundle can hold."""


def _string(value: object) -> bool:
    return isinstance(value, str)


def _integer(value: object) -> bool:
    """A count or index: beyond SAFE_INTEGER it would have no RFC 8785 form."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= SAFE_INTEGER


def _boolean(value: object) -> bool:
    return isinstance(value, bool)


_digest = is_hex_digest


def _time(value: object) -> bool:
    return isinstance(value, str) and _TIME.fullmatch(value) is not None


Check = Callable[[object], bool]  # is a public field's value of the right JSON type?


def _or_null(check: Check) -> Check:
    return lambda value: value is None or check(value)


# Public fields of each type, with a check of their JSON type; private fields by name only,
# since they are opaque until opened. An empty private set means "no commitment".
PUBLIC_FIELDS: dict[str, dict[str, Check]] = {
    ORG_REGISTERED: {"org": _string, "name": _string, "kind": _string, "country": _or_null(_string), "key": _string},
    LETTER_CREATED: {"version": _integer, "version_hash": _digest, "language": _string},
    VERSION_CREATED: {"version": _integer, "version_hash": _digest, "base_version": _integer},
    LETTER_CIRCULATED: {"invitees": _integer, "deadline": _or_null(_string)},
    LETTER_VISIBILITY: {"names": lambda v: v in ("penholder", "invitees", "public")},
    SIGNATURE_SIGNED: {"version": _integer, "version_hash": _digest, "late": _boolean, "replaces": _or_null(_integer)},
    SIGNATURE_WITHDRAWN: {"signature": _integer, "late": _boolean},
    LETTER_CLOSED: {},
    LETTER_DELIVERED: {
        "delivery": _digest,
        "version": _integer,
        "version_hash": _digest,
        "count": _integer,
        "addendum_to": _or_null(_digest),
    },
    DELIVERY_ACKNOWLEDGED: {"delivery": _digest},
    LETTER_PUBLISHED: {},
    LETTER_ABANDONED: {},
}
PRIVATE_FIELDS = {
    ORG_REGISTERED: set(),
    LETTER_CREATED: {"penholder", "addressee", "title", "body", "author", "note"},
    VERSION_CREATED: {"addressee", "title", "body", "author", "note"},
    LETTER_CIRCULATED: {"invitees", "message"},
    LETTER_VISIBILITY: set(),
    SIGNATURE_SIGNED: {"org", "signer", "signature"},
    SIGNATURE_WITHDRAWN: {"org", "signer", "reason", "signature"},
    LETTER_CLOSED: set(),
    LETTER_DELIVERED: {"penholder", "signatories", "withdrawn", "signature"},
    DELIVERY_ACKNOWLEDGED: {"org", "person", "signature"},
    LETTER_PUBLISHED: set(),
    LETTER_ABANDONED: set(),
}
# A report's events share the envelope (ledger/report_events.py).
PUBLIC_FIELDS.update(REPORT_PUBLIC_FIELDS)
PRIVATE_FIELDS.update(REPORT_PRIVATE_FIELDS)
# An organisation's own keys (ledger/key_events.py): events of the organisation, like its registration.
PUBLIC_FIELDS.update(KEY_PUBLIC_FIELDS)
PRIVATE_FIELDS.update({kind: set() for kind in KEY_EVENT_TYPES})
ORG_EVENT_TYPES = frozenset({ORG_REGISTERED, *KEY_EVENT_TYPES})
# Fields only some events of a type have: a signed statement made with a key the signer holds
# (a signature, its withdrawal, a delivery, an acknowledgement) names its kind publicly (absent:
# the custodial key), and opens to the proof, the key and the statement's time instead of the
# custodial signature.
OWN_KEY_TYPES = (SIGNATURE_SIGNED, SIGNATURE_WITHDRAWN, LETTER_DELIVERED, DELIVERY_ACKNOWLEDGED)
_OWN_KEY_PROOF_FIELDS = OWN_KEY_SIGNATURE_PRIVATE - PRIVATE_FIELDS[SIGNATURE_SIGNED]
OPTIONAL_PUBLIC_FIELDS = dict.fromkeys(OWN_KEY_TYPES, OWN_KEY_SIGNATURE_PUBLIC)
OWN_KEY_PRIVATE_FIELDS = {
    kind: (PRIVATE_FIELDS[kind] - {"signature"}) | _OWN_KEY_PROOF_FIELDS for kind in OWN_KEY_TYPES
}
EVENT_TYPES = tuple(PUBLIC_FIELDS)
LETTER_FIELDS = {"handle": _string, "seq": _integer, "prev": _or_null(_digest)}


def _envelope_fields(kind: str) -> dict:
    fields = {"format": lambda v: v == EVENT_FORMAT, "type": _string, "time": _time}
    if kind not in ORG_EVENT_TYPES:
        fields.update(LETTER_FIELDS)
    if PRIVATE_FIELDS[kind]:
        fields["commitment"] = _digest
    return fields


_EXPECTED = {kind: {**_envelope_fields(kind), **PUBLIC_FIELDS[kind]} for kind in PUBLIC_FIELDS}


def expected_fields(kind: str) -> dict:
    """Every field an event of this type has, with its check."""
    return dict(_EXPECTED[kind])


_PRIVATE_STRINGS = {"org", "penholder", "addressee", "title", "body", "signature"} | REPORT_PRIVATE_STRINGS
_PRIVATE_SLUG_LISTS = {"signatories", "withdrawn", "invitees"}
# Per type: its private fields that must be strings, and those that must be lists of slugs.
_PRIVATE_TYPES = {
    kind: (sorted(names & _PRIVATE_STRINGS), sorted(names & _PRIVATE_SLUG_LISTS))
    for kind, names in PRIVATE_FIELDS.items()
}


def validate_private_fields(kind: str, fields: dict) -> None:
    """The opened fields are exactly the type's private fields, and those the verifier
    reasons about have the right JSON type."""
    own_key = kind in OWN_KEY_PRIVATE_FIELDS and fields.keys() == OWN_KEY_PRIVATE_FIELDS[kind]
    if own_key:
        _validate_own_key_fields(fields)
    elif fields.keys() != PRIVATE_FIELDS[kind]:
        raise EventError(f"{kind} private fields must be {sorted(PRIVATE_FIELDS[kind])}, got {sorted(fields)}")
    strings, slug_lists = _PRIVATE_TYPES[kind]
    if own_key:
        strings = [name for name in strings if name != "signature"]
    for name in strings:
        if not isinstance(fields[name], str):
            raise EventError(f"private field {name!r} is not a string")
    for name in slug_lists:
        if not isinstance(fields[name], list) or not all(isinstance(slug, str) for slug in fields[name]):
            raise EventError(f"private field {name!r} is not a list of slugs")


def _validate_own_key_fields(fields: dict) -> None:
    """The fields a statement signed by a key the signer holds opens to (ledger/key_events.py),
    besides those of its type."""
    for name in ("statement_time", "key", *sorted(fields.keys() & {"signer"})):  # a signer was checked before
        if not isinstance(fields[name], str):
            raise EventError(f"private field {name!r} is not a string")
    if not _integer(fields["key_event"]):
        raise EventError("private field 'key_event' is not a log index")
    proof = fields["proof"]
    if not isinstance(proof, dict) or not isinstance(proof.get("kind"), str):
        raise EventError("private field 'proof' is not an object with a kind")


class BuiltEvent(NamedTuple):
    entry: bytes  # JCS(event)
    salt: bytes | None  # None when the type has no private fields
    private_json: bytes | None  # JCS(private fields): the bytes the commitment is over


def make_event(
    kind: str,
    time: str,
    public: dict,
    private: dict | None = None,
    handle: str | None = None,
    seq: int | None = None,
    prev: str | None = None,
    salt: bytes | None = None,
) -> tuple[bytes, dict | None]:
    """The entry bytes of an event, and the opening of its private fields (without
    ``index``, which the log assigns) or None when the type has none."""
    built = build_event(kind, time, public, private, handle, seq, prev, salt)
    if built.salt is None:
        return built.entry, None
    return built.entry, {"salt": b64encode(built.salt), "fields": private or {}}


def build_event(
    kind: str,
    time: str,
    public: dict,
    private: dict | None = None,
    handle: str | None = None,
    seq: int | None = None,
    prev: str | None = None,
    salt: bytes | None = None,
) -> BuiltEvent:
    """``make_event`` for a log that stores the salt and the canonical private fields as they
    are, rather than the opening's base64 and dict."""
    event = {"format": EVENT_FORMAT, "type": kind, "time": time, **public}
    if kind not in ORG_EVENT_TYPES:
        event.update(handle=handle, seq=seq, prev=prev)
    private_json = None
    if PRIVATE_FIELDS.get(kind):
        salt = new_salt() if salt is None else salt
        private_json = canonical_json(private or {})
        event["commitment"] = commit_canonical(salt, private_json)
    else:
        salt = None
    _validate(event)
    validate_private_fields(kind, private or {})
    entry = _valid_event_json(event)
    if len(entry) > MAX_ENTRY_BYTES:
        raise EntryTooLarge(f"{kind} entry is {len(entry)} bytes; an entry holds at most {MAX_ENTRY_BYTES}")
    return BuiltEvent(entry, salt, private_json)


# What a valid event's values can be: every check in _EXPECTED accepts only a string, a
# boolean, null or an integer within SAFE_INTEGER, and every field name is ASCII.
_PLAIN_SCALARS = frozenset({str, int, bool, type(None)})


def _valid_event_json(event: dict) -> bytes:
    """JCS of an event _validate accepted. With values of exactly the plain types (a subclass,
    say a str subclass a caller passed, could encode differently) it is plain, so the C encoder
    writes it without the walk canonical_json would make over it again."""
    if _PLAIN_SCALARS.issuperset(map(type, event.values())):
        try:
            return plain_json(event)
        except ValueError:
            pass  # a lone surrogate: canonical_json raises rfc8785's own error, as it always did
    return canonical_json(event)


def parse_event(entry: bytes) -> dict:
    """The event in an entry; raises EventError unless it is canonical JSON of a valid event."""
    try:
        event = json.loads(entry.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise EventError(f"entry is not UTF-8 JSON: {error}") from None
    except RecursionError:  # arrays or objects nested thousands deep: no event is
        raise EventError("entry is not an event: its JSON is nested too deeply") from None
    if not isinstance(event, dict):
        raise EventError("entry is not a JSON object")
    _validate(event)
    # A valid event is plain (canonical._plain): its field names are the type's, all ASCII, and
    # every check in _EXPECTED accepts only a string, true, false, null or an integer up to
    # SAFE_INTEGER. So the C encoder writes its JCS without a second walk over it.
    try:
        canonical = plain_json(event)
    except ValueError as error:  # a lone surrogate, which has no UTF-8 form
        raise EventError(f"entry has no RFC 8785 canonical form: {error}") from None
    if canonical != entry:
        raise EventError("entry is not in RFC 8785 canonical form")
    return event


def validate_event(event: dict) -> None:
    """Raise EventError unless the decoded event has exactly its type's fields, each valid."""
    _validate(event)


def _validate(event: dict) -> None:
    kind = event.get("type")
    expected = _EXPECTED.get(kind) if isinstance(kind, str) else None
    if expected is None:
        raise EventError(f"unknown event type {kind!r}")
    if event.keys() != expected.keys():
        expected = _with_optional_fields(str(kind), event, expected)
    for name, check in expected.items():
        if not check(event[name]):
            raise EventError(f"{kind} field {name!r} has an invalid value {event[name]!r}")


def _with_optional_fields(kind: str, event: dict, expected: dict) -> dict:
    """The fields an event with some of its type's optional fields must have; raises
    EventError if it has others, or lacks some."""
    optional = OPTIONAL_PUBLIC_FIELDS.get(kind, {})
    present = {name: check for name, check in optional.items() if name in event}
    if not present or event.keys() != expected.keys() | present.keys():
        raise EventError(f"{kind} fields must be {sorted(expected)}, got {sorted(event)}")
    return {**expected, **present}
