"""Step 5 of the offline verifier (``ledger.verify``): each opened statement is signed by its
organisation's key, as the bundle's keys show it registered most recently before the event."""

from .errors import MalformedBundle, SignatureError
from .events import ORG_REGISTERED
from .statements import statement_for_event, verify_event_statement

SIGNED_TYPES = ("signature.signed", "signature.withdrawn", "letter.delivered", "delivery.acknowledged")


def check_signatures(events: list[tuple[int, dict]], opened: dict[int, dict], keys: list[tuple[int, dict]]) -> int:
    """Step 5: each opened statement is signed by its organisation's key as registered
    most recently before the event; returns how many were checked."""
    registrations = _registrations(keys)
    checked = 0
    for index, event in events:
        if event["type"] in SIGNED_TYPES and index in opened:
            statement = statement_for_event(event, opened[index])  # both checked in steps 3 and 4
            key = _key_before(registrations, statement["org"], index)
            verify_event_statement(key, statement, opened[index]["signature"])
            checked += 1
    return checked


def _registrations(keys: list[tuple[int, dict]]) -> dict[str, list[tuple[int, str]]]:
    """Each organisation's ``(log index, key)`` registrations in the bundle's keys."""
    by_org: dict[str, list[tuple[int, str]]] = {}
    for index, event in keys:
        if event["type"] != ORG_REGISTERED:
            raise MalformedBundle(f"keys: index {index} is a {event['type']} event, not {ORG_REGISTERED}")
        by_org.setdefault(event["org"], []).append((index, event["key"]))
    for registered in by_org.values():
        registered.sort()
    return by_org


def _key_before(registrations: dict[str, list[tuple[int, str]]], org: str, index: int) -> str:
    """The key of ``org``'s latest registration before ``index`` (registrations are sorted)."""
    key = None
    for at, registered_key in registrations.get(org, ()):
        if at >= index:
            break
        key = registered_key
    if key is None:
        raise SignatureError(f"index {index}: no {ORG_REGISTERED} of {org!r} before it in the bundle's keys")
    return key
