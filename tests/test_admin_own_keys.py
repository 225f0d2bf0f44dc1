"""An operator sees members' keys in the admin, and cannot change one there: every change of a
key is an event on the log, made by the key actions."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.ssh import SshKey, needs_ssh_keygen

pytestmark = needs_ssh_keygen


@pytest.fixture
def operator(db):
    user = get_user_model().objects.create_superuser("olga", "olga@example.org", "correct horse 42")
    client = Client()
    client.force_login(user)
    return client


def test_an_operator_sees_a_members_key_but_cannot_add_change_or_delete_one(operator, signer, tmp_path):
    key = SshKey(tmp_path / "pak")
    registered = signer.api.post("/keys", {"kind": "ssh", "public_key": key.public_line}).json()

    listing = operator.get("/admin/orgs/ownkey/")

    assert listing.status_code == 200
    assert key.fingerprint in listing.content.decode()
    assert operator.get("/admin/orgs/ownkey/add/").status_code == 403
    assert operator.post(f"/admin/orgs/ownkey/{registered['id']}/delete/", {"post": "yes"}).status_code == 403
    assert operator.post(f"/admin/orgs/ownkey/{registered['id']}/change/", {"status": "revoked"}).status_code == 403
