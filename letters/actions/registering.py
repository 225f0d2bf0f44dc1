"""Keeping this platform's letters in step with the register (register.platform), inside the
transaction of each event of a letter, so that the register never says what the log does not.

A letter's supporting States are the organisations of kind State or observer State whose
country the register knows; the proven count is how many distinct countries have a live
signature. Before publication the register shows that count alone; from publication on, the
names too (register.platform decides what the public may know).
"""

import datetime
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.db.models import Min

from core import sql
from letters import states
from letters.models import Invitation, Letter, Signature, Version
from orgs.models import KIND_OBSERVER, KIND_STATE, Organisation
from register import platform
from register import vocabulary as register_words
from register.models import Country

STATE_KINDS = (KIND_STATE, KIND_OBSERVER)


def keep_in_register(letter: Letter) -> None:
    """Bring the letter's text in the register in step with the letter as it now stands (its
    status already changed, its events already appended)."""
    published = letter.status == states.PUBLISHED
    signatures = _state_signatures(letter)
    platform.record_letter(
        handle=letter.handle,
        status=letter.status,
        circulated_on=_circulated_on(letter),
        counts=_live_counts_by_version(signatures),
        source=public_page(letter.handle),
        title=_current_title(letter) if published else "",
        lead=_penholder_country(letter) if published else None,
        signatories=_signatories(signatures) if published else (),
    )


def keep_counts_in_register(letters: Iterable[Letter]) -> None:
    """After a batch of signatures: the proven counts of the batch's letters, in two statements
    however many letters and signatures the batch holds (the signing path's fixed cost). A late
    signature on a published letter also adds a name, which takes the whole letter's sync: a
    few statements for each published letter of the batch, never one per signature."""
    letters = list(letters)
    if not letters:
        return
    counted = dict(sql.fetch_all(_live_state_counts_sql().format(ids=sql.in_list(letters)), [x.id for x in letters]))
    platform.set_proven_counts({letter.handle: counted.get(letter.id, 0) for letter in letters})
    for letter in letters:
        if letter.status == states.PUBLISHED:
            keep_in_register(letter)


def public_page(handle: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/p/{handle}"


def _state_signatures(letter: Letter) -> list[tuple]:
    """(country, version number, signed at, late, withdrawn at, replaced at) of every signature,
    live or not, of the States the register knows, in the order they were made."""
    known = Country.objects.values("iso3")
    return list(
        Signature.objects.filter(
            letter=letter, organisation__kind__in=STATE_KINDS, organisation__country__in=known
        ).values_list("organisation__country", "version__number", "signed_at", "late", "withdrawn_at", "replaced_at")
    )


def _live_counts_by_version(signatures: list[tuple]) -> dict[int, int]:
    """{version: distinct countries whose latest live signature is on it}: a country signing
    through two organisations counts once."""
    latest: dict[str, int] = {}
    for country, version, _signed_at, _late, withdrawn_at, replaced_at in signatures:
        if withdrawn_at is None and replaced_at is None:
            latest[country] = version
    counts: dict[int, int] = {}
    for version in latest.values():
        counts[version] = counts.get(version, 0) + 1
    return counts


def _signatories(signatures: list[tuple]) -> list[platform.Signatory]:
    """Each signature as `signed` (or `joined` when it came after delivery) on its day, and each
    withdrawal on its day. A re-confirmation on a newer version is a signature of its own."""
    found = []
    for country, _version, signed_at, late, withdrawn_at, _replaced_at in signatures:
        event = register_words.JOINED if late else register_words.SIGNED
        found.append(platform.Signatory(country, event, _day(signed_at)))
        if withdrawn_at is not None:
            found.append(platform.Signatory(country, register_words.WITHDREW, _day(withdrawn_at)))
    return found


def _day(moment: datetime.datetime) -> datetime.date:
    """The day in UTC, as the log dates its events."""
    return moment.astimezone(datetime.UTC).date()


def _circulated_on(letter: Letter) -> datetime.date | None:
    """The day of the first circulation: the first invitations are made by it."""
    first = Invitation.objects.filter(letter=letter).aggregate(first=Min("invited_at"))["first"]
    return _day(first) if first else None


def _current_title(letter: Letter) -> str:
    return Version.objects.filter(letter=letter, number=letter.current_version).values_list("title", flat=True).get()


def _penholder_country(letter: Letter) -> str | None:
    """The penholder's State, when the penholder is a State the register knows."""
    country = (
        Organisation.objects.filter(
            pk=letter.penholder_id, kind__in=STATE_KINDS, country__in=Country.objects.values("iso3")
        )
        .values_list("country", flat=True)
        .first()
    )
    return country or None


@cache
def _live_state_counts_sql() -> str:
    """(letter id, distinct countries with a live signature) for the letters {ids}; a letter
    without one has no row."""
    letter_id, country = sql.column(Signature, "letter_id", "s"), sql.column(Organisation, "country", "o")
    return (
        f"SELECT {letter_id}, COUNT(DISTINCT {country}) FROM {sql.table(Signature, 's')}"  # noqa: S608
        f" JOIN {sql.table(Organisation, 'o')}"
        f" ON {sql.column(Organisation, 'id', 'o')} = {sql.column(Signature, 'organisation_id', 's')}"
        f" JOIN {sql.table(Country, 'c')} ON {sql.column(Country, 'iso3', 'c')} = {country}"
        f" WHERE {letter_id} IN ({{ids}})"
        f" AND {sql.column(Signature, 'withdrawn_at', 's')} IS NULL"
        f" AND {sql.column(Signature, 'replaced_at', 's')} IS NULL"
        f" AND {sql.column(Organisation, 'kind', 'o')} IN ('{KIND_STATE}', '{KIND_OBSERVER}')"
        f" GROUP BY {letter_id}"
    )
