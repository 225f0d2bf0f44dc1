"""The verifier refuses every event the lifecycle (ledger/lifecycle.py) forbids in the letter's
status, and accepts every event it allows: each event type tried in each status, signed
correctly, so the story step alone decides."""

import pytest

from ledger import events as ev
from ledger import lifecycle
from ledger.errors import StoryError
from ledger.verify import verify_bundle

from make_fixtures import ADDRESSEE, ORGS, FixtureLog, Letter, log_signer


def fresh_log() -> FixtureLog:
    log = FixtureLog(log_signer())
    for slug, org in ORGS.items():
        log.register(org, slug.upper())
    return log


def letter_in(status: str) -> tuple[Letter, dict]:
    """A letter brought to ``status`` the way the server would, and what later events may name."""
    letter, named = Letter(fresh_log(), "lt-life", ORGS["fra"]), {"signature": 0, "delivery": "00" * 32}
    letter.create(ADDRESSEE, "Title", "Body")
    if status == lifecycle.DRAFT:
        return letter, named
    letter.circulate(["deu", "ita", "esp"])
    named["signature"] = letter.sign(ORGS["deu"], 1)
    if status == lifecycle.CIRCULATING:
        return letter, named
    letter.close()
    if status == lifecycle.ABANDONED:
        letter.record(ev.LETTER_ABANDONED, letter.log.next_time(), {})
        return letter, named
    if status == lifecycle.CLOSED:
        return letter, named
    _, named["delivery"] = letter.deliver(1, ["deu"])
    letter.sign(ORGS["esp"], 1)  # late: an addendum may deliver it
    if status == lifecycle.PUBLISHED:
        letter.publish()
    return letter, named


def deliver(letter: Letter, named: dict) -> int:
    if letter.deliveries:
        return letter.deliver(1, ["esp"], addendum_to=named["delivery"])[0]  # the late signature
    return letter.deliver(1, ["deu"])[0]


# One correctly signed event of each type, with content that is right wherever its type may happen.
PROBES = {
    ev.LETTER_CREATED: lambda letter, named: letter.create(ADDRESSEE, "Title", "Body"),
    ev.VERSION_CREATED: lambda letter, named: letter.new_version(ADDRESSEE, "Title", "Body, revised"),
    ev.LETTER_CIRCULATED: lambda letter, named: letter.circulate(["watch"]),
    ev.LETTER_VISIBILITY: lambda letter, named: letter.set_visibility("public"),
    ev.SIGNATURE_SIGNED: lambda letter, named: letter.sign(ORGS["ita"], 1),
    ev.SIGNATURE_WITHDRAWN: lambda letter, named: letter.withdraw(ORGS["deu"], named["signature"]),
    ev.LETTER_CLOSED: lambda letter, named: letter.close(),
    ev.LETTER_DELIVERED: deliver,
    ev.DELIVERY_ACKNOWLEDGED: lambda letter, named: letter.acknowledge(ORGS[ADDRESSEE], named["delivery"]),
    ev.LETTER_PUBLISHED: lambda letter, named: letter.publish(),
    ev.LETTER_ABANDONED: lambda letter, named: letter.record(ev.LETTER_ABANDONED, letter.log.next_time(), {}),
}


def verify(letter: Letter):
    return verify_bundle(letter.bundle(letter.log.checkpoint()))


def test_every_event_type_is_tried():
    assert set(PROBES) == set(lifecycle.STEPS)


@pytest.mark.parametrize("status", lifecycle.STATUSES)
def test_each_status_is_reached_as_the_server_would_reach_it(status):
    assert verify(letter_in(status)[0]).facts["status_at_last_event"] == status


@pytest.mark.parametrize("event_type", sorted(PROBES))
@pytest.mark.parametrize("status", lifecycle.STATUSES)
def test_an_event_verifies_exactly_in_the_statuses_the_lifecycle_allows(status, event_type):
    letter, named = letter_in(status)
    index = PROBES[event_type](letter, named)
    if status in lifecycle.allowed_from(event_type):
        facts = verify(letter).facts
        assert facts["last_event"]["type"] == event_type
        assert facts["status_at_last_event"] == (lifecycle.STEPS[event_type].status_after or status)
    else:
        with pytest.raises(StoryError) as refused:
            verify(letter)
        assert refused.value.message == f"index {index}: {lifecycle.refusal(event_type, status)}"


def test_a_signature_while_draft_names_the_index_the_event_and_the_status():
    letter, _ = letter_in(lifecycle.DRAFT)
    index = letter.sign(ORGS["deu"], 1)
    with pytest.raises(StoryError) as refused:
        verify(letter)
    assert refused.value.message == (
        f"index {index}: signature.signed while the letter is draft; allowed from circulating, delivered, published"
    )


def test_a_history_must_begin_with_letter_created():
    letter = Letter(fresh_log(), "lt-headless", ORGS["fra"])
    index = letter.circulate(["deu"])
    with pytest.raises(StoryError, match=f"^index {index}: letter.circulated before letter.created$"):
        verify(letter)


def test_a_second_letter_created_is_refused():
    letter, _ = letter_in(lifecycle.CIRCULATING)
    index = letter.create(ADDRESSEE, "Title", "Body")
    with pytest.raises(
        StoryError,
        match=f"^index {index}: letter.created while the letter is circulating; it can only be a letter's first event$",
    ):
        verify(letter)


def test_nothing_may_follow_abandonment_not_even_a_withdrawal():
    letter, named = letter_in(lifecycle.ABANDONED)
    letter.withdraw(ORGS["deu"], named["signature"])
    with pytest.raises(StoryError, match=r"signature\.withdrawn while the letter is abandoned"):
        verify(letter)


def test_a_full_delivery_must_list_at_least_one_signatory():
    letter, _ = letter_in(lifecycle.DRAFT)
    letter.circulate(["deu"])
    index, _ = letter.deliver(1, [])
    with pytest.raises(StoryError, match=f"^index {index}: a delivery of version 1 with no signatories"):
        verify(letter)


def test_the_published_and_abandoned_statuses_are_final():
    assert lifecycle.FINAL == {lifecycle.PUBLISHED, lifecycle.ABANDONED}
