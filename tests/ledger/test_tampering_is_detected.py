"""Any single flipped bit in a bundle's evidence is rejected (hypothesis picks the bit)."""

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.encoding import b64decode, b64encode
from ledger.errors import CheckpointError, InclusionError, OpeningError, VerificationError
from ledger.verify import verify_bundle

from make_fixtures import good_bundle

GOOD = good_bundle()
FAST = settings(max_examples=40, deadline=None)


def flip(data: bytes, bit: int) -> bytes:
    flipped = bytearray(data)
    flipped[(bit // 8) % len(data)] ^= 1 << (bit % 8)
    return bytes(flipped)


def rejected(bundle: dict, error: type[VerificationError]) -> None:
    with pytest.raises(error):
        verify_bundle(json.dumps(bundle), GOOD["log"]["vkey"])


def test_the_untouched_bundle_verifies():
    verify_bundle(json.dumps(GOOD), GOOD["log"]["vkey"])


@FAST
@given(section=st.sampled_from(["entries", "keys"]), which=st.integers(0, 100), bit=st.integers(0, 10**6))
def test_a_flipped_bit_in_an_entry_or_key_fails_inclusion(section, which, bit):
    bundle = copy.deepcopy(GOOD)
    item = bundle[section][which % len(bundle[section])]
    item["leaf"] = b64encode(flip(b64decode(item["leaf"]), bit))
    rejected(bundle, InclusionError)


@FAST
@given(which=st.integers(0, 100), step=st.integers(0, 100), bit=st.integers(0, 255))
def test_a_flipped_bit_in_a_proof_hash_fails_inclusion(which, step, bit):
    bundle = copy.deepcopy(GOOD)
    proof = bundle["entries"][which % len(bundle["entries"])]["proof"]
    proof[step % len(proof)] = b64encode(flip(b64decode(proof[step % len(proof)]), bit))
    rejected(bundle, InclusionError)


@FAST
@given(bit=st.integers(0, 10**6))
def test_a_flipped_bit_in_the_checkpoint_text_or_signature_fails_the_checkpoint(bit):
    bundle = copy.deepcopy(GOOD)
    text, _, signature_line = bundle["checkpoint"].partition("\n\n")
    prefix, _, signature = signature_line[:-1].rpartition(" ")
    raw = text.encode() + b64decode(signature)
    flipped = flip(raw, bit)
    new_text, new_signature = flipped[: len(text)], flipped[len(text) :]
    bundle["checkpoint"] = f"{new_text.decode('utf-8', 'replace')}\n\n{prefix} {b64encode(new_signature)}\n"
    rejected(bundle, CheckpointError)


@FAST
@given(which=st.integers(0, 100), bit=st.integers(0, 255))
def test_a_flipped_bit_in_an_opening_salt_fails_the_opening(which, bit):
    bundle = copy.deepcopy(GOOD)
    opening = bundle["openings"][which % len(bundle["openings"])]
    opening["salt"] = b64encode(flip(b64decode(opening["salt"]), bit))
    rejected(bundle, OpeningError)


@FAST
@given(which=st.integers(0, 100), field=st.integers(0, 10), bit=st.integers(0, 10**4))
def test_a_flipped_bit_in_an_opened_field_fails_the_opening(which, field, bit):
    bundle = copy.deepcopy(GOOD)
    fields = bundle["openings"][which % len(bundle["openings"])]["fields"]
    texts = sorted(name for name, value in fields.items() if isinstance(value, str) and value)
    name = texts[field % len(texts)]
    # Flip one of the low seven bits of an ASCII character, so the field stays valid text.
    encoded = fields[name].encode()
    position = (bit // 7) % len(encoded)
    if encoded[position] < 0x80:
        fields[name] = flip(encoded, position * 8 + bit % 7).decode()
    else:
        fields[name] = fields[name] + "x"
    rejected(bundle, OpeningError)
