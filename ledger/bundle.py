"""Verification bundles (docs/record.md, "Verification bundle"): building and shape checks."""

import json
from collections.abc import Set
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from .encoding import b64decode, b64encode
from .errors import MalformedBundle
from .merkle import HASH_SIZE

BUNDLE_FORMAT = "undersigned-bundle/v1"


class LoggedEntry(NamedTuple):
    """An entry with its inclusion proof (a named tuple: a bundle holds thousands, and a
    frozen dataclass takes three times as long to build)."""

    index: int  # type: ignore[assignment]  # shadows tuple.index(), which no caller uses
    entry: bytes
    proof: list[bytes]


@dataclass(frozen=True)
class Consistency:
    old_size: int
    proof: list[bytes]


@dataclass(frozen=True)
class Bundle:
    origin: str
    vkey: str
    checkpoint: str
    entries: list[LoggedEntry]
    openings: list[dict]
    keys: list[LoggedEntry]
    consistency: Consistency | None
    head: str | None = None  # the log's signed head of the letter (ledger/head.py); older bundles lack it


def _logged_json(index: int, entry: bytes, proof: list[bytes]) -> dict:
    return {"index": index, "leaf": b64encode(entry), "proof": [b64encode(h) for h in proof]}


def build_bundle(
    origin: str,
    vkey: str,
    checkpoint_note: str,
    entries: list[tuple[int, bytes, list[bytes]]],
    openings: list[dict],
    keys: list[tuple[int, bytes, list[bytes]]],
    consistency: tuple[int, list[bytes]] | None = None,
    head: str | None = None,
) -> dict:
    """The bundle's JSON object; ``entries`` and ``keys`` are ``(index, entry bytes, proof)``,
    ``consistency`` is ``(old_size, proof)``, ``head`` the letter's signed head note."""
    bundle = {
        "format": BUNDLE_FORMAT,
        "log": {"origin": origin, "vkey": vkey},
        "checkpoint": checkpoint_note,
        "entries": [_logged_json(*item) for item in entries],
        "openings": openings,
        "keys": [_logged_json(*item) for item in keys],
    }
    if head is not None:
        bundle["head"] = head
    if consistency is not None:
        old_size, proof = consistency
        bundle["consistency"] = {"old_size": old_size, "proof": [b64encode(h) for h in proof]}
    return bundle


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise MalformedBundle(message)


def _is_index(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _object(value: Any, where: str, required: Set[str], optional: Set[str] = frozenset()) -> dict:
    _require(isinstance(value, dict), f"{where} is not an object")
    missing, unknown = required - set(value), set(value) - required - optional
    _require(not missing, f"{where} lacks {sorted(missing)}")
    _require(not unknown, f"{where} has unknown fields {sorted(unknown)}")
    return value


def _proof(value: Any, decoded: dict[str, bytes]) -> list[bytes]:
    """The proof's hashes; raises ValueError saying what is wrong (its caller says where).
    ``decoded`` holds the hashes already decoded for this bundle, since neighbouring entries'
    proofs share their upper hashes (looked up all at once by ``map``)."""
    if not isinstance(value, list):
        raise ValueError("is not a list")
    try:
        hashes: list[bytes | None] = list(map(decoded.get, value))
    except TypeError:  # an unhashable item, so not a base64 string: decoding it below fails
        hashes = [None] * len(value)
    for position, digest in enumerate(hashes):
        if digest is None:
            item = value[position]
            try:
                digest = b64decode(item)
            except ValueError as error:
                raise ValueError(f"[{position}]: {error}") from None
            if len(digest) != HASH_SIZE:
                raise ValueError(f"has a hash that is not {HASH_SIZE} bytes")
            hashes[position] = decoded[item] = digest
    return cast("list[bytes]", hashes)  # every None was replaced just above


_LOGGED_FIELDS = {"index", "leaf", "proof"}


def _logged_entries(value: Any, where: str) -> list[LoggedEntry]:
    _require(isinstance(value, list), f"{where} is not a list")
    items: list[LoggedEntry] = []
    decoded: dict[str, bytes] = {}
    # Locations in messages are formatted only on failure: this loop runs once per entry.
    for position, item in enumerate(value):
        if not (isinstance(item, dict) and item.keys() == _LOGGED_FIELDS):
            _object(item, f"{where}[{position}]", _LOGGED_FIELDS)  # raises, naming what is missing or unknown
        if not _is_index(item["index"]):
            raise MalformedBundle(f"{where}[{position}].index is not a log index")
        try:
            leaf = b64decode(item["leaf"])
        except ValueError as error:
            raise MalformedBundle(f"{where}[{position}].leaf: {error}") from None
        try:
            proof = _proof(item["proof"], decoded)
        except ValueError as error:
            raise MalformedBundle(f"{where}[{position}].proof: {error}") from None
        items.append(LoggedEntry(item["index"], leaf, proof))
    indexes = [item.index for item in items]
    # Order is not a shape question: the chain step reports events out of log order.
    _require(len(indexes) == len(set(indexes)), f"{where} repeat a log index")
    return items


_OPENING_FIELDS = {"index", "salt", "fields"}


def _openings(value: Any, entry_indexes: set[int]) -> list[dict]:
    _require(isinstance(value, list), "openings is not a list")
    seen = set()
    # Plain ifs rather than _require in the loops, so no message is formatted unless it is needed.
    for position, item in enumerate(value):
        if not (isinstance(item, dict) and item.keys() == _OPENING_FIELDS):
            _object(item, f"openings[{position}]", _OPENING_FIELDS)  # raises
        index = item["index"]
        if not _is_index(index):
            raise MalformedBundle(f"openings[{position}].index is not a log index")
        if index not in entry_indexes:
            raise MalformedBundle(f"openings[{position}] opens index {index}, which is not in entries")
        if index in seen:
            raise MalformedBundle(f"openings[{position}] opens index {index} twice")
        if not isinstance(item["salt"], str):
            raise MalformedBundle(f"openings[{position}].salt is not a string")
        if not isinstance(item["fields"], dict):
            raise MalformedBundle(f"openings[{position}].fields is not an object")
        seen.add(index)
    return value


def _consistency(value: Any) -> Consistency | None:
    if value is None:
        return None
    _object(value, "consistency", {"old_size", "proof"})
    _require(_is_index(value["old_size"]), "consistency.old_size is not a tree size")
    try:
        return Consistency(value["old_size"], _proof(value["proof"], {}))
    except ValueError as error:
        raise MalformedBundle(f"consistency.proof: {error}") from None


def _parse_json(data: str | bytes | dict) -> dict:
    if isinstance(data, dict):
        return data
    try:
        return json.loads(data)
    except (ValueError, TypeError) as error:
        raise MalformedBundle(f"bundle is not JSON: {error}") from None
    except RecursionError:
        raise MalformedBundle("bundle is not a bundle: its JSON is nested too deeply") from None


def load_bundle(data: str | bytes | dict) -> Bundle:
    """A bundle from its JSON (text, bytes or parsed); raises MalformedBundle on any shape error."""
    raw = _object(
        _parse_json(data),
        "bundle",
        {"format", "log", "checkpoint", "entries", "openings", "keys"},
        {"consistency", "head"},
    )
    _require(raw["format"] == BUNDLE_FORMAT, f"format is {raw['format']!r}, expected {BUNDLE_FORMAT!r}")
    log = _object(raw["log"], "log", {"origin", "vkey"})
    _require(isinstance(log["origin"], str) and isinstance(log["vkey"], str), "log origin and vkey must be strings")
    _require(isinstance(raw["checkpoint"], str), "checkpoint is not a string")
    _require(isinstance(raw.get("head", ""), str), "head is not a string (a signed note)")
    entries = _logged_entries(raw["entries"], "entries")
    _require(bool(entries), "entries is empty")
    return Bundle(
        origin=log["origin"],
        vkey=log["vkey"],
        checkpoint=raw["checkpoint"],
        entries=entries,
        openings=_openings(raw["openings"], {item.index for item in entries}),
        keys=_logged_entries(raw["keys"], "keys"),
        consistency=_consistency(raw.get("consistency")),
        head=raw.get("head"),
    )
