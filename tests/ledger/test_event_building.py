"""Building events the fast way gives the bytes of the plain definitions: every entry is
RFC 8785 of its event, every commitment is over RFC 8785 of the private fields."""

import hashlib

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import events as ev
from ledger.commitment import COMMITMENT_TAG, SALT_BYTES, commit, new_salts
from ledger.encoding import b64encode

TIME = "2026-03-01T09:00:00.000000Z"
HASH = "ab" * 32
SALT = b"\x07" * 32

tricky_text = st.text(
    alphabet=st.sampled_from(
        [
            "a",
            "Z",
            '"',
            "\\",
            "/",
            "\b",
            "\n",
            "\t",
            "\x00",
            "\x1f",
            "\x7f",
            "é",
            "\u2028",
            "\ue000",
            "\uffff",
            "\U0001f600",
            "€",
        ]
    ),
    max_size=10,
)
safe_integers = st.integers(0, 2**53 - 1)
opaque = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**53) + 1, 2**53 - 1), tricky_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(tricky_text, inner, max_size=3)),
    max_leaves=8,
)


def _reference_entry(kind, public, private, handle, seq, prev, salt):
    """The definition in docs/record.md, spelt out with rfc8785 itself."""
    event = {
        "format": ev.EVENT_FORMAT,
        "type": kind,
        "time": TIME,
        **public,
        "handle": handle,
        "seq": seq,
        "prev": prev,
    }
    if private is not None:
        event["commitment"] = hashlib.sha256(COMMITMENT_TAG + salt + rfc8785.dumps(private)).hexdigest()
    return rfc8785.dumps(event)


@settings(max_examples=300, deadline=None)
@given(
    version=safe_integers,
    late=st.booleans(),
    replaces=st.one_of(st.none(), safe_integers),
    handle=tricky_text,
    seq=safe_integers,
    prev=st.one_of(st.none(), st.just(HASH)),
    org=tricky_text,
    signer=opaque,
    signature=tricky_text,
)
def test_a_signature_event_is_rfc8785_of_its_fields(version, late, replaces, handle, seq, prev, org, signer, signature):
    public = {"version": version, "version_hash": HASH, "late": late, "replaces": replaces}
    private = {"org": org, "signer": signer, "signature": signature}
    try:
        expected = _reference_entry(ev.SIGNATURE_SIGNED, public, private, handle, seq, prev, SALT)
    except Exception as error:  # noqa: BLE001 - a lone surrogate cannot be written by either
        with pytest.raises(type(error)):
            ev.make_event(ev.SIGNATURE_SIGNED, TIME, public, private, handle, seq, prev, salt=SALT)
        return
    entry, opening = ev.make_event(ev.SIGNATURE_SIGNED, TIME, public, private, handle, seq, prev, salt=SALT)
    assert entry == expected
    assert opening == {"salt": b64encode(SALT), "fields": private}
    built = ev.build_event(ev.SIGNATURE_SIGNED, TIME, public, private, handle, seq, prev, SALT)
    assert built == (entry, SALT, rfc8785.dumps(private))


def test_an_event_without_private_fields_has_no_salt_or_private_json():
    built = ev.build_event(ev.LETTER_CLOSED, TIME, {}, None, "lt-1", 4, HASH, SALT)
    assert built.salt is None and built.private_json is None
    assert built.entry == _reference_entry(ev.LETTER_CLOSED, {}, None, "lt-1", 4, HASH, SALT)


class Text(str):
    """A str subclass, as a template library might hand over: it takes the general encoder."""


class Number(int):
    pass


def test_values_of_subclassed_types_are_encoded_as_their_plain_values():
    public = {"version": Number(2), "version_hash": HASH, "late": False, "replaces": None}
    private = {"org": Text("fra"), "signer": "alice", "signature": "c2ln"}
    entry, _ = ev.make_event(ev.SIGNATURE_SIGNED, TIME, public, private, Text("lt-1"), 3, HASH, salt=SALT)
    assert entry == _reference_entry(
        ev.SIGNATURE_SIGNED, {**public, "version": 2}, {**private, "org": "fra"}, "lt-1", 3, HASH, SALT
    )


def test_a_lone_surrogate_in_an_event_raises_what_rfc8785_raises():
    with pytest.raises(rfc8785.CanonicalizationError):
        ev.make_event(ev.LETTER_CLOSED, TIME, {}, None, "lt-\ud800", 4, HASH)


@pytest.mark.parametrize("public", [{"version": 2**53}, {"version": True}, {"version": 1.0}, {"late": 1}])
def test_invalid_values_are_refused_before_encoding(public):
    with pytest.raises(ev.EventError):
        ev.make_event(
            ev.SIGNATURE_SIGNED,
            TIME,
            {"version": 1, "version_hash": HASH, "late": False, "replaces": None, **public},
            {"org": "fra", "signer": "a", "signature": "c2ln"},
            "lt-1",
            3,
            HASH,
            salt=SALT,
        )


def test_salts_of_a_batch_are_distinct_and_32_bytes():
    salts = new_salts(500)
    assert len(salts) == 500 and {len(s) for s in salts} == {SALT_BYTES} and len(set(salts)) == 500
    assert new_salts(0) == []


def test_commit_is_over_the_canonical_private_fields():
    fields = {"b": "é", "a": [1, None]}
    assert commit(SALT, fields) == hashlib.sha256(COMMITMENT_TAG + SALT + rfc8785.dumps(fields)).hexdigest()
