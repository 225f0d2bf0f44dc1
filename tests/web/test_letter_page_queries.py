"""The letter page costs the same number of queries with 3 signatories as with 193."""

import pytest

from tests.web.builders import letter_with_signatories


@pytest.mark.parametrize("signatories", [3, 193])
def test_the_penholder_page_has_a_fixed_query_count(penholder, signatories, django_assert_num_queries):
    letter = letter_with_signatories(penholder.user, signatories, versions=3)
    penholder.web.get(f"/letters/{letter.id}/")
    with django_assert_num_queries(12):  # 11, and the picker's organisations
        response = penholder.web.get(f"/letters/{letter.id}/")
    # Each name appears twice for the penholder: in the signatories and in the invitees table.
    assert response.content.decode().count("Mission org") == 2 * signatories
