"""Password guessing: failed sign-ins are limited per account and per address, the lock says so
in the person's language, ends on its own, and is written to the log without the password.

Limits (undersigned/settings.py): 5 failures for one account, 20 from one address, each lock
15 minutes after the last failure counted.
"""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F
from django.test import Client, RequestFactory

from orgs.signin_limits import client_address

RIGHT = "correct horse 42"
GUESSER = "203.0.113.9"
ELSEWHERE = "198.51.100.7"
LOCKED = "Too many failed sign-ins for this account or from this address."


def from_address(address, **headers):
    return Client(REMOTE_ADDR=address, **headers)


def sign_in(client, username, password, path="/login/"):
    return client.post(path, {"username": username, "password": password})


def guess(client, username, times, path="/login/"):
    return [sign_in(client, username, f"wrong guess {n}", path).status_code for n in range(times)]


def minutes_pass(minutes):
    """Every failure counted so far happened that many minutes earlier."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def is_signed_in(client):
    return "_auth_user_id" in client.session


def test_the_fifth_wrong_password_locks_the_account_and_the_sixth_is_refused_even_when_right(penholder):
    guesser = from_address(GUESSER)

    assert guess(guesser, "penny", 5) == [200, 200, 200, 200, 429]
    response = sign_in(guesser, "penny", RIGHT)

    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and "Try again in 15 minutes." in page
    assert int(response["Retry-After"]) > 14 * 60
    assert not is_signed_in(guesser)


def test_forty_guesses_in_a_row_get_four_answers(penholder):
    statuses = guess(from_address(GUESSER), "penny", 40)

    assert statuses.count(200) == 4 and statuses[4:] == [429] * 36


def test_the_lock_says_how_long_is_left_and_ends_on_its_own(penholder):
    guesser = from_address(GUESSER)
    guess(guesser, "penny", 5)

    minutes_pass(10)
    assert "Try again in 5 minutes." in sign_in(guesser, "penny", RIGHT).content.decode()

    minutes_pass(5)
    assert sign_in(guesser, "penny", RIGHT).status_code == 302
    assert is_signed_in(guesser)


def test_tries_during_the_lock_do_not_make_it_longer(penholder):
    guesser = from_address(GUESSER)
    guess(guesser, "penny", 5)

    minutes_pass(14)
    assert guess(guesser, "penny", 3) == [429] * 3
    minutes_pass(1)

    assert sign_in(guesser, "penny", RIGHT).status_code == 302


def test_the_locked_account_is_locked_from_every_address(penholder):
    guess(from_address(GUESSER), "penny", 5)

    assert sign_in(from_address(ELSEWHERE), "penny", RIGHT).status_code == 429


def test_another_account_from_another_address_still_signs_in(penholder, outsider):
    guess(from_address(GUESSER), "penny", 5)

    other = from_address(ELSEWHERE)
    assert sign_in(other, "otto", RIGHT).status_code == 302
    assert is_signed_in(other)


def test_one_address_guessing_across_accounts_is_locked_after_twenty(penholder, outsider):
    guesser = from_address(GUESSER)
    statuses = [sign_in(guesser, f"member{n}", "123456").status_code for n in range(20)]

    assert statuses == [200] * 19 + [429]
    assert sign_in(guesser, "otto", RIGHT).status_code == 429
    assert sign_in(from_address(ELSEWHERE), "otto", RIGHT).status_code == 302


def test_an_office_behind_one_address_survives_a_few_typos_by_each_of_its_people(penholder, outsider):
    office = from_address(GUESSER)
    guess(office, "penny", 4)
    guess(office, "otto", 4)

    assert sign_in(office, "penny", RIGHT).status_code == 302
    assert sign_in(from_address(GUESSER), "otto", RIGHT).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_guesses_at_others(outsider):
    guesser = from_address(GUESSER)
    assert [sign_in(guesser, f"member{n}", "123456").status_code for n in range(19)] == [200] * 19

    assert sign_in(from_address(GUESSER), "otto", RIGHT).status_code == 302

    assert sign_in(guesser, "member19", "123456").status_code == 429


def test_a_forged_x_forwarded_for_does_not_make_a_new_address(penholder):
    statuses = [
        sign_in(from_address(GUESSER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), f"member{n}", "123456").status_code
        for n in range(20)
    ]

    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw(settings, penholder):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    guesser = from_address(proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.77, {GUESSER}")
    [sign_in(guesser, f"member{n}", "123456") for n in range(20)]

    colleague = from_address(proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert sign_in(colleague, "penny", RIGHT).status_code == 302
    assert sign_in(guesser, "penny", RIGHT).status_code == 429


@pytest.mark.parametrize(
    "remote, forwarded, proxies, counted",
    [
        ("203.0.113.9", "192.0.2.1", 0, "203.0.113.9"),  # a header any client can write is ignored
        ("10.0.0.2", "192.0.2.1, 203.0.113.9", 1, "203.0.113.9"),  # what the one proxy saw
        ("10.0.0.3", "192.0.2.1, 203.0.113.9, 10.0.0.2", 2, "203.0.113.9"),
        ("10.0.0.2", "", 1, "10.0.0.2"),  # a request that did not come through the proxy
        ("10.0.0.2", "not an address", 1, "10.0.0.2"),
        ("2001:db8:1:2:a:b:c:d", "", 0, "2001:db8:1:2::"),  # an IPv6 host holds its whole /64
        ("::ffff:203.0.113.9", "", 0, "203.0.113.9"),
    ],
)
def test_the_address_counted(settings, remote, forwarded, proxies, counted):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == counted


def test_a_proxy_nobody_declared_is_pointed_out_in_the_log(settings, caplog):
    from orgs import signin_limits

    signin_limits._warn_once_about_proxies.cache_clear()
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=GUESSER)

    with caplog.at_level(logging.WARNING):
        client_address(request)
        client_address(request)

    assert len([r for r in caplog.records if "TRUSTED_PROXY_COUNT" in r.getMessage()]) == 1


@pytest.mark.parametrize(
    "language, words",
    [
        ("fr", "Réessayez dans 15 minutes."),
        ("es", "Vuelva a intentarlo dentro de 15 minutos."),
        ("ru", "Повторите попытку через 15 минут."),
        ("zh-hans", "请在 15 分钟后重试。"),
        ("ar", "حاول مرة أخرى بعد 15 دقيقة."),
    ],
)
def test_the_lock_page_speaks_the_persons_language(penholder, language, words):
    guesser = from_address(GUESSER, HTTP_ACCEPT_LANGUAGE=language)
    guess(guesser, "penny", 5)

    response = sign_in(guesser, "penny", RIGHT)

    assert response.status_code == 429
    page = response.content.decode()
    assert f'lang="{language}"' in page and words in page and LOCKED not in page


def test_the_admins_login_is_limited_too(db):
    get_user_model().objects.create_superuser("olga", "olga@example.org", RIGHT)
    guesser = from_address(GUESSER)

    assert guess(guesser, "olga", 5, "/admin/login/")[-1] == 429
    response = sign_in(guesser, "olga", RIGHT, "/admin/login/")

    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_the_lock_is_logged_with_the_address_but_not_the_password_nor_the_account(penholder, caplog):
    with caplog.at_level(logging.INFO):
        guess(from_address(GUESSER), "penny", 5)
        sign_in(from_address(GUESSER), "penny", RIGHT)

    locks = [record.getMessage() for record in caplog.records if record.name == "orgs.signin_limits"]
    assert len(locks) == 2 and all(GUESSER in line and "one account" in line for line in locks)
    assert "wrong guess" not in caplog.text and RIGHT not in caplog.text and "penny" not in caplog.text


def test_a_sign_in_without_a_request_is_still_held_to_the_accounts_limit(penholder):
    # Django's test client signs in without a request: it has no address, but the account's lock holds.
    assert Client().login(username="penny", password=RIGHT)
    guess(from_address(GUESSER), "penny", 5)

    assert not Client().login(username="penny", password=RIGHT)
