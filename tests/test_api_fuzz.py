"""Schemathesis against our own OpenAPI document: no generated request makes a server error."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conftest import sign

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def api_schema(db):
    from undersigned.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


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
    for operation in operations:
        try:
            _fuzz(operation, fuzz_world.token)
        except AssertionError as failure:
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    assert not failures, "\n".join(failures)


def _fuzz(operation, token):
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def no_server_error(case):
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        assert response.status_code < 500, f"{response.status_code} for {case.as_curl_command()}"

    no_server_error()
