"""A bundle whose entries are no letter's events (here, the organisations' registrations that
belong in its keys) fails the chain check with a reason, never with an unexpected error."""

import pytest

from ledger.errors import ChainError
from ledger.verify import verify_bundle

from make_fixtures import good_bundle


def test_entries_that_name_no_letter_fail_the_chain_check():
    bundle = good_bundle()
    bundle["entries"], bundle["openings"] = bundle["keys"], []

    with pytest.raises(ChainError, match="names no letter"):
        verify_bundle(bundle)
