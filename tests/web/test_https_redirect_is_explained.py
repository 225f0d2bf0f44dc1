"""`undersigned serve` on a laptop redirects to https by default; the log says why, once."""

import logging

import pytest

from undersigned.middleware import ExplainHttpsRedirect


@pytest.fixture
def redirecting(settings):
    settings.SECURE_SSL_REDIRECT = True
    ExplainHttpsRedirect.explained = False
    yield
    ExplainHttpsRedirect.explained = False


def test_a_plain_http_visitor_is_redirected_and_the_log_says_how_to_serve_plain_http(client, db, redirecting, caplog):
    with caplog.at_level(logging.WARNING, logger="undersigned.middleware"):
        first = client.get("/p/some-handle")
        second = client.get("/")

    assert first.status_code == second.status_code == 301
    assert first["Location"].startswith("https://")
    explanations = [r.getMessage() for r in caplog.records if r.name == "undersigned.middleware"]
    assert len(explanations) == 1
    assert "SECURE_SSL_REDIRECT=0" in explanations[0] and "X-Forwarded-Proto" in explanations[0]
    assert "some-handle" not in explanations[0]


def test_a_request_through_the_tls_proxy_is_served_and_nothing_is_logged(client, db, redirecting, caplog):
    with caplog.at_level(logging.WARNING, logger="undersigned.middleware"):
        response = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert not [r for r in caplog.records if r.name == "undersigned.middleware"]
