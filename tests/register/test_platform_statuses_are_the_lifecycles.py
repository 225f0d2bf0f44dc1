"""The register reads a letter's status in the words of the one lifecycle (ledger/lifecycle.py),
so a status renamed or added there cannot leave the register behind."""

from ledger import lifecycle
from register import platform


def test_a_letter_is_in_the_register_in_every_status_of_the_lifecycle_but_draft_and_abandoned():
    assert set(lifecycle.STATUSES) - platform.IN_REGISTER == {lifecycle.DRAFT, lifecycle.ABANDONED}
    assert platform.IN_REGISTER <= set(lifecycle.STATUSES)
