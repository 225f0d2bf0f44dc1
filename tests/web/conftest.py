"""Fixtures for the web pages: letters in each state, made through the API as a person would."""

import os
import shutil

import pytest

from tests.conftest import LETTER, sign

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's event loop + Django's ORM

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (make system-packages installs it)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def letter(circulating):
    """A letter circulating to pak and cub, version 1."""
    return circulating


@pytest.fixture
def signed(letter, signer):
    assert sign(signer, letter).status_code == 201
    return letter


@pytest.fixture
def delivered(signed, penholder):
    response = penholder.api.post(f"/letters/{signed['id']}/deliver", {"version": 1})
    assert response.status_code == 201, response.content
    return {**signed, "delivery": response.json()}


@pytest.fixture
def published(delivered, penholder):
    assert penholder.api.post(f"/letters/{delivered['id']}/publish").status_code == 201
    return delivered


def new_version(persona, letter, body, note="Softer wording"):
    current = persona.api.get(f"/letters/{letter['id']}").json()["current_version"]
    response = persona.api.post(
        f"/letters/{letter['id']}/versions", {"body": body, "note": note, "base_version": current}
    )
    assert response.status_code == 201, response.content
    return response.json()


__all__ = ["LETTER", "new_version", "sign"]
