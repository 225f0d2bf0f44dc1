"""The API's rate limits count per client address as the sign-in limits read it: a client that
writes a new X-Forwarded-For on every request is still one client."""

import logging

from django.test import Client


def test_a_client_inventing_forwarded_addresses_is_still_limited(anonymous, circulating):
    client, path = Client(), f"/api/v1/public/letters/{circulating['handle']}"

    statuses = [client.get(path, HTTP_X_FORWARDED_FOR=f"10.0.{n // 250}.{n % 250}").status_code for n in range(61)]

    assert statuses == [200] * 60 + [429]  # tests/settings.py: 60 a minute


def test_an_unexpected_error_is_logged_by_its_route_and_promises_nothing_false(
    anonymous, circulating, caplog, monkeypatch
):
    from api import public

    def broken(handle):
        raise RuntimeError("a bug")

    monkeypatch.setattr(public, "public_letter", broken)
    with caplog.at_level(logging.ERROR, logger="api.api"):
        response = anonymous.get(f"/public/letters/{circulating['handle']}")

    assert response.status_code == 500
    assert "nothing was changed" not in response.json()["error"]["message"]
    ours = [r.getMessage() for r in caplog.records if r.name == "api.api"]
    assert ours == ["unexpected error in GET api/v1/public/letters/<handle>"]
