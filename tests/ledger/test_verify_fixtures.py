"""The realistic letter verifies; each tampered bundle kept in tests/fixtures/bundles is
rejected with its own error class and exit code."""

import copy
import json
import re

import pytest

from ledger import errors
from ledger.verify import verify_bundle

import make_fixtures
from make_fixtures import FIXTURES, TRUNCATED, fixture_text, fixtures

EXPECTED = json.loads((FIXTURES / "expected.json").read_text())
GOOD = json.loads((FIXTURES / "good.json").read_text())
PIN = GOOD["log"]["vkey"]
ERROR_FOR_CODE = {
    2: errors.MalformedBundle,
    3: errors.CheckpointError,
    4: errors.InclusionError,
    5: errors.OpeningError,
    6: errors.SignatureError,
    7: errors.ChainError,
    8: errors.StoryError,
    11: errors.HeadError,
}


def load(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text(encoding="utf-8")


def test_the_realistic_letter_verifies_with_its_facts():
    report = verify_bundle(load("good"), PIN)
    assert [step.number for step in report.steps] == [1, 2, 3, 4, 5, 6, 7]
    facts = report.facts
    assert facts["status"] == "published" and facts["acknowledged"] is True
    assert facts["complete"] is True  # the log's signed head names its last event
    assert facts["head"] == {
        "size": facts["log"]["size"],
        "index": facts["last_event"]["index"],
        "seq": facts["last_event"]["seq"],
    }
    assert [(v["version"], v["signatures"]) for v in facts["versions"]] == [(1, 0), (2, 4)]
    assert [(d["count"], d["addendum_to"] is not None) for d in facts["deliveries"]] == [(3, False), (1, True)]
    assert facts["names"] == {
        "penholder": "fra",
        "addressee": "ohchr",
        "signatories": {"2": ["esp", "fra", "deu", "ita"]},
    }


@pytest.mark.parametrize("name", sorted(name for name, code in EXPECTED.items() if code != 0))
def test_each_tampered_bundle_fails_with_its_own_error(name):
    error = ERROR_FOR_CODE[EXPECTED[name]]
    with pytest.raises(error) as caught:
        verify_bundle(load(name), PIN)
    assert caught.value.exit_code == EXPECTED[name]
    assert type(caught.value) is error


def test_the_impostor_log_verifies_only_without_a_pinned_key():
    verify_bundle(load("wrong_vkey_pin"))
    with pytest.raises(errors.CheckpointError, match=re.escape(f"expected log key {PIN}")):
        verify_bundle(load("wrong_vkey_pin"), PIN)


def test_without_openings_the_public_story_still_verifies_and_names_nobody():
    bundle = json.loads(load("good"))
    bundle["openings"] = []
    facts = verify_bundle(bundle, PIN).facts
    assert "names" not in facts and facts["versions"][1]["signatures"] == 4


def test_a_count_mismatch_is_caught_even_without_openings():
    bundle = json.loads(load("count_mismatch"))
    bundle["openings"] = []
    with pytest.raises(errors.StoryError, match="count is 4, expected 3"):
        verify_bundle(bundle, PIN)


def test_the_committed_fixtures_are_what_make_fixtures_generates():
    for name, (bundle, code) in fixtures().items():
        assert load(name) == fixture_text(bundle), (
            f"regenerate {name}: PYTHONPATH=. python tests/ledger/make_fixtures.py"
        )
        assert EXPECTED[name] == code


@pytest.mark.parametrize("name, last_seq", [("truncated_before_acknowledgement", 13), ("truncated_before_closing", 9)])
def test_a_history_cut_short_fails_at_the_head_the_log_signed(name, last_seq):
    with pytest.raises(
        errors.HeadError,
        match=f"stop before the letter's head: its last event is index \\d+, "
        f"seq {last_seq}; the log's signed head at size 25 says index 24, "
        f"seq 15",
    ) as caught:
        verify_bundle(load(name), PIN)
    assert caught.value.exit_code == 11


def test_the_cut_fixtures_are_the_truncated_ones_and_only_good_verifies():
    assert sorted(name for name, code in EXPECTED.items() if code == 0) == ["good"]
    assert all(EXPECTED[name] == 11 for name in TRUNCATED)


def test_a_bundle_cut_after_any_of_its_events_fails_with_the_heads_exit_code():
    good = json.loads(load("good"))
    for kept in range(1, len(good["entries"])):
        bundle = copy.deepcopy(good)
        cut = {entry["index"] for entry in bundle["entries"][kept:]}
        del bundle["entries"][kept:]
        bundle["openings"] = [o for o in bundle["openings"] if o["index"] not in cut]
        with pytest.raises(errors.HeadError) as caught:
            verify_bundle(bundle, PIN)
        assert caught.value.exit_code == 11, kept


def test_a_bundle_without_a_head_says_how_to_get_one():
    with pytest.raises(errors.HeadError, match=r"carries no signed head.*fetch it again"):
        verify_bundle(load("head_missing"), PIN)


def test_a_head_signed_by_another_key_is_refused_even_with_the_logs_name():
    expected = "head note: note has no signature by undersigned.example/log"
    with pytest.raises(errors.HeadError, match=re.escape(expected)):
        verify_bundle(load("head_not_signed_by_the_log"), PIN)


def test_a_head_about_an_earlier_tree_says_nothing_of_the_bundles_checkpoint():
    expected = (
        "in the tree of undersigned.example/log of size 25, the bundle about letter lt-7Qm2xKc9 in the tree "
        "of undersigned.example/log of size 26"
    )
    with pytest.raises(errors.HeadError, match=re.escape(expected)):
        verify_bundle(load("head_of_an_earlier_tree"), PIN)


def test_a_head_that_names_an_earlier_event_than_the_bundles_last_is_refused():
    bundle = json.loads(load("good"))
    log, letter, _ = make_fixtures.realistic_history()
    log.checkpoint()
    letter.indexes.pop()  # the log signs a head one event short of the history it serves
    bundle["head"] = letter.head()
    with pytest.raises(errors.HeadError, match="events go past the letter's head"):
        verify_bundle(bundle, PIN)


@pytest.mark.parametrize(
    "name, message",
    [
        (
            "signed_before_circulation",
            "signature.signed while the letter is draft; allowed from circulating, delivered, published",
        ),
        (
            "delivered_while_draft",
            "letter.delivered while the letter is draft; allowed from circulating, closed, delivered",
        ),
        ("delivered_without_signatures", "a delivery of version 2 with no signatories"),
    ],
)
def test_a_story_out_of_the_lifecycle_fails_at_the_event_that_breaks_it(name, message):
    bundle = json.loads(load(name))
    with pytest.raises(errors.StoryError, match=r"^index \d+: " + re.escape(message)) as caught:
        verify_bundle(bundle, PIN)
    index = int(caught.value.message.split(":")[0].removeprefix("index "))
    assert index in [entry["index"] for entry in bundle["entries"]]
