"""Build letter histories with ledger functions alone, and the regression bundles in
tests/fixtures/bundles/ from them.

Everything is deterministic (keys and salts derive from fixed names, times from a counter),
so regenerating gives byte-identical files:  PYTHONPATH=. python tests/ledger/make_fixtures.py
"""

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import nacl.signing

from ledger import events as ev
from ledger.bundle import build_bundle
from ledger.canonical import version_hash
from ledger.checkpoint import format_checkpoint
from ledger.encoding import b64decode, b64encode
from ledger.head import Head, format_head
from ledger.merkle import leaf_hash
from ledger.note import Signer
from ledger.statements import (
    acknowledge_action,
    deliver_action,
    delivery_hash,
    sign_action,
    sign_statement,
    withdraw_action,
)
from ledger.tiles import MemoryTileStore, consistency_proof, inclusion_proof, integrate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bundles"
ORIGIN = "undersigned.example/log"


def fixed_seed(name: str) -> bytes:
    return hashlib.sha256(b"undersigned fixture key " + name.encode()).digest()


def log_signer(name: str = ORIGIN, seed_name: str = "log") -> Signer:
    return Signer(name, nacl.signing.SigningKey(fixed_seed(seed_name)))


@dataclass
class Org:
    slug: str
    seed: bytes

    @property
    def key(self) -> str:
        return b64encode(bytes(nacl.signing.SigningKey(self.seed).verify_key))


@dataclass
class FixtureLog:
    """A log kept in a MemoryTileStore, integrated whenever a checkpoint is taken."""

    signer: Signer
    store: MemoryTileStore = field(default_factory=MemoryTileStore)
    entries: list[bytes] = field(default_factory=list)
    size: int = 0
    ticks: int = 0
    registrations: dict[str, int] = field(default_factory=dict)

    def next_time(self) -> str:
        self.ticks += 1
        minutes, seconds = divmod(self.ticks, 60)
        return f"2026-03-01T09:{minutes:02d}:{seconds:02d}.{self.ticks:06d}Z"

    def next_salt(self) -> bytes:
        return hashlib.sha256(f"salt {self.ticks} {len(self.entries)}".encode()).digest()

    def append(self, entry: bytes) -> int:
        self.entries.append(entry)
        return len(self.entries) - 1

    def checkpoint(self) -> str:
        integration = integrate(self.store, self.size, [leaf_hash(e) for e in self.entries[self.size :]])
        self.store.write_tiles(integration.tiles)
        self.size = integration.size
        return self.signer.sign_note(format_checkpoint(self.signer.name, self.size, integration.root))

    def logged(self, index: int) -> tuple[int, bytes, list[bytes]]:
        return index, self.entries[index], inclusion_proof(self.store, index, self.size)

    def register(self, org: Org, name: str, kind: str = "state", country: str | None = None) -> None:
        public = {"org": org.slug, "name": name, "kind": kind, "country": country, "key": org.key}
        entry, _ = ev.make_event(ev.ORG_REGISTERED, self.next_time(), public)
        self.registrations[org.slug] = self.append(entry)


@dataclass
class Letter:
    """One letter's events, recorded the way the server's actions would."""

    log: FixtureLog
    handle: str
    penholder: Org
    indexes: list[int] = field(default_factory=list)
    openings: list[dict] = field(default_factory=list)
    versions: dict[int, str] = field(default_factory=dict)
    deliveries: int = 0

    def record(self, kind: str, time: str, public: dict, private: dict | None = None) -> int:
        prev = leaf_hash(self.log.entries[self.indexes[-1]]).hex() if self.indexes else None
        entry, opening = ev.make_event(
            kind, time, public, private, self.handle, len(self.indexes), prev, salt=self.log.next_salt()
        )
        index = self.log.append(entry)
        self.indexes.append(index)
        if opening is not None:
            self.openings.append({"index": index, **opening})
        return index

    def create(self, addressee: str, title: str, body: str) -> int:
        self.versions[1] = version_hash(title, addressee, body)
        private = {
            "penholder": self.penholder.slug,
            "addressee": addressee,
            "title": title,
            "body": body,
            "author": "alice",
            "note": "",
        }
        return self.record(
            ev.LETTER_CREATED,
            self.log.next_time(),
            {"version": 1, "version_hash": self.versions[1], "language": "en"},
            private,
        )

    def new_version(self, addressee: str, title: str, body: str) -> int:
        number = max(self.versions) + 1
        self.versions[number] = version_hash(title, addressee, body)
        private = {"addressee": addressee, "title": title, "body": body, "author": "alice", "note": "tighter"}
        public = {"version": number, "version_hash": self.versions[number], "base_version": number - 1}
        return self.record(ev.VERSION_CREATED, self.log.next_time(), public, private)

    def circulate(self, invitees: list[str]) -> int:
        return self.record(
            ev.LETTER_CIRCULATED,
            self.log.next_time(),
            {"invitees": len(invitees), "deadline": None},
            {"invitees": invitees, "message": "Please sign"},
        )

    def set_visibility(self, names: str) -> int:
        return self.record(ev.LETTER_VISIBILITY, self.log.next_time(), {"names": names})

    def sign(self, org: Org, version: int, replaces: int | None = None, key_seed: bytes | None = None) -> int:
        time = self.log.next_time()
        statement = sign_action(self.handle, org.slug, time, version, self.versions[version])
        signature = sign_statement(key_seed or org.seed, statement)
        public = {
            "version": version,
            "version_hash": self.versions[version],
            "late": self.deliveries > 0,
            "replaces": replaces,
        }
        return self.record(
            ev.SIGNATURE_SIGNED, time, public, {"org": org.slug, "signer": f"{org.slug}-signer", "signature": signature}
        )

    def withdraw(self, org: Org, signature_index: int) -> int:
        time = self.log.next_time()
        signature = sign_statement(org.seed, withdraw_action(self.handle, org.slug, time, signature_index))
        return self.record(
            ev.SIGNATURE_WITHDRAWN,
            time,
            {"signature": signature_index, "late": self.deliveries > 0},
            {"org": org.slug, "signer": f"{org.slug}-signer", "reason": "instructions", "signature": signature},
        )

    def close(self) -> int:
        return self.record(ev.LETTER_CLOSED, self.log.next_time(), {})

    def deliver(
        self,
        version: int,
        signatories: list[str],
        withdrawn: list[str] = (),
        addendum_to: str | None = None,
        listed: list[str] | None = None,
        count: int | None = None,
    ) -> tuple[int, str]:
        """``listed``/``count`` let a test record a delivery whose opening or count lies."""
        time = self.log.next_time()
        delivery = delivery_hash(
            self.handle, version, self.versions[version], signatories, list(withdrawn), addendum_to
        )
        signature = sign_statement(
            self.penholder.seed, deliver_action(self.handle, self.penholder.slug, time, delivery)
        )
        public = {
            "delivery": delivery,
            "version": version,
            "version_hash": self.versions[version],
            "count": len(signatories) if count is None else count,
            "addendum_to": addendum_to,
        }
        private = {
            "penholder": self.penholder.slug,
            "signatories": signatories if listed is None else listed,
            "withdrawn": list(withdrawn),
            "signature": signature,
        }
        self.deliveries += 1
        return self.record(ev.LETTER_DELIVERED, time, public, private), delivery

    def acknowledge(self, org: Org, delivery: str) -> int:
        time = self.log.next_time()
        signature = sign_statement(org.seed, acknowledge_action(self.handle, org.slug, time, delivery))
        return self.record(
            ev.DELIVERY_ACKNOWLEDGED,
            time,
            {"delivery": delivery},
            {"org": org.slug, "person": "registry clerk", "signature": signature},
        )

    def publish(self) -> int:
        return self.record(ev.LETTER_PUBLISHED, self.log.next_time(), {})

    def head(self, signer: Signer | None = None) -> str:
        """The log's signed head of this letter at the last checkpoint's size."""
        last = max(i for i in self.indexes if i < self.log.size)
        head = Head(ORIGIN, self.handle, self.log.size, last, self.indexes.index(last))
        return (signer or self.log.signer).sign_note(format_head(head))

    def bundle(self, checkpoint: str, consistency_from: int | None = None) -> dict:
        signing_orgs = {
            o["fields"].get("org") or o["fields"].get("penholder") for o in self.openings if "signature" in o["fields"]
        }
        keys = sorted(self.log.registrations[slug] for slug in signing_orgs)
        consistency = None
        if consistency_from is not None:
            consistency = (consistency_from, consistency_proof(self.log.store, consistency_from, self.log.size))
        return build_bundle(
            ORIGIN,
            self.log.signer.vkey,
            checkpoint,
            [self.log.logged(i) for i in self.indexes],
            self.openings,
            [self.log.logged(i) for i in keys],
            consistency,
            self.head(),
        )


ORGS = {slug: Org(slug, fixed_seed(slug)) for slug in ("fra", "deu", "ita", "esp", "ohchr", "watch")}
ADDRESSEE = "ohchr"


def realistic_history(tamper: str | None = None) -> tuple[FixtureLog, Letter, Letter]:
    """A letter through its whole life, with a second letter interleaved in the same log.
    ``tamper`` names one lie a misbehaving server tells (see fixtures())."""
    log = FixtureLog(log_signer())
    o = ORGS
    for slug, org in o.items():
        log.register(org, slug.upper(), "un_office" if slug == ADDRESSEE else "state")
    letter, other = Letter(log, "lt-7Qm2xKc9", o["fra"]), Letter(log, "lt-Zp4RvN81", o["deu"])
    letter.create(ADDRESSEE, "On freedom of assembly", "We, the undersigned,\r\nurge the Council.")
    other.create(ADDRESSEE, "Another letter", "Text.")
    other.circulate(["ita"])
    letter.new_version(ADDRESSEE, "On freedom of assembly", "We, the undersigned, urge the Council to act.")
    letter.set_visibility("invitees")
    if tamper == "delivered_while_draft":
        letter.deliver(2, [])  # the server delivers only a circulated, signed version
    if tamper == "signed_before_circulation":
        letter.sign(o["fra"], 2)  # the penholder signs its own draft, which the server refuses
    letter.circulate(["deu", "ita", "esp"])
    if tamper == "delivered_without_signatures":
        letter.deliver(2, [])
    other.sign(o["deu"], 1)
    deu = letter.sign(o["deu"], 2)
    ita = letter.sign(o["ita"], 2)
    letter.sign(o["esp"], 2, key_seed=o["watch"].seed if tamper == "forged_org_signature" else None)
    if tamper != "signed_before_circulation":
        letter.sign(o["fra"], 2)
    letter.withdraw(o["ita"], ita)
    letter.sign(o["deu"], 2, replaces=deu)  # deu re-confirms
    letter.close()
    # In the order of their live signatures (fra's came first when it signed its draft).
    signatories = ["fra", "esp", "deu"] if tamper == "signed_before_circulation" else ["esp", "fra", "deu"]
    _first, delivery = letter.deliver(
        2,
        signatories,
        listed=["esp", "fra"] if tamper == "delivery_hash_mismatch" else None,
        count=4 if tamper == "count_mismatch" else None,
    )
    letter.sign(o["ita"], 2)  # late
    letter.deliver(2, ["ita"], addendum_to=delivery)
    letter.acknowledge(o["watch"] if tamper == "ack_by_non_addressee" else o[ADDRESSEE], delivery)
    letter.publish()
    return log, letter, other


def good_bundle(tamper: str | None = None) -> dict:
    log, letter, _ = realistic_history(tamper)
    return letter.bundle(log.checkpoint())


def _flip_b64_bit(text: str, byte: int = 0) -> str:
    data = bytearray(b64decode(text))
    data[byte] ^= 0x01
    return b64encode(bytes(data))


def _position_of(bundle: dict, event_type: str) -> int:
    types = [json.loads(b64decode(e["leaf"]))["type"] for e in bundle["entries"]]
    return types.index(event_type)


def removed_event(bundle: dict) -> dict:
    position = _position_of(bundle, "signature.withdrawn")
    index = bundle["entries"].pop(position)["index"]
    bundle["openings"] = [o for o in bundle["openings"] if o["index"] != index]
    return bundle


def reordered_events(bundle: dict) -> dict:
    entries = bundle["entries"]
    entries[3], entries[4] = entries[4], entries[3]
    return bundle


def replayed_event() -> dict:
    log, letter, other = realistic_history()
    bundle = letter.bundle(log.checkpoint())
    position = _position_of(bundle, "signature.signed")
    stranger = other.indexes[2]  # the other letter's signature, with a valid inclusion proof
    index, entry, proof = log.logged(stranger)
    replaced = bundle["entries"][position]["index"]
    bundle["openings"] = [o for o in bundle["openings"] if o["index"] != replaced]
    bundle["entries"][position] = {"index": index, "leaf": b64encode(entry), "proof": [b64encode(h) for h in proof]}
    return bundle


def truncated(bundle: dict, first_removed: str) -> dict:
    """The bundle without its events from the first of type ``first_removed`` on: what a
    server hiding the end of a history would send. Every event left is genuine."""
    position = _position_of(bundle, first_removed)
    removed = {entry["index"] for entry in bundle["entries"][position:]}
    del bundle["entries"][position:]
    bundle["openings"] = [o for o in bundle["openings"] if o["index"] not in removed]
    return bundle


def changed_entry_bit(bundle: dict) -> dict:
    bundle["entries"][2]["leaf"] = _flip_b64_bit(bundle["entries"][2]["leaf"], 40)
    return bundle


def wrong_proof(bundle: dict) -> dict:
    bundle["entries"][5]["proof"][1] = _flip_b64_bit(bundle["entries"][5]["proof"][1])
    return bundle


def wrong_checkpoint_signature(bundle: dict) -> dict:
    text, _, line = bundle["checkpoint"][:-1].rpartition("\n")
    prefix, _, signature = line.rpartition(" ")
    bundle["checkpoint"] = f"{text}\n{prefix} {_flip_b64_bit(signature, 10)}\n"
    return bundle


def wrong_vkey_pin() -> dict:
    """A log run by an impostor with its own key: valid on its own, rejected against a pin."""
    log, letter, _ = realistic_history()
    log.signer = log_signer(ORIGIN, "impostor")
    return letter.bundle(log.checkpoint())


def bad_opening(bundle: dict) -> dict:
    opening = next(o for o in bundle["openings"] if "signer" in o["fields"])
    opening["fields"]["signer"] = "someone-else"
    return bundle


def without_head(bundle: dict) -> dict:
    """A bundle as made before heads were signed."""
    del bundle["head"]
    return bundle


def head_not_signed_by_the_log() -> dict:
    """A head signed by another key of the same name: anyone can write a head, only the log sign it."""
    log, letter, _ = realistic_history()
    bundle = letter.bundle(log.checkpoint())
    bundle["head"] = letter.head(log_signer(ORIGIN, "impostor"))
    return bundle


def head_of_an_earlier_tree() -> dict:
    """A genuine head, but about an earlier tree than the bundle's checkpoint: it says nothing
    of events between the two sizes."""
    log, letter, _ = realistic_history()
    log.checkpoint()
    earlier = letter.head()
    log.append(b'{"not": "an event of the letter"}')
    bundle = letter.bundle(log.checkpoint())
    bundle["head"] = earlier
    return bundle


# Histories cut short: every event left is genuine, and the log's signed head shows what is missing.
TRUNCATED = ("truncated_before_acknowledgement", "truncated_before_closing")


# name -> (bundle, expected exit code)
def fixtures() -> dict[str, tuple[dict, int]]:
    fresh = lambda: copy.deepcopy(good_bundle())  # noqa: E731 - each tamper gets its own copy
    return {
        "good": (good_bundle(), 0),
        "truncated_before_acknowledgement": (truncated(fresh(), "delivery.acknowledged"), 11),
        "truncated_before_closing": (truncated(fresh(), "letter.closed"), 11),
        "head_missing": (without_head(fresh()), 11),
        "head_not_signed_by_the_log": (head_not_signed_by_the_log(), 11),
        "head_of_an_earlier_tree": (head_of_an_earlier_tree(), 11),
        "removed_event": (removed_event(fresh()), 7),
        "reordered_events": (reordered_events(fresh()), 7),
        "replayed_event": (replayed_event(), 7),
        "changed_entry_bit": (changed_entry_bit(fresh()), 4),
        "wrong_proof": (wrong_proof(fresh()), 4),
        "wrong_checkpoint_signature": (wrong_checkpoint_signature(fresh()), 3),
        "wrong_vkey_pin": (wrong_vkey_pin(), 3),
        "bad_opening": (bad_opening(fresh()), 5),
        "forged_org_signature": (good_bundle("forged_org_signature"), 6),
        "delivery_hash_mismatch": (good_bundle("delivery_hash_mismatch"), 8),
        "ack_by_non_addressee": (good_bundle("ack_by_non_addressee"), 8),
        "count_mismatch": (good_bundle("count_mismatch"), 8),
        "signed_before_circulation": (good_bundle("signed_before_circulation"), 8),
        "delivered_while_draft": (good_bundle("delivered_while_draft"), 8),
        "delivered_without_signatures": (good_bundle("delivered_without_signatures"), 8),
    }


def fixture_text(bundle: dict) -> str:
    return json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"


def write_fixtures() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, (bundle, _) in fixtures().items():
        (FIXTURES / f"{name}.json").write_text(fixture_text(bundle), encoding="utf-8")
    expected = {name: code for name, (_, code) in fixtures().items()}
    (FIXTURES / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_fixtures()
