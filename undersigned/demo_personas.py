"""The demo's personas: one login per role worth trying (penholder, signer, invited-not-signed,
viewer, outsider, addressee) and the operator, with passwords generated for this instance."""

import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from core.secrets import instance_secret
from orgs.actions import add_member
from orgs.models import ROLE_DRAFTER, ROLE_SIGNER, ROLE_VIEWER


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    email: str
    organisation: str  # slug; empty for the operator
    role: str  # drafter, signer, viewer, or "operator"
    tries: str


# (username, organisation slug, role, what they can try)
PERSONAS = [
    (
        "chn-drafter",
        "chn",
        ROLE_DRAFTER,
        "penholder of the 2022 letter: both versions and their diff, who signed which version, who did not "
        "re-confirm, the withdrawal, the delivery and its acknowledgement, the bundle; draft a new letter",
    ),
    (
        "pak-signer",
        "pak",
        ROLE_SIGNER,
        "signed version 1 of the 2022 letter and re-confirmed on version 2; sees counts but no other names; "
        "withdraw (recorded as late, after delivery); also signed the 2019 counter-letter",
    ),
    (
        "bra-signer",
        "bra",
        ROLE_SIGNER,
        "invited to the 2022 letter but did not sign: read both versions and the diff, see the counts; "
        "signing now is recorded as late",
    ),
    (
        "pak-viewer",
        "pak",
        ROLE_VIEWER,
        "viewer at an invited mission: reads the 2022 letter and its counts, cannot sign",
    ),
    (
        "usa-signer",
        "usa",
        ROLE_SIGNER,
        "outsider, never invited: the 2022 letter does not exist for them (not found); its public page "
        "shows counts and times only",
    ),
    (
        "ohchr-signer",
        "ohchr",
        ROLE_SIGNER,
        "addressee of the 2022 letter: the delivered text and list, the acknowledgement of 1 August 2022",
    ),
]
OPERATOR = ("operator", "operator for /admin/ (Django superuser)")


def _password_for(username: str) -> tuple[str, bool]:
    """This instance's demo password for a persona, and whether it was just generated.

    Demo passwords are printed, so they must be worthless anywhere else: they are generated once
    per instance (kept under VAR_DIR, mode 0600, like the other instance secrets) rather than
    fixed in the source, so a demo left reachable on a network is not open to anyone who has read
    this repository."""
    name = f"demo_password_{username}"
    fresh = not (Path(settings.VAR_DIR) / name).exists()
    return instance_secret(settings.VAR_DIR, name, _new_password), fresh


def _new_password() -> str:
    return secrets.token_urlsafe(12)


def _email(username: str) -> str:
    return f"{username}@example.org"


def make_personas() -> list[Login]:
    users = get_user_model().objects
    wanted = list(PERSONAS)
    wanted.append((OPERATOR[0], "", "operator", OPERATOR[1]))
    passwords = {username: _password_for(username) for username, *_ in wanted}
    existing = set(users.filter(username__in=passwords).values_list("username", flat=True))
    # A password is hashed only for a new persona, or when the database outlived the file that
    # holds its password. Hashing is slow on purpose; the hashes are computed side by side.
    to_hash = [name for name, (_, fresh) in passwords.items() if name not in existing or fresh]
    with ThreadPoolExecutor(max_workers=4) as pool:
        hashes = dict(zip(to_hash, pool.map(lambda name: make_password(passwords[name][0]), to_hash), strict=True))
    logins = []
    for username, slug, role, tries in wanted:
        if slug:
            add_member(username, slug, role, email=_email(username))
        elif username not in existing:
            users.create_superuser(username, _email(username), None)
        user = users.get(username=username)
        if username in hashes or (not slug and not user.is_superuser):
            user.password = hashes.get(username, user.password)
            if not slug:
                user.is_staff = user.is_superuser = True
            user.save()
        logins.append(Login(username, passwords[username][0], _email(username), slug, role, tries))
    return logins
