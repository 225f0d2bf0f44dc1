"""Events are canonical, validated and size-limited; commitments open only with their salt."""

import pytest

from ledger import events as ev
from ledger.canonical import canonical_json, normalise_text, version_hash
from ledger.commitment import check_opening, commit, new_salt
from ledger.errors import OpeningError

TIME = "2026-03-01T09:00:00.000000Z"
HASH = "ab" * 32
SIGNED = {"version": 1, "version_hash": HASH, "late": False, "replaces": None}
PRIVATE = {"org": "fra", "signer": "alice", "signature": "c2ln"}


def signed_event(**overrides):
    public = {**SIGNED, **overrides}
    return ev.make_event(ev.SIGNATURE_SIGNED, TIME, public, PRIVATE, "lt-1", 3, HASH, salt=b"\x01" * 32)


def test_a_made_event_parses_back_with_its_commitment():
    entry, opening = signed_event()
    event = ev.parse_event(entry)
    assert entry == canonical_json(event)
    assert event["commitment"] == commit(b"\x01" * 32, PRIVATE)
    assert opening == {"salt": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=", "fields": PRIVATE}
    check_opening(event, {"index": 9, **opening})


def test_events_without_private_fields_carry_no_commitment():
    entry, opening = ev.make_event(ev.LETTER_CLOSED, TIME, {}, None, "lt-1", 4, HASH)
    assert opening is None and "commitment" not in ev.parse_event(entry)


def test_an_entry_over_65535_bytes_is_refused_with_its_size():
    # Private fields sit behind a 32-byte commitment, so only public ones can overflow.
    huge = {"org": "ngo", "name": "x" * 70_000, "kind": "ngo", "country": None, "key": "a2V5"}
    with pytest.raises(ev.EntryTooLarge, match="at most 65535") as caught:
        ev.make_event(ev.ORG_REGISTERED, TIME, huge)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("overrides", [{"version": "1"}, {"late": 0}, {"version_hash": "AB" * 32}, {"extra": 1}])
def test_events_with_wrong_fields_are_refused(overrides):
    with pytest.raises(ev.EventError):
        signed_event(**overrides)


def test_non_canonical_entries_are_refused():
    entry, _ = signed_event()
    with pytest.raises(ev.EventError, match="canonical"):
        ev.parse_event(entry.replace(b'{"commitment"', b'{ "commitment"'))


def test_a_wrong_time_format_is_refused():
    with pytest.raises(ev.EventError, match="time"):
        ev.make_event(ev.LETTER_CLOSED, "2026-03-01T09:00:00Z", {}, None, "lt-1", 4, HASH)


def test_an_opening_with_another_salt_names_both_commitments():
    entry, _opening = signed_event()
    event = ev.parse_event(entry)
    other = {"index": 9, "salt": "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=", "fields": PRIVATE}
    with pytest.raises(OpeningError, match=f"expected commitment {event['commitment']}, computed"):
        check_opening(event, other)


def test_salts_are_32_fresh_bytes():
    assert len(new_salt()) == 32 and new_salt() != new_salt()


def test_text_is_normalised_to_nfc_with_lf_line_ends_before_hashing():
    assert normalise_text("e\u0301\r\nx\ry") == "\u00e9\nx\ny"
    assert version_hash("T", "un", "e\u0301\r\n") == version_hash("T", "un", "\u00e9\n")
    assert version_hash("T", "un", "a") != version_hash("T", "un2", "a")


def test_an_entry_nested_thousands_deep_is_not_an_event():
    with pytest.raises(ev.EventError, match="nested too deeply"):
        ev.parse_event(b"[" * 200_000 + b"]" * 200_000)
