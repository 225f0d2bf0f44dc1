"""Schemathesis against our own OpenAPI document: no generated request makes a server error."""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from tests.conftest import sign

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def api_schema(db):
    from undersigned.wsgi import application

    with connections_kept_open():  # loading the document is a request too
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@contextmanager
def connections_kept_open():
    """Schemathesis calls the WSGI application itself, so at the end of each request Django would
    close a connection older than CONN_MAX_AGE, in the middle of this test's transaction. The
    test client disconnects the same handlers for the same reason (and reconnects them after
    each of its own requests, so this must wrap the fuzzing itself)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(penholder, signer, addressee, circulating):
    """Data the generated requests can reach: a delivered letter (id 1, delivery 1) and a valid token."""
    sign(signer, circulating)
    penholder.api.post(f"/letters/{circulating['id']}/deliver", {"version": 1})
    return penholder


def test_no_generated_request_makes_a_server_error(api_schema, fuzz_world):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20  # the whole API is in the document
    failures = []
    with connections_kept_open():
        for operation in operations:
            try:
                _fuzz(operation, fuzz_world.token)
            except AssertionError as failure:
                failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    assert not failures, "\n".join(failures)


def _fuzz(operation, token):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def no_server_error(case):
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        assert response.status_code < 500, f"{response.status_code} for {case.as_curl_command()}"

    no_server_error()
