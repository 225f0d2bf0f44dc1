"""The verifier's shortcuts decide exactly as the plain code they stand in for: all entries'
JSON read in one call (ledger.verify.decode_events) against parse_event entry by entry,
statements written from templates against the JSON encoder, statements checked through
libsodium against nacl's VerifyKey, a right leaf's inclusion taken from its left sibling's
against a fresh check, and live signatures looked up by organisation against a plain pass."""

import gc
import hashlib
import json

import nacl.exceptions
import nacl.signing
import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import events as ev
from ledger import statements, story
from ledger.bundle import LoggedEntry
from ledger.canonical import _plain, plain_json
from ledger.encoding import b64decode, b64encode
from ledger.errors import InclusionError, MalformedBundle, SignatureError, StoryError
from ledger.merkle import InclusionChecker, leaf_hash, verify_inclusion
from ledger.verify import _decode_event, decode_events, verify_bundle

from make_fixtures import good_bundle
from reference_tree import ReferenceTree

MANY = settings(max_examples=400, deadline=None)

GOOD_ENTRIES = [b64decode(item["leaf"]) for item in good_bundle()["entries"]]

# Entries that are not one canonical event, among them some that make other JSON values when
# joined with their neighbours by commas (two objects in one entry, or one object split in two).
ODD_ENTRIES = [
    b'{"a":1},{"b":2}',
    b'{"c":3',
    b'"d":4}',
    b"1",
    b"[]",
    b'"x"',
    b"null",
    b"",
    b" ",
    b"{}",
    b'{"type":1}',
    b"\xff",
    b"\xc3",
    b"\xa9",
    b"]",
    b"[",
    b",",
    b"[[1]",
    b"1]",
    b'{"a":1}]',
    b"[" * 3000 + b"]" * 3000,
]


def _altered(entry: bytes, how: str) -> bytes:
    event = json.loads(entry)
    if how == "spaced":
        return json.dumps(event, sort_keys=True).encode()
    if how == "leading space":
        return b" " + entry
    if how == "unsorted":
        return json.dumps(dict(reversed(event.items())), separators=(",", ":")).encode()
    if how == "ascii":
        return json.dumps(event, sort_keys=True, separators=(",", ":")).encode()
    if how == "bad seq":
        return entry.replace(b'"seq":', b'"seq":-', 1)
    return entry


entries_strategy = st.lists(
    st.one_of(
        st.sampled_from(GOOD_ENTRIES),
        st.sampled_from(ODD_ENTRIES),
        st.builds(
            _altered,
            st.sampled_from(GOOD_ENTRIES),
            st.sampled_from(["spaced", "leading space", "unsorted", "ascii", "bad seq", "same"]),
        ),
        st.binary(max_size=12),
    ),
    min_size=1,
    max_size=8,
)


def _outcome(decode, items):
    try:
        return decode(items)
    except MalformedBundle as error:
        return ("MalformedBundle", str(error))


def _one_by_one(items):
    return [_decode_event(item) for item in items]


@MANY
@given(entries_strategy)
def test_events_read_together_are_those_read_one_by_one(entries):
    items = [LoggedEntry(index, entry, []) for index, entry in enumerate(entries)]
    assert _outcome(decode_events, items) == _outcome(_one_by_one, items)


def test_a_good_letter_is_read_together():
    items = [LoggedEntry(index, entry, []) for index, entry in enumerate(GOOD_ENTRIES)]
    assert decode_events(items) == [ev.parse_event(entry) for entry in GOOD_ENTRIES]


def test_two_events_in_one_entry_are_refused_as_one_by_one():
    first, second = GOOD_ENTRIES[:2]
    items = [LoggedEntry(0, first + b"," + second, []), LoggedEntry(1, GOOD_ENTRIES[2], [])]
    assert _outcome(decode_events, items) == _outcome(_one_by_one, items)
    assert _outcome(decode_events, items)[0] == "MalformedBundle"


# --- organisation signatures through nacl.bindings -----------------------------------------

SIGNING_KEY = nacl.signing.SigningKey(hashlib.sha256(b"shortcut test key").digest())
OTHER_KEY = nacl.signing.SigningKey(hashlib.sha256(b"another test key").digest())
STATEMENT = statements.sign_action("lt-x", "fra", "2026-03-01T09:00:00.000001Z", 1, "ab" * 32)


def _flip(data: bytes, bit: int) -> bytes:
    bit %= len(data) * 8
    return data[: bit // 8] + bytes([data[bit // 8] ^ (1 << bit % 8)]) + data[bit // 8 + 1 :]


def _with_verify_key(key_b64, statement, signature_b64) -> bool:
    """The plain definition: nacl's VerifyKey over the statement's bytes."""
    try:
        nacl.signing.VerifyKey(b64decode(key_b64)).verify(
            statements.statement_bytes(statement), b64decode(signature_b64)
        )
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        return False
    return True


def _ours_verifies(key_b64, statement, signature_b64) -> bool:
    try:
        statements.verify_statement(key_b64, statement, signature_b64)
    except SignatureError:
        return False
    return True


@MANY
@given(
    signer=st.sampled_from([SIGNING_KEY, OTHER_KEY]),
    bit=st.integers(0, 600),
    tamper=st.sampled_from(
        ["none", "signature", "key", "statement", "short signature", "long signature", "short key", "not base64"]
    ),
)
def test_statements_verify_as_with_nacl_verify_key(signer, bit, tamper):
    key = bytes(SIGNING_KEY.verify_key)
    signature = signer.sign(statements.statement_bytes(STATEMENT)).signature
    statement = dict(STATEMENT)
    if tamper == "signature":
        signature = _flip(signature, bit)
    elif tamper == "key":
        key = _flip(key, bit)
    elif tamper == "statement":
        statement["version"] = bit
    elif tamper == "short signature":
        signature = signature[: bit % 64]
    elif tamper == "long signature":
        signature += bytes(bit % 5 + 1)
    elif tamper == "short key":
        key = key[: bit % 32]
    key_b64, signature_b64 = b64encode(key), b64encode(signature)
    if tamper == "not base64":
        signature_b64 = signature_b64[:-2] + "!"
    ours = _ours_verifies(key_b64, statement, signature_b64)
    assert ours == _with_verify_key(key_b64, statement, signature_b64)
    if tamper == "none":
        assert ours == (signer is SIGNING_KEY)


# --- a right leaf checked just after its left sibling ---------------------------------------

TREE_SIZE = 77  # odd, so the last leaf has no sibling
TREE_LEAVES = [leaf_hash(i.to_bytes(4, "big")) for i in range(TREE_SIZE)]
TREE = ReferenceTree(TREE_LEAVES)
TREE_ROOT = TREE.root(TREE_SIZE)


def _passes(check, leaf, index, proof) -> bool:
    try:
        check(leaf, index, proof)
    except InclusionError:
        return False
    return True


def _lie(leaf, index, proof, kind, step):
    proof = list(proof)
    if kind == "flip first":
        proof[0] = bytes([proof[0][0] ^ 1]) + proof[0][1:]
    elif kind == "flip later" and len(proof) > 1:
        at = 1 + step % (len(proof) - 1)
        proof[at] = bytes([proof[at][0] ^ 1]) + proof[at][1:]
    elif kind == "own leaf first":
        proof[0] = leaf
    elif kind == "swap leaf":
        leaf = TREE_LEAVES[(index + 1 + step) % TREE_SIZE]
    elif kind == "drop":
        del proof[step % len(proof)]
    elif kind == "extend":
        proof.append(TREE_LEAVES[0])
    elif kind == "first as bytearray":
        proof[0] = bytearray(proof[0])
    elif kind == "short first":
        proof[0] = proof[0][:31]
    elif kind == "other index":
        index = (index + 2) % TREE_SIZE
    return leaf, index, proof


@MANY
@given(
    start=st.integers(0, TREE_SIZE - 1),
    length=st.integers(1, 12),
    liar=st.integers(0, 11),
    kind=st.sampled_from(
        [
            "flip first",
            "flip later",
            "own leaf first",
            "swap leaf",
            "drop",
            "extend",
            "first as bytearray",
            "short first",
            "other index",
            "honest",
        ]
    ),
    step=st.integers(0, 20),
)
def test_a_run_of_neighbours_is_decided_as_fresh_checks_would(start, length, liar, kind, step):
    checker = InclusionChecker(TREE_SIZE, TREE_ROOT)
    for position, index in enumerate(range(start, min(start + length, TREE_SIZE))):
        leaf, proof = TREE_LEAVES[index], TREE.inclusion(index, TREE_SIZE)
        if position == liar:
            leaf, index, proof = _lie(leaf, index, proof, kind, step)
        fresh = _passes(lambda lf, i, p: verify_inclusion(lf, i, TREE_SIZE, p, TREE_ROOT), leaf, index, proof)
        assert _passes(checker.verify, leaf, index, proof) == fresh


# --- the cyclic collector is paused only while a bundle is checked ---------------------------


def test_verification_leaves_the_collector_as_it_found_it():
    good = good_bundle()
    broken = json.loads(json.dumps(good))
    broken["entries"][1]["proof"][0] = broken["entries"][1]["proof"][1]
    assert gc.isenabled()
    verify_bundle(good)
    assert gc.isenabled()
    with pytest.raises(InclusionError):
        verify_bundle(broken)
    assert gc.isenabled()
    gc.disable()
    try:
        verify_bundle(good)
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- live signatures looked up by organisation ----------------------------------------------

VERSION_HASH = "ab" * 32


def _naive_live(steps):
    """The signing rules read plainly: a pass over every live signature for each new one."""
    live = {}
    for index, (kind, org, target) in steps:
        if kind == "sign":
            if target is not None:
                if target not in live or (None not in (org, live[target]) and live[target] != org):
                    return ("refused at", index)
                del live[target]
            if org is not None and org in live.values():
                return ("refused at", index)
            live[index] = org
        else:
            if target not in live or (None not in (org, live[target]) and live[target] != org):
                return ("refused at", index)
            del live[target]
    return ("live", live)


def _story_live(steps):
    events = [
        (-1, {"type": "letter.created", "version": 1, "version_hash": VERSION_HASH}),
        (0, {"type": "letter.circulated", "invitees": 3, "deadline": None}),
    ]  # signable from here
    openings = {}
    for index, (kind, org, target) in steps:
        if kind == "sign":
            event = {
                "type": "signature.signed",
                "version": 1,
                "version_hash": VERSION_HASH,
                "late": False,
                "replaces": target,
            }
        else:
            event = {"type": "signature.withdrawn", "signature": target, "late": False}
        events.append((index, event))
        if org is not None:
            openings[index] = {"org": org}
    try:
        told = story.tell("lt-x", events, openings)
    except StoryError as error:
        return ("refused at", int(str(error).split(":")[0].removeprefix("index ")))
    return ("live", {index: signature.org for index, signature in told.live.items()})


@MANY
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["sign", "sign", "withdraw"]),
            st.sampled_from(["deu", "ita", "esp", None]),
            st.one_of(st.none(), st.integers(1, 12)),
        ),
        max_size=12,
    )
)
def test_live_signatures_follow_the_plain_rules(moves):
    steps = list(enumerate(moves, start=1))
    assert _story_live(steps) == _naive_live(steps)


# --- statements written from templates ------------------------------------------------------

tricky_text = st.one_of(
    st.text(max_size=10),
    st.text(
        alphabet=st.sampled_from(
            ["a", '"', "\\", "/", "\b", "\n", "\x00", "\x1f", "\x7f", "é", "\u2028", "\ud800", "\U0001f600", "€"]
        ),
        max_size=6,
    ),
)
any_number = st.one_of(
    st.integers(-10, 10**6),
    st.sampled_from([2**53 - 1, 2**53, -(2**53) + 1, -(2**53), 0]),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    tricky_text,
    st.none(),
)
any_string = st.one_of(tricky_text, tricky_text, any_number)


def _built(action, handle, org, time, number, digest):
    return {
        "sign": lambda: statements.sign_action(handle, org, time, number, digest),
        "withdraw": lambda: statements.withdraw_action(handle, org, time, number),
        "deliver": lambda: statements.deliver_action(handle, org, time, digest),
        "acknowledge": lambda: statements.acknowledge_action(handle, org, time, digest),
    }[action]()


def _encoded(write, statement):
    try:
        return write(statement)
    except (ValueError, TypeError) as error:  # a lone surrogate (UnicodeEncodeError), a float
        return type(error)


CHANGES = st.sampled_from(["none", "drop a field", "add a field", "action", "odd action"])
ACTIONS = st.sampled_from(["sign", "withdraw", "deliver", "acknowledge"])


@MANY
@given(
    action=ACTIONS,
    handle=tricky_text,
    org=tricky_text,
    time=tricky_text,
    number=st.one_of(st.integers(-(2**60), 2**60), st.booleans()),
    digest=tricky_text,
    change=CHANGES,
)
def test_statements_of_strings_and_integers_from_templates_are_plain_json(
    action, handle, org, time, number, digest, change
):
    _check_template(action, handle, org, time, number, digest, change)


@MANY
@given(
    action=ACTIONS,
    handle=any_string,
    org=any_string,
    time=any_string,
    number=any_number,
    digest=any_string,
    change=CHANGES,
)
def test_statements_of_any_values_from_templates_are_plain_json(action, handle, org, time, number, digest, change):
    _check_template(action, handle, org, time, number, digest, change)


def _check_template(action, handle, org, time, number, digest, change):
    statement = _built(action, handle, org, time, number, digest)
    if change == "drop a field":
        del statement[sorted(statement)[-1]]
    elif change == "add a field":
        statement["zz"] = 1
    elif change == "action":
        statement["action"] = {"sign": "withdraw", "withdraw": "deliver"}.get(action, "sign")
    elif change == "odd action":
        statement["action"] = ["sign"]
    assert _encoded(statements._statement_json, statement) == _encoded(plain_json, statement)
    if _plain(statement) and isinstance(_encoded(plain_json, statement), bytes):
        assert statements._statement_json(statement) == rfc8785.dumps(statement)
