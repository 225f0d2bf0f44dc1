"""The story's letters, loaded through the site's own actions with their historical dates: the
two joint letters of July 2019 (real signatories, from core/data/letters_2019.csv) and the 2022
letter (illustrative). What is real and what is not: ``undersigned/demo.py``."""

import csv
import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from core import datafiles
from letters import actions
from letters.models import Letter, Version
from orgs.actions import add_member, mission_slug
from orgs.models import ROLE_DRAFTER, ROLE_SIGNER
from undersigned.demo_personas import PERSONAS
from undersigned.demo_texts import (
    COUNTER_2019,
    COUNTER_2019_BODY,
    COUNTER_2019_TITLE,
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


LETTER_2019_PUBLISHED = geneva(2019, 7, 10, 12)  # the list was public through the press within days
COUNTER_2019_PUBLISHED = geneva(2019, 8, 1, 12)  # illustrative: after the last known change
YEMEN_RECORDED = geneva(2019, 8, 1, 11)  # not a real date, see MESSAGE_COUNTER_2019


def _rows_2019() -> list[dict]:
    with open(DATA_DIR / "letters_2019.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class Loader:
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


def load_letter_2019(loader: Loader) -> None:
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


def load_counter_2019(loader: Loader) -> None:
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


def load_letter_2022(loader: Loader) -> None:
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
