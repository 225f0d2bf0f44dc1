"""Step 7 of the verifier: the rules a letter's events must follow (docs/record.md,
"Rules the verifier checks"). Checks that need private fields run when the opening is
in the bundle and are skipped otherwise; the public ones always run."""

from dataclasses import dataclass, field
from typing import Any, NoReturn

from . import lifecycle
from .canonical import version_hash
from .errors import StoryError
from .events import (
    DELIVERY_ACKNOWLEDGED,
    LETTER_ABANDONED,
    LETTER_CIRCULATED,
    LETTER_CLOSED,
    LETTER_CREATED,
    LETTER_DELIVERED,
    LETTER_PUBLISHED,
    LETTER_VISIBILITY,
    SIGNATURE_SIGNED,
    SIGNATURE_WITHDRAWN,
    VERSION_CREATED,
)
from .statements import delivery_hash


@dataclass
class Signature:
    version: int
    org: str | None  # None when the opening is not in the bundle


@dataclass
class Delivery:
    version: int
    count: int
    addendum_to: str | None
    acknowledged: bool = False


@dataclass
class Story:
    handle: str
    status: str = lifecycle.NOT_CREATED  # after the events told so far
    penholder: str | None = None
    versions: dict[int, str] = field(default_factory=dict)
    addressees: dict[int, str] = field(default_factory=dict)
    live: dict[int, Signature] = field(default_factory=dict)  # by log index, in log order
    live_orgs: dict[str, int] = field(default_factory=dict)  # the opened ones among them: org -> index
    delivered_orgs: dict[int, list[str]] = field(default_factory=dict)  # by version
    unopened_deliveries: set[int] = field(default_factory=set)  # versions whose delivered orgs are unknown
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    last_event: tuple[int, dict] | None = None  # (log index, event) of the last event told

    def live_on(self, version: int) -> list[Signature]:
        return [s for s in self.live.values() if s.version == version]

    def known_orgs_on(self, version: int) -> list[str] | None:
        """Organisations with a live signature on ``version`` in log order, if all are opened."""
        orgs = [s.org for s in self.live_on(version)]
        known = [org for org in orgs if org is not None]
        return known if len(known) == len(orgs) else None


def tell(handle: str, events: list[tuple[int, dict]], openings: dict[int, dict]) -> Story:
    """Replay the letter's events in log order; raise StoryError at the first broken rule.

    Each event must first be one the letter's status allows (ledger/lifecycle.py), then
    follow its own type's rules."""
    story = Story(handle)
    steps = lifecycle.STEPS
    for index, event in events:
        allowed_from, status_after = steps[event["type"]]  # unpacked: a step's fields by name cost more
        if story.status not in allowed_from:
            _fail(index, lifecycle.refusal(event["type"], story.status))
        _RULES[event["type"]](story, index, event, openings.get(index))
        if status_after is not None:
            story.status = status_after
    if events:
        story.last_event = events[-1]
    return story


def _fail(index: int, message: str) -> NoReturn:
    raise StoryError(f"index {index}: {message}")


def _check_version_hash(index: int, event: dict, fields: dict | None) -> None:
    if fields is None:
        return
    computed = version_hash(fields["title"], fields["addressee"], fields["body"])
    if computed != event["version_hash"]:
        _fail(index, f"version {event['version']}: expected version_hash {event['version_hash']}, computed {computed}")


def _letter_created(story: Story, index: int, event: dict, fields: dict | None) -> None:
    if event["version"] != 1:
        _fail(index, f"letter.created has version {event['version']}, expected 1")
    _add_version(story, index, event, fields)
    story.penholder = fields["penholder"] if fields else None


def _version_created(story: Story, index: int, event: dict, fields: dict | None) -> None:
    current = max(story.versions)  # letter.created came first: the lifecycle allows nothing before it
    if event["version"] != current + 1 or event["base_version"] != current:
        _fail(
            index,
            f"version {event['version']} on base {event['base_version']}: expected version "
            f"{current + 1} on base {current}",
        )
    _add_version(story, index, event, fields)


def _add_version(story: Story, index: int, event: dict, fields: dict | None) -> None:
    addressee = fields["addressee"] if fields else None
    _check_version_hash(index, event, fields)
    story.versions[event["version"]] = event["version_hash"]
    if addressee is not None:
        story.addressees[event["version"]] = addressee


def _letter_circulated(story: Story, index: int, event: dict, fields: dict | None) -> None:
    if fields is not None and len(fields["invitees"]) != event["invitees"]:
        _fail(index, f"circulated to {event['invitees']} invitees, the opening names {len(fields['invitees'])}")


def _no_rule(story: Story, index: int, event: dict, fields: dict | None) -> None:
    """Closing, publishing, abandoning and visibility changes carry nothing to check beyond
    the status they happen in (publication: delivered, so a delivery exists)."""


def _check_named_version(story: Story, index: int, event: dict) -> None:
    version, found = event["version"], event["version_hash"]
    if story.versions.get(version) != found:
        _fail(index, f"version {version}: expected hash {story.versions.get(version)}, found {found}")


def _check_late(story: Story, index: int, event: dict) -> None:
    """Late exactly after delivery: the lifecycle's late statuses, which only a delivery reaches."""
    expected = story.status in lifecycle.LATE
    if event["late"] != expected:
        _fail(index, f"late is {event['late']}, expected {expected} ({len(story.deliveries)} deliveries before)")


def _signature_signed(story: Story, index: int, event: dict, fields: dict | None) -> None:
    _check_named_version(story, index, event)
    _check_late(story, index, event)
    org = fields["org"] if fields else None
    replaced = event["replaces"]
    if replaced is not None:
        if replaced not in story.live:
            _fail(index, f"replaces index {replaced}, which is not a live signature of this letter")
        if None not in (org, story.live[replaced].org) and story.live[replaced].org != org:
            _fail(index, f"{org} replaces index {replaced}, a signature by {story.live[replaced].org}")
        _end_signature(story, replaced)
    if org is not None and org in story.live_orgs:
        _fail(index, f"{org} signs again while its signature is live, without replacing it")
    story.live[index] = Signature(event["version"], org)
    if org is not None:
        story.live_orgs[org] = index


def _end_signature(story: Story, index: int) -> None:
    """The live signature at ``index`` is replaced or withdrawn. An opened organisation has at
    most one live signature (_signature_signed refuses a second), so live_orgs names it; a
    lookup there, not a pass over every live signature, keeps a letter with thousands of
    signatories linear to check."""
    org = story.live.pop(index).org
    if org is not None:
        del story.live_orgs[org]


def _signature_withdrawn(story: Story, index: int, event: dict, fields: dict | None) -> None:
    _check_late(story, index, event)
    withdrawn = event["signature"]
    if withdrawn not in story.live:
        _fail(index, f"withdraws index {withdrawn}, which is not a live signature of this letter")
    org, owner = (fields["org"] if fields else None), story.live[withdrawn].org
    if None not in (org, owner) and org != owner:
        _fail(index, f"{org} withdraws index {withdrawn}, a signature by {owner}")
    _end_signature(story, withdrawn)


def _expected_delivery_lists(story: Story, event: dict) -> tuple[list[str], list[str]] | None:
    """(signatories, withdrawn) the delivery must list, or None when an opening is missing."""
    live = story.known_orgs_on(event["version"])
    earlier = story.delivered_orgs.get(event["version"], [])
    if live is None or (event["addendum_to"] is not None and event["version"] in story.unopened_deliveries):
        return None
    if event["addendum_to"] is None:
        return live, []
    return [org for org in live if org not in earlier], [org for org in earlier if org not in live]


def _check_delivery_opening(story: Story, index: int, event: dict, fields: dict) -> None:
    computed = delivery_hash(
        story.handle,
        event["version"],
        event["version_hash"],
        fields["signatories"],
        fields["withdrawn"],
        event["addendum_to"],
    )
    if computed != event["delivery"]:
        _fail(index, f"expected delivery hash {event['delivery']}, computed {computed} from the opening")
    if len(fields["signatories"]) != event["count"]:
        _fail(index, f"count is {event['count']}, the opening lists {len(fields['signatories'])} signatories")
    if story.penholder is not None and fields["penholder"] != story.penholder:
        _fail(index, f"delivered by {fields['penholder']}, expected the penholder {story.penholder}")
    expected = _expected_delivery_lists(story, event)
    if expected is not None and expected != (fields["signatories"], fields["withdrawn"]):
        _fail(
            index,
            f"expected signatories {expected[0]} and withdrawn {expected[1]}, "
            f"found {fields['signatories']} and {fields['withdrawn']}",
        )


def _letter_delivered(story: Story, index: int, event: dict, fields: dict | None) -> None:
    _check_named_version(story, index, event)
    if event["delivery"] in story.deliveries:
        _fail(index, f"delivery {event['delivery']} was already delivered")
    if event["addendum_to"] is None and event["count"] == 0:
        _fail(index, f"a delivery of version {event['version']} with no signatories (nobody had signed it)")
    if event["addendum_to"] is None and event["count"] != len(story.live_on(event["version"])):
        _fail(
            index,
            f"count is {event['count']}, expected {len(story.live_on(event['version']))} "
            f"live signatures on version {event['version']}",
        )
    if event["addendum_to"] is not None and event["addendum_to"] not in story.deliveries:
        _fail(index, f"addendum to {event['addendum_to']}, which is not an earlier delivery of this letter")
    if fields is not None:
        _check_delivery_opening(story, index, event, fields)
        _record_delivered_orgs(story, event, fields)
    else:
        story.unopened_deliveries.add(event["version"])  # later addenda cannot be checked by name
    story.deliveries[event["delivery"]] = Delivery(event["version"], event["count"], event["addendum_to"])


def _record_delivered_orgs(story: Story, event: dict, fields: dict) -> None:
    version = event["version"]
    if event["addendum_to"] is None:
        story.delivered_orgs[version] = list(fields["signatories"])
        story.unopened_deliveries.discard(version)  # a full delivery lists everyone afresh
    else:
        kept = [org for org in story.delivered_orgs.get(version, []) if org not in fields["withdrawn"]]
        story.delivered_orgs[version] = kept + list(fields["signatories"])


def _delivery_acknowledged(story: Story, index: int, event: dict, fields: dict | None) -> None:
    delivery = story.deliveries.get(event["delivery"])
    if delivery is None:
        _fail(index, f"acknowledges {event['delivery']}, which is not an earlier delivery of this letter")
    addressee = story.addressees.get(delivery.version)
    if fields is not None and addressee is not None and fields["org"] != addressee:
        _fail(index, f"acknowledged by {fields['org']}, expected the addressee {addressee}")
    delivery.acknowledged = True


_RULES = {
    LETTER_CREATED: _letter_created,
    VERSION_CREATED: _version_created,
    LETTER_CIRCULATED: _letter_circulated,
    LETTER_VISIBILITY: _no_rule,
    SIGNATURE_SIGNED: _signature_signed,
    SIGNATURE_WITHDRAWN: _signature_withdrawn,
    LETTER_CLOSED: _no_rule,
    LETTER_DELIVERED: _letter_delivered,
    DELIVERY_ACKNOWLEDGED: _delivery_acknowledged,
    LETTER_PUBLISHED: _no_rule,
    LETTER_ABANDONED: _no_rule,
}


def facts(story: Story) -> dict:
    """What a reader learns from a verified story: everything as of its last event (whether
    events follow it is for the caller to say, see ledger/verify.py)."""
    if story.last_event is None:
        raise ValueError("a story of no event has no facts")
    index, last = story.last_event
    learnt = {
        "handle": story.handle,
        "status_at_last_event": story.status,
        "last_event": {"index": index, "seq": last["seq"], "type": last["type"], "time": last["time"]},
        "versions": [{"version": v, "hash": h, "signatures": len(story.live_on(v))} for v, h in story.versions.items()],
        "deliveries": [
            {
                "delivery": d,
                "version": x.version,
                "count": x.count,
                "addendum_to": x.addendum_to,
                "acknowledged": x.acknowledged,
            }
            for d, x in story.deliveries.items()
        ],
        "acknowledged": any(x.acknowledged for x in story.deliveries.values()),
    }
    names = _names(story)
    if names:
        learnt["names"] = names
    return learnt


def _names(story: Story) -> dict:
    names: dict[str, Any] = {}
    if story.penholder is not None:
        names["penholder"] = story.penholder
    if story.addressees:
        names["addressee"] = story.addressees[max(story.addressees)]
    signed = {str(v): story.known_orgs_on(v) for v in story.versions if story.live_on(v)}
    if signed and None not in signed.values():
        names["signatories"] = signed
    return names
