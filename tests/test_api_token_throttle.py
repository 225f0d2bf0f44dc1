"""Guessing API tokens: an address that sends 20 invalid tokens gets 429 for 15 minutes, while
valid tokens keep working and cost the one statement they always did."""

import logging
from datetime import timedelta

from django.db.models import F
from django.test import Client, RequestFactory

from api.auth import BearerToken
from tests.conftest import ApiClient

GUESSER = "203.0.113.9"
ELSEWHERE = "198.51.100.7"


def api_from(address, token):
    client = ApiClient(token)
    client.client = Client(REMOTE_ADDR=address)
    return client


def guess(times, address=GUESSER):
    return [api_from(address, f"us_guess{n}").get("/letters") for n in range(times)]


def minutes_pass(minutes):
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_the_twentieth_invalid_token_from_an_address_gets_a_429_in_the_apis_error_format(db):
    responses = guess(20)

    assert [r.status_code for r in responses] == [401] * 19 + [429]
    error = responses[-1].json()["error"]
    assert error["code"] == "rate_limited"
    assert "Too many invalid API tokens from this address" in error["message"]
    assert "15 minutes" in error["message"]
    assert int(responses[-1]["Retry-After"]) > 14 * 60
    assert guess(1)[0].status_code == 429


def test_a_valid_token_from_another_address_works_while_the_guesser_is_locked_out(penholder):
    guess(20)

    assert api_from(ELSEWHERE, penholder.token).get("/letters").status_code == 200
    assert guess(1, ELSEWHERE)[0].status_code == 401


def test_a_valid_token_is_never_refused_by_the_lock_even_from_the_locked_address(penholder):
    # Only failures are counted and checked, so the signing path stays one statement.
    guess(20)

    assert api_from(GUESSER, penholder.token).get("/letters").status_code == 200


def test_a_valid_token_costs_one_statement(penholder, django_assert_num_queries):
    request = RequestFactory().get("/api/v1/letters", REMOTE_ADDR=GUESSER)

    with django_assert_num_queries(1):
        assert BearerToken().authenticate(request, penholder.token).username == "penny"


def test_the_lock_on_invalid_tokens_ends_on_its_own(db):
    guess(20)

    minutes_pass(16)

    assert guess(1)[0].status_code == 401


def test_invalid_tokens_do_not_lock_the_addresss_people_out_of_the_pages(penholder):
    # A script left with a revoked token must not stop its office from signing in.
    guess(25)

    response = Client(REMOTE_ADDR=GUESSER).post("/login/", {"username": "penny", "password": "correct horse 42"})

    assert response.status_code == 302


def test_the_lock_is_logged_with_the_address_and_never_the_token(db, caplog):
    with caplog.at_level(logging.INFO):
        guess(21)

    locks = [record.getMessage() for record in caplog.records if record.name == "orgs.signin_limits"]
    assert len(locks) == 2 and all(GUESSER in line and "API token" in line for line in locks)
    assert "us_guess" not in caplog.text
