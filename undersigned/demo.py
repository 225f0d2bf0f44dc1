"""Demo data: the 2022 letter of the story, the two real joint letters of July 2019, and personas.

`load()` builds everything through the same actions the site uses (letters.actions,
orgs.actions), passing each event's historical date with `at=`, so the log tells the story with
its real dates where they are known. It is idempotent: a demo letter that already exists (found
by its penholder and the title of its first version) is not loaded again, and the personas are
found rather than made twice. Everything is loaded in one transaction: a failed load leaves
nothing behind, and the log is integrated once, when it commits.

What is real and what is not:
- The 2019 letters: real signatories and dates from core/data/letters_2019.csv. The texts
  are summaries written for the demo, not the original wording. Which State coordinated each
  letter is not on record here; the demo makes the first State of each published list the
  penholder. Circulation, closing and publication times are set for the demo.
- The 2022 letter: the texts are illustrative, written around the passages Reuters quoted. The
  real list of signatories was never published; the 40 States signing it here are illustrative,
  chosen among States that supported China's position on Xinjiang in the 2019 counter-letter.
"""

import csv
import datetime
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from core import datafiles
from core.secrets import instance_secret
from letters import actions, notify
from letters.models import Letter, Version
from orgs.actions import add_member, add_organisation, import_un_states, mission_slug
from orgs.models import KIND_UN_OFFICE, ROLE_DRAFTER, ROLE_SIGNER, ROLE_VIEWER, Organisation
from undersigned.demo_register import load_register
from undersigned.demo_texts import (
    COUNTER_2019,
    COUNTER_2019_BODY,
    COUNTER_2019_TITLE,
    ILLUSTRATIVE_NAMES,
    INVITED_GROUPS_2022,
    LETTER_2019,
    LETTER_2019_BODY,
    LETTER_2019_TITLE,
    LETTER_2022_TITLE,
    LETTER_2022_V1,
    LETTER_2022_V2,
    MESSAGE_2019,
    MESSAGE_2022,
    MESSAGE_COUNTER_2019,
    NOTE_2019,
    NOTE_2022_V1,
    NOTE_2022_V2,
    NOTE_COUNTER_2019,
    SIGNED_V1_AND_RECONFIRMED,
    SIGNED_V1_ONLY,
    SIGNED_V2_ONLY,
    WITHDREW_2022,
)

DATA_DIR = datafiles.DATA_DIR
GENEVA = ZoneInfo("Europe/Zurich")


def geneva(year, month, day, hour=12, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=GENEVA)


def _minutes_after(start: datetime.datetime, n: int, step: int = 3) -> datetime.datetime:
    return start + datetime.timedelta(minutes=n * step)


# ---------------------------------------------------------------- personas


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


def _make_personas() -> list[Login]:
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


# ---------------------------------------------------------------- the 2022 letter (illustrative)

LETTER_2019_PUBLISHED = geneva(2019, 7, 10, 12)  # the list was public through the press within days
COUNTER_2019_PUBLISHED = geneva(2019, 8, 1, 12)  # illustrative: after the last known change
YEMEN_RECORDED = geneva(2019, 8, 1, 11)  # not a real date, see MESSAGE_COUNTER_2019


def _rows_2019() -> list[dict]:
    with open(DATA_DIR / "letters_2019.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------- loading


class _Loader:
    """The people who act in the demo's history: the personas, and a made-up focal point for each
    other mission that drafts or signs."""

    def __init__(self):
        self.users = {}

    def user(self, username: str):
        if username not in self.users:
            self.users[username] = get_user_model().objects.get(username=username)
        return self.users[username]

    def signer(self, slug: str):
        return self._person(slug, ROLE_SIGNER)

    def drafter(self, slug: str):
        return self._person(slug, ROLE_DRAFTER)

    def _person(self, slug: str, role: str):
        """The organisation's persona with this role, or else its made-up member "<role>-<slug>"."""
        persona = next((p[0] for p in PERSONAS if p[1] == slug and p[2] == role), None)
        if persona:
            return self.user(persona)
        username = f"{role}-{slug}"
        if username not in self.users:
            # Only personas get passwords; these people exist so that their mission can act.
            self.users[username] = add_member(username, slug, role).user
        return self.users[username]

    def sign(self, letter: Letter, slug: str, at) -> None:
        version = letter.versions.get(number=Letter.objects.get(pk=letter.pk).current_version)
        actions.sign(
            self.signer(slug), letter.id, version=version.number, version_hash=version.hash, organisation=slug, at=at
        )

    def withdraw(self, letter: Letter, slug: str, reason: str, at) -> None:
        actions.withdraw(self.signer(slug), letter.id, reason=reason, organisation=slug, at=at)

    def deliver(self, drafter, letter: Letter, at):
        current = Letter.objects.get(pk=letter.pk).current_version
        return actions.deliver(drafter, letter.id, version=current, at=at).object


def find_letter(penholder: str, title: str) -> Letter | None:
    """The demo letter with this penholder and first-version title, if it was loaded."""
    version = (
        Version.objects.filter(number=1, title=title, letter__penholder__slug=penholder)
        .select_related("letter")
        .order_by("letter_id")
        .first()
    )
    return version.letter if version else None


DEMO_LETTERS = [("chn", LETTER_2022_TITLE), ("aus", LETTER_2019_TITLE), ("dza", COUNTER_2019_TITLE)]


def load() -> list[Login]:
    """Load the demo organisations, personas and letters (once); return the persona logins."""
    # History is loaded, not lived: nobody is mailed about events of 2019 and 2022.
    with notify.suppressed(), transaction.atomic():
        registered = geneva(2019, 7, 1, 9)
        import_un_states(DATA_DIR / "un_states.csv", at=registered)
        add_organisation("hrc-president", "President of the Human Rights Council", KIND_UN_OFFICE, at=registered)
        logins = _make_personas()
        loader = _Loader()
        if find_letter("aus", LETTER_2019_TITLE) is None:
            _load_letter_2019(loader)
        if find_letter("dza", COUNTER_2019_TITLE) is None:
            _load_counter_2019(loader)
        if find_letter("chn", LETTER_2022_TITLE) is None:
            _load_letter_2022(loader)
        letter_2022 = find_letter("chn", LETTER_2022_TITLE)
        load_register(letter_2022.handle if letter_2022 else None)
    return logins


def _load_letter_2019(loader: _Loader) -> None:
    rows = [r for r in _rows_2019() if r["letter"] == LETTER_2019]
    slugs = [mission_slug(r["iso3"]) for r in rows]
    penholder = slugs[0]
    drafter = loader.drafter(penholder)
    day = datetime.date.fromisoformat(rows[0]["date"])
    start = geneva(day.year, day.month, day.day, 8)
    letter = actions.create_letter(
        drafter,
        title=LETTER_2019_TITLE,
        addressee="hrc-president",
        body=LETTER_2019_BODY,
        note=NOTE_2019,
        penholder=penholder,
        at=start,
    ).object
    actions.circulate(
        drafter,
        letter.id,
        invitees=slugs[1:],
        message=MESSAGE_2019,
        names_visible_to="invitees",
        at=start + datetime.timedelta(minutes=30),
    )
    for n, row in enumerate(rows):
        loader.sign(letter, mission_slug(row["iso3"]), _minutes_after(start + datetime.timedelta(hours=1), n))
    actions.close(drafter, letter.id, at=geneva(day.year, day.month, day.day, 16))
    loader.deliver(drafter, letter, geneva(day.year, day.month, day.day, 17))
    actions.publish(drafter, letter.id, at=LETTER_2019_PUBLISHED)


def _load_counter_2019(loader: _Loader) -> None:
    rows = [r for r in _rows_2019() if r["letter"] == COUNTER_2019]
    first = [r for r in rows if r["event"] == "signed" and r["date"] == "2019-07-12"]
    withdrawals = [r for r in rows if r["event"] == "withdrew"]
    joined = [r for r in rows if r["event"] == "signed" and r["date"] not in ("", "2019-07-12")]
    undated = [r for r in rows if r["event"] == "signed" and not r["date"]]
    penholder = mission_slug(first[0]["iso3"])
    drafter = loader.drafter(penholder)
    start = geneva(2019, 7, 12, 8)
    letter = actions.create_letter(
        drafter,
        title=COUNTER_2019_TITLE,
        addressee="hrc-president",
        body=COUNTER_2019_BODY,
        note=NOTE_COUNTER_2019,
        penholder=penholder,
        at=start,
    ).object
    everyone = [mission_slug(r["iso3"]) for r in rows if r["event"] == "signed"]
    actions.circulate(
        drafter,
        letter.id,
        invitees=[s for s in everyone if s != penholder],
        message=MESSAGE_COUNTER_2019,
        names_visible_to="invitees",
        at=start + datetime.timedelta(minutes=30),
    )
    for n, row in enumerate(first):
        loader.sign(letter, mission_slug(row["iso3"]), _minutes_after(start + datetime.timedelta(hours=1), n))
    actions.close(drafter, letter.id, at=geneva(2019, 7, 12, 16))
    loader.deliver(drafter, letter, geneva(2019, 7, 12, 17))
    for row in withdrawals:
        day = datetime.date.fromisoformat(row["date"])
        loader.withdraw(
            letter,
            mission_slug(row["iso3"]),
            f"As reported: {row['source']}.",
            geneva(day.year, day.month, day.day, 12),
        )
    for n, row in enumerate(joined):
        day = datetime.date.fromisoformat(row["date"])
        loader.sign(letter, mission_slug(row["iso3"]), _minutes_after(geneva(day.year, day.month, day.day, 10), n))
    last_day = max(datetime.date.fromisoformat(r["date"]) for r in joined)
    loader.deliver(drafter, letter, geneva(last_day.year, last_day.month, last_day.day, 17))  # the addendum
    for row in undated:
        loader.sign(letter, mission_slug(row["iso3"]), YEMEN_RECORDED)
    actions.publish(drafter, letter.id, at=COUNTER_2019_PUBLISHED)


def _load_letter_2022(loader: _Loader) -> None:
    drafter = loader.drafter("chn")
    letter = actions.create_letter(
        drafter,
        title=LETTER_2022_TITLE,
        addressee="ohchr",
        body=LETTER_2022_V1,
        note=NOTE_2022_V1,
        penholder="chn",
        at=geneva(2022, 6, 21, 15),
    ).object
    invitees = [f"group:{group}" for group in INVITED_GROUPS_2022]
    invitees += SIGNED_V1_AND_RECONFIRMED + SIGNED_V1_ONLY + SIGNED_V2_ONLY
    actions.circulate(
        drafter,
        letter.id,
        invitees=invitees,
        deadline=geneva(2022, 7, 8, 18),
        message=MESSAGE_2022,
        names_visible_to="penholder",
        at=geneva(2022, 6, 24, 10),
    )
    # Version 1: thirty signatures over the first week.
    for n, slug in enumerate(SIGNED_V1_AND_RECONFIRMED + SIGNED_V1_ONLY):
        loader.sign(letter, slug, geneva(2022, 6, 24 + n // 6, 11) + datetime.timedelta(minutes=37 * (n % 6)))
    actions.add_version(
        drafter, letter.id, body=LETTER_2022_V2, note=NOTE_2022_V2, base_version=1, at=geneva(2022, 6, 30, 16)
    )
    # Version 2: re-confirmations and new signatures over the second week, then one withdrawal,
    # recorded in the order they happened.
    steps = [
        (geneva(2022, 7, 1 + n // 6, 10) + datetime.timedelta(minutes=41 * (n % 6)), "sign", slug)
        for n, slug in enumerate(SIGNED_V1_AND_RECONFIRMED)
    ]
    steps += [
        (geneva(2022, 7, 1 + n // 3, 15) + datetime.timedelta(minutes=43 * (n % 3)), "sign", slug)
        for n, slug in enumerate(SIGNED_V2_ONLY)
    ]
    steps.append((geneva(2022, 7, 7, 11), "withdraw", WITHDREW_2022))
    for at, step, slug in sorted(steps):
        if step == "sign":
            loader.sign(letter, slug, at)
        else:
            loader.withdraw(letter, slug, "Illustrative: instructions from the capital not to join the letter.", at)
    actions.close(drafter, letter.id, at=geneva(2022, 7, 8, 18))
    delivery = loader.deliver(drafter, letter, geneva(2022, 7, 15, 10))
    addressee = loader.user(next(p[0] for p in PERSONAS if p[1] == "ohchr"))
    actions.acknowledge(addressee, delivery.id, at=geneva(2022, 8, 1, 11))


# ---------------------------------------------------------------- what to open


def describe(logins: list[Login], port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    lines = [f"Undersigned demo: open {base}/ (sign in at {base}/login/)", "", "Letters:"]
    letters = {
        "chn": (
            "2022, illustrative: joint letter to the High Commissioner urging her not to publish the "
            "Xinjiang assessment; penholder China; 2 versions (harsher, then softer); 40 live signatures "
            "on version 2, 4 left on version 1, 1 withdrawal; delivered 15 July 2022, acknowledged "
            "1 August 2022; names visible to the penholder only (and to the addressee, who received "
            "the list). " + ILLUSTRATIVE_NAMES
        ),
        "aus": (
            "2019, real signatories: letter of 22 States of 8 July 2019 to the HRC President and the "
            "High Commissioner; penholder Australia (chosen for the demo); delivered and published. "
            "Text is a summary, not the original wording; circulation and publication times are set for "
            "the demo."
        ),
        "dza": (
            "2019, real signatories: counter-letter of 12 July 2019; penholder Algeria (chosen for the "
            "demo); 37 delivered on 12 July, Qatar withdrew on 18 July, 13 joined on 26 July (addendum), "
            "Yemen with no sourced date (in A/HRC/41/G/17; its recorded time is not a real date); 50 States; "
            "published. Text is a summary, not the original wording."
        ),
    }
    for penholder, title in DEMO_LETTERS:
        letter = find_letter(penholder, title)
        where = f"{base}/p/{letter.handle}" if letter else "(not loaded)"
        lines.append(f"  - {letters[penholder]}")
        lines.append(f"    public page: {where}")
    lines += [
        "",
        "Logins (demo-only passwords, generated for this instance and kept under "
        f"{settings.VAR_DIR}; never use them anywhere else):",
    ]
    slugs = [login.organisation for login in logins]
    names = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "name"))
    width = max(len(login.username) for login in logins)
    pwidth = max(len(login.password) for login in logins)
    for login in logins:
        where = (
            f"{names.get(login.organisation, login.organisation)} ({login.role})"
            if login.organisation
            else f"{base}/admin/"
        )
        lines.append(f"  {login.username:<{width}}  {login.password:<{pwidth}}  {login.email}  {where}")
        lines.append(f"  {'':<{width}}  {login.tries}")
    return "\n".join(lines)
