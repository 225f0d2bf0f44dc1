"""Story rules that the fixtures do not reach: addenda after withdrawals, abandonment,
publication, signing twice."""

import pytest

from ledger.errors import StoryError
from ledger.verify import verify_bundle

from make_fixtures import ADDRESSEE, ORGS, FixtureLog, Letter, log_signer


@pytest.fixture
def letter() -> Letter:
    log = FixtureLog(log_signer())
    for slug, org in ORGS.items():
        log.register(org, slug.upper())
    letter = Letter(log, "lt-story", ORGS["fra"])
    letter.create(ADDRESSEE, "Title", "Body")
    letter.circulate(["deu", "ita", "esp"])
    return letter


def verify(letter: Letter):
    return verify_bundle(letter.bundle(letter.log.checkpoint()))


def delivered_with_deu_and_ita(letter: Letter) -> tuple[dict, str]:
    signatures = {slug: letter.sign(ORGS[slug], 1) for slug in ("deu", "ita")}
    _, delivery = letter.deliver(1, ["deu", "ita"])
    return signatures, delivery


def test_an_addendum_lists_a_withdrawn_signatory_under_withdrawn(letter):
    signatures, delivery = delivered_with_deu_and_ita(letter)
    letter.withdraw(ORGS["ita"], signatures["ita"])
    letter.sign(ORGS["esp"], 1)
    letter.deliver(1, ["esp"], withdrawn=["ita"], addendum_to=delivery)
    assert verify(letter).facts["versions"][0]["signatures"] == 2


def test_an_addendum_that_hides_a_withdrawal_is_refused(letter):
    signatures, delivery = delivered_with_deu_and_ita(letter)
    letter.withdraw(ORGS["ita"], signatures["ita"])
    letter.deliver(1, [], addendum_to=delivery)
    with pytest.raises(StoryError, match=r"expected signatories \[\] and withdrawn \['ita'\]"):
        verify(letter)


def test_an_addendum_may_not_repeat_signatories_already_delivered(letter):
    _, delivery = delivered_with_deu_and_ita(letter)
    letter.deliver(1, ["deu"], addendum_to=delivery)
    with pytest.raises(StoryError, match="expected signatories"):
        verify(letter)


def test_an_organisation_cannot_hold_two_live_signatures(letter):
    letter.sign(ORGS["deu"], 1)
    letter.sign(ORGS["deu"], 1)
    with pytest.raises(StoryError, match="deu signs again"):
        verify(letter)


def test_nothing_may_follow_abandonment(letter):
    letter.record("letter.abandoned", letter.log.next_time(), {})
    letter.sign(ORGS["deu"], 1)
    with pytest.raises(StoryError, match=r"signature\.signed while the letter is abandoned"):
        verify(letter)


def test_publication_needs_a_delivery(letter):
    letter.publish()
    with pytest.raises(StoryError, match=r"letter\.published while the letter is circulating; allowed from delivered$"):
        verify(letter)


def test_a_signature_must_name_the_exact_version_hash(letter):
    letter.versions[1] = "00" * 32
    letter.sign(ORGS["deu"], 1)
    with pytest.raises(StoryError, match="version 1: expected hash"):
        verify(letter)
