"""Personas shared by every test: a penholder, signers, a viewer, an outsider, the addressee.

chn   — the penholder's mission: `penholder` (drafter), `penholder_signer` (signer)
pak   — invited: `signer` (signer), `viewer` (viewer)
cub   — invited: `second_signer` (signer)
usa   — never invited: `outsider` (signer and drafter)
ohchr — the addressee: `addressee` (signer)
"""

import json
import os

import pytest
from django.test import Client

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's event loop + Django's ORM


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with empty request counters and no tile cached from another test's log."""
    from django.core.cache import cache

    from record.log import DatabaseTiles

    cache.clear()
    DatabaseTiles._rows.clear()


@pytest.fixture(autouse=True)
def english_until_asked():
    """Each test starts in the site's default language: a test client request activates the
    reader's language for the thread, and would otherwise leave it to the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def stop_group_committer():
    """A test that signed outside a transaction leaves no committer thread (nor its database
    connection) to the next test, or to the test database's teardown."""
    yield
    from letters.group_commit import committer

    committer.stop()


class Persona:
    """A person with an API token and a logged-in browser session."""

    def __init__(self, user, token):
        self.user = user
        self.token = token
        self.api = ApiClient(token)
        self.web = Client()
        self.web.force_login(user)

    @property
    def username(self):
        return self.user.username


class ApiClient:
    """JSON requests to /api/v1 with a bearer token (or none, for the anonymous persona)."""

    def __init__(self, token=None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path, data=None, raw=None):
        body = raw if raw is not None else json.dumps(data or {})
        return self.client.post(f"/api/v1{path}", body, content_type="application/json", **self.headers)


def make_persona(username, memberships):
    from orgs.actions import add_member
    from orgs.models import ApiToken

    for slug, role in memberships:
        member = add_member(username, slug, role, email=f"{username}@example.org", password="correct horse 42")
    return Persona(member.user, ApiToken.issue(member.user))


@pytest.fixture
def orgs(db):
    from orgs.actions import add_organisation

    made = {}
    for slug, name, kind, country, group in [
        ("chn", "China", "state", "CHN", "Asia-Pacific States"),
        ("pak", "Pakistan", "state", "PAK", "Asia-Pacific States"),
        ("cub", "Cuba", "state", "CUB", "Latin American and Caribbean States"),
        ("usa", "United States", "state", "USA", "Western European and other States"),
        ("ohchr", "Office of the High Commissioner for Human Rights", "un_office", "", ""),
    ]:
        made[slug] = add_organisation(slug, name, kind, country, group)[0]
    return made


@pytest.fixture
def penholder(orgs):
    return make_persona("penny", [("chn", "drafter")])


@pytest.fixture
def penholder_signer(orgs):
    return make_persona("sam", [("chn", "signer")])


@pytest.fixture
def signer(orgs):
    return make_persona("sigrid", [("pak", "signer")])


@pytest.fixture
def second_signer(orgs):
    return make_persona("carlos", [("cub", "signer")])


@pytest.fixture
def viewer(orgs):
    return make_persona("vera", [("pak", "viewer")])


@pytest.fixture
def outsider(orgs):
    return make_persona("otto", [("usa", "signer"), ("usa", "drafter")])


@pytest.fixture
def addressee(orgs):
    return make_persona("ada", [("ohchr", "signer")])


@pytest.fixture
def anonymous(db):
    return ApiClient()


LETTER = {
    "title": "Joint letter on the assessment",
    "addressee": "ohchr",
    "body": "The assessment, if published, will intensify the politicization of human rights.\n\n"
    "We urge the High Commissioner not to publish such an assessment.",
    "note": "First draft for circulation",
}


@pytest.fixture
def draft(penholder):
    """A letter in draft, version 1, held by chn."""
    response = penholder.api.post("/letters", LETTER)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def circulating(draft, penholder, signer, second_signer, viewer):
    """The draft circulated to pak and cub."""
    response = penholder.api.post(f"/letters/{draft['id']}/circulate", {"invitees": ["pak", "cub"]})
    assert response.status_code == 201, response.content
    return response.json()


def sign(persona, letter, version=None):
    """Sign the letter's current version (or a given one) as it was shown to the persona."""
    shown = persona.api.get(f"/letters/{letter['id']}").json()
    number = version or shown["current_version"]
    version_hash = next(v["hash"] for v in shown["versions"] if v["number"] == number)
    return persona.api.post(f"/letters/{letter['id']}/signatures", {"version": number, "version_hash": version_hash})
