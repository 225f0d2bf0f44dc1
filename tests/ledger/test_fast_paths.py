"""The verifier's fast paths give exactly the answers of the plain definitions they replace:
JCS through the standard JSON encoder, strict base64 through binascii, and inclusion proofs
checked together against one tree."""

import base64
import binascii
import hashlib
import json

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import events as ev
from ledger.canonical import canonical_json
from ledger.encoding import b64decode, b64encode
from ledger.errors import InclusionError
from ledger.merkle import InclusionChecker, leaf_hash, verify_inclusion

from reference_tree import ReferenceTree

MANY = settings(max_examples=400, deadline=None)

# --- canonical JSON -------------------------------------------------------------------------

tricky_text = st.text(
    alphabet=st.sampled_from(
        [
            "a",
            "Z",
            '"',
            "\\",
            "/",
            "\b",
            "\f",
            "\n",
            "\r",
            "\t",
            "\x00",
            "\x1f",
            "\x7f",
            "é",
            "\u2028",
            "\u2029",
            "\ue000",
            "\uffff",
            "\U0001f600",
            "\U00010000",
            "€",
        ]
    ),
    max_size=8,
)
any_text = st.one_of(tricky_text, st.text(max_size=12))
integers = st.one_of(
    st.integers(-10, 10**6),
    st.integers(-(2**60), 2**60),
    st.sampled_from([2**53 - 1, 2**53, -(2**53) + 1, -(2**53), 0]),
)
scalars = st.one_of(st.none(), st.booleans(), integers, any_text, st.floats(allow_nan=False, allow_infinity=False))
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(any_text, inner, max_size=5)
    ),
    max_leaves=20,
)


def _reference(value):
    try:
        return rfc8785.dumps(value)
    except Exception as error:  # noqa: BLE001 - the exception type is what we compare
        return type(error)


def _ours(value):
    try:
        return canonical_json(value)
    except Exception as error:  # noqa: BLE001 - the exception type is what we compare
        return type(error)


@MANY
@given(json_values)
def test_canonical_json_is_byte_for_byte_rfc8785(value):
    assert _ours(value) == _reference(value)


@pytest.mark.parametrize(
    "value",
    [
        {"\ue000": 1, "\U0001f600": 2},  # code-point order and UTF-16 order differ
        {"b": "\ud800"},  # a lone surrogate has no UTF-8 form
        {"n": 2**53},  # beyond the exact range of a JSON number
        {"f": 1e21, "g": 0.1, "h": -0.0},
        {1: "non-string key"},
        ["\x00\x1f\x7f\u2028", True, False, None, -(2**53) + 1],
    ],
)
def test_canonical_json_edge_cases_match_rfc8785(value):
    assert _ours(value) == _reference(value)


def test_an_event_with_an_integer_beyond_json_is_refused_as_an_event_error():
    entry, _ = ev.make_event(ev.LETTER_CLOSED, "2026-03-01T09:00:00.000001Z", {}, handle="lt-x", seq=0)
    event = json.loads(entry)
    event["seq"] = 2**60
    huge = json.dumps(event, separators=(",", ":"), sort_keys=True).encode()
    with pytest.raises(ev.EventError, match="'seq' has an invalid value"):
        ev.parse_event(huge)


def test_an_unknown_type_of_any_json_type_is_an_event_error():
    with pytest.raises(ev.EventError, match="unknown event type"):
        ev.parse_event(b'{"type":["a"]}')


# --- strict base64 --------------------------------------------------------------------------


def _reference_b64(text):
    """The definition: standard padded base64 whose re-encoding is the text itself."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if base64.b64encode(data).decode("ascii") == text else None


def _ours_b64(text):
    try:
        return b64decode(text)
    except ValueError:
        return None


base64ish = st.text(alphabet=st.sampled_from(list("AQgw+/=Zz09 \n-_é")), max_size=12)


@MANY
@given(st.one_of(base64ish, st.binary(max_size=40).map(b64encode)))
def test_b64decode_accepts_exactly_the_canonical_spellings(text):
    assert _ours_b64(text) == _reference_b64(text)


@pytest.mark.parametrize("value", [b"QQ==", None, 5, ["QQ=="]])
def test_b64decode_refuses_what_is_not_a_string(value):
    with pytest.raises(ValueError):
        b64decode(value)


# --- inclusion proofs checked together ------------------------------------------------------

SIZE = 300
LEAVES = [leaf_hash(i.to_bytes(4, "big")) for i in range(SIZE)]
TREE = ReferenceTree(LEAVES)
ROOT = TREE.root(SIZE)


def _accepts(check, index, proof, leaf=None):
    try:
        check(LEAVES[index] if leaf is None else leaf, index, proof)
    except InclusionError:
        return False
    return True


def test_every_honest_proof_passes_one_shared_checker():
    checker = InclusionChecker(SIZE, ROOT)
    for index in range(SIZE):
        checker.verify(LEAVES[index], index, TREE.inclusion(index, SIZE))


def _lie(proof: list[bytes], kind: str, step: int) -> list[bytes]:
    proof = list(proof)
    if kind == "flip":
        at = step % len(proof)
        proof[at] = bytes([proof[at][0] ^ 1]) + proof[at][1:]
    elif kind == "drop":
        del proof[step % len(proof)]
    elif kind == "extend":
        proof.append(hashlib.sha256(b"extra").digest())
    elif kind == "short_hash":
        proof[step % len(proof)] = proof[step % len(proof)][:31]
    return proof


@MANY
@given(
    order=st.permutations(range(0, SIZE, 7)),
    liar=st.integers(0, SIZE - 1),
    kind=st.sampled_from(["flip", "drop", "extend", "short_hash", "other_leaf", "other_index"]),
    step=st.integers(0, 20),
)
def test_a_shared_checker_decides_every_proof_as_a_fresh_check_would(order, liar, kind, step):
    """Honest neighbours checked first must not let a lying proof through, whatever the order."""
    checker = InclusionChecker(SIZE, ROOT)
    cases = [(index, TREE.inclusion(index, SIZE), None) for index in order]
    proof, leaf, index = TREE.inclusion(liar, SIZE), None, liar
    if kind == "other_leaf":
        leaf = LEAVES[(liar + 1) % SIZE]
    elif kind == "other_index":
        index = (liar + 1) % SIZE
    else:
        proof = _lie(proof, kind, step)
    cases.insert(len(cases) // 2, (index, proof, leaf))
    fresh = lambda leaf_, i, p: verify_inclusion(leaf_, i, SIZE, p, ROOT)  # noqa: E731
    for i, p, lf in cases:
        assert _accepts(checker.verify, i, p, lf) == _accepts(fresh, i, p, lf)
    assert not _accepts(checker.verify, index, proof, leaf)


# --- skipping the plainness walk ------------------------------------------------------------

from ledger.bundle import _proof  # noqa: E402
from ledger.canonical import _plain, plain_json  # noqa: E402
from ledger.statements import statement_for_event  # noqa: E402

from make_fixtures import good_bundle  # noqa: E402


@MANY
@given(json_values.filter(_plain))
def test_plain_json_is_rfc8785_for_plain_values(value):
    expected = _reference(value)
    if isinstance(expected, bytes):
        assert plain_json(value) == expected
    else:  # a lone surrogate, which neither can write
        with pytest.raises(ValueError):
            plain_json(value)


def _good_events_and_openings():
    bundle = good_bundle()
    events = {item["index"]: json.loads(b64decode(item["leaf"])) for item in bundle["entries"] + bundle["keys"]}
    return events, {opening["index"]: opening["fields"] for opening in bundle["openings"]}


GOOD_EVENTS, GOOD_OPENED = _good_events_and_openings()


@MANY
@given(index=st.sampled_from(sorted(GOOD_EVENTS)), value=json_values, pick=st.integers(0, 30))
def test_every_event_validation_accepts_is_plain(index, value, pick):
    """parse_event encodes a validated event without canonical_json's walk: whatever value a
    field is given, an event _validate accepts must be plain."""
    event = dict(GOOD_EVENTS[index])
    event[sorted(event)[pick % len(event)]] = value
    try:
        ev._validate(event)
    except ev.EventError:
        return
    assert _plain(event)


def _reference_parse(entry: bytes):
    """The plain definition: JSON, a valid event, and canonical_json of it is the entry."""
    try:
        event = json.loads(entry.decode("utf-8"))
        assert isinstance(event, dict)
        ev._validate(event)
        assert canonical_json(event) == entry
    except (ValueError, AssertionError):
        return None
    return event


def _ours_parse(entry: bytes):
    try:
        return ev.parse_event(entry)
    except ev.EventError:
        return None


@MANY
@given(
    index=st.sampled_from(sorted(GOOD_EVENTS)),
    value=json_values,
    pick=st.integers(0, 30),
    spelling=st.sampled_from(["jcs", "ascii", "spaced", "unsorted"]),
)
def test_parse_event_decides_as_its_plain_definition(index, value, pick, spelling):
    event = dict(GOOD_EVENTS[index])
    event[sorted(event)[pick % len(event)]] = value
    try:
        entry = {
            "jcs": lambda: canonical_json(event),
            "ascii": lambda: json.dumps(event, sort_keys=True, separators=(",", ":")).encode(),
            "spaced": lambda: json.dumps(event, sort_keys=True).encode(),
            "unsorted": lambda: json.dumps(dict(reversed(event.items())), separators=(",", ":")).encode(),
        }[spelling]()
    except (ValueError, TypeError, UnicodeEncodeError):
        return
    assert _ours_parse(entry) == _reference_parse(entry)


def test_every_good_statement_is_plain():
    statements = [
        statement_for_event(GOOD_EVENTS[index], fields)
        for index, fields in GOOD_OPENED.items()
        if "signature" in fields
    ]
    assert statements
    for statement in statements:
        assert _plain(statement) and plain_json(statement) == rfc8785.dumps(statement)


# --- proof hashes looked up all at once -----------------------------------------------------


def _reference_proof(value):
    """The plain definition: every item strict base64 of a 32-byte hash."""
    if not isinstance(value, list):
        return None
    try:
        hashes = [b64decode(item) for item in value]
    except ValueError:
        return None
    return hashes if all(len(h) == 32 for h in hashes) else None


HASHES = [b64encode(hashlib.sha256(bytes([i])).digest()) for i in range(4)]
proof_items = st.one_of(
    st.sampled_from(HASHES),
    base64ish,
    st.binary(max_size=40).map(b64encode),
    st.sampled_from([None, 5, ["x"], {"a": 1}, HASHES[0][:-1] + "="]),
)


@MANY
@given(st.lists(st.lists(proof_items, max_size=5), max_size=4))
def test_proofs_decode_as_their_plain_definition_whatever_was_decoded_before(proofs):
    decoded = {}
    for proof in proofs:
        try:
            ours = _proof(proof, decoded)
        except ValueError:
            ours = None
        assert ours == _reference_proof(proof)
    assert all(len(h) == 32 and b64encode(h) == text for text, h in decoded.items())
