"""The server's background integrator: a pass that fails leaves entries behind, and the next
idle wake-up gives them their checkpoint without waiting for another commit."""

import time

import pytest

from record import integration, log
from record.models import LogHead, TreeState
from tests.conftest import sign

pytestmark = pytest.mark.django_db(transaction=True)


def test_entries_left_by_a_failed_integration_are_integrated_when_the_integrator_is_idle(
    settings, monkeypatch, signer, circulating
):
    settings.LOG_INTEGRATION = "background"
    settings.LOG_INTEGRATION_INTERVAL = 0
    monkeypatch.setattr(integration.BackgroundIntegrator, "IDLE_SECONDS", 0.2)
    integrator = integration.BackgroundIntegrator()
    monkeypatch.setattr(integration, "_background", integrator)
    failures = []
    real_integrate = integration.integrate

    def fails_once():
        if not failures:
            failures.append("database went away")
            raise RuntimeError("database went away")
        return real_integrate()

    monkeypatch.setattr(integration, "integrate", fails_once)

    try:
        assert sign(signer, circulating).status_code == 201  # its commit wakes the integrator
        deadline = time.monotonic() + 10
        while TreeState.objects.get(pk=1).size < LogHead.objects.get(pk=1).size:
            assert time.monotonic() < deadline, "the entries were never integrated"
            time.sleep(0.05)
    finally:
        integrator.stop()
    assert failures == ["database went away"]
    assert log.latest_checkpoint().size == LogHead.objects.get(pk=1).size
