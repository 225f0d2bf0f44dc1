"""Every form that changes something needs a CSRF token: a forged cross-site POST is refused."""

import pytest
from django.test import Client

from letters.models import Signature, Version


@pytest.fixture
def forged(signer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(signer.user)
    return client


def test_a_signature_without_a_csrf_token_is_refused(letter, forged):
    version = Version.objects.get(letter_id=letter["id"])
    response = forged.post(f"/letters/{letter['id']}/sign", {"version": 1, "version_hash": version.hash})
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_a_signature_with_the_page_token_is_accepted(letter, forged):
    forged.get(f"/letters/{letter['id']}/")
    version = Version.objects.get(letter_id=letter["id"])
    response = forged.post(
        f"/letters/{letter['id']}/sign",
        {"version": 1, "version_hash": version.hash, "csrfmiddlewaretoken": forged.cookies["csrftoken"].value},
    )
    assert response.status_code == 302
    assert Signature.objects.count() == 1


@pytest.mark.parametrize("path", ["/letters/new/", "/settings/notifications/", "/check", "/logout/"])
def test_other_forms_refuse_a_forged_post(forged, path, letter):
    assert forged.post(path, {"title": "x"}).status_code == 403
