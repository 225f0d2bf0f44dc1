"""Operators make API tokens in Django's admin too: shown once, stored as a digest, revoked by deleting."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from orgs.models import ApiToken
from tests.conftest import ApiClient


@pytest.fixture
def operator(db):
    user = get_user_model().objects.create_superuser("olga", "olga@example.org", "correct horse 42")
    client = Client()
    client.force_login(user)
    return client


def test_an_operator_makes_a_token_that_is_shown_once_and_works(operator, signer):
    assert operator.get("/admin/orgs/apitoken/add/").status_code == 200

    page = operator.post("/admin/orgs/apitoken/add/", {"user": signer.user.pk})

    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    token = re.search(r'<code id="token"[^>]*>(us_[A-Za-z0-9_-]+)</code>', page.content.decode()).group(1)
    stored = ApiToken.objects.get(prefix=token[:8])
    assert stored.user == signer.user and stored.digest == ApiToken.digest_of(token)
    assert token not in ApiToken.objects.filter(pk=stored.pk).values_list("digest", "prefix").get()
    assert ApiClient(token).get("/letters").status_code == 200
    listing = operator.get("/admin/orgs/apitoken/").content.decode()
    assert token[:8] in listing and token not in listing
    assert token not in operator.get(f"/admin/orgs/apitoken/{stored.pk}/change/").content.decode()


def test_deleting_a_token_in_the_admin_revokes_it(operator, signer):
    token = signer.token
    stored = ApiToken.objects.get(digest=ApiToken.digest_of(token))
    response = operator.post(f"/admin/orgs/apitoken/{stored.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert ApiClient(token).get("/letters").status_code == 401


def test_a_member_who_is_not_staff_cannot_reach_the_token_admin(signer):
    response = signer.web.get("/admin/orgs/apitoken/add/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_who_are_not_superusers_cannot_make_tokens(signer):
    from django.contrib.auth.models import Permission

    staff = get_user_model().objects.create_user("stan", "stan@example.org", "correct horse 42", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["add_apitoken", "view_apitoken"]))
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/orgs/apitoken/").status_code == 200  # may see the list
    assert client.get("/admin/orgs/apitoken/add/").status_code == 403
    assert client.post("/admin/orgs/apitoken/add/", {"user": signer.user.pk}).status_code == 403
    assert ApiToken.objects.filter(user=signer.user).count() == 1  # only the persona's own
