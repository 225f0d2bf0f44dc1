"""Every statement of letters written by hand, in one module.

Signing runs hundreds of times a second, and the ORM spends longer compiling a query than the
database spends running it (core/sql.py); so the signing path's reads and writes (letters and
their current versions, live signatures, new signatures, invitations) are plain SQL. The
statements that read people's roles and organisations are orgs' (orgs/rows.py). Table and
column names come from the models' _meta, quoted by the database's own rules, so a renamed
field or table changes them too. Each statement's text is built once, on first use (quoting
needs the database connection's vendor), and only its placeholders are filled in per call.
Nothing of a request ever enters a statement's text, only its parameters (hence each noqa: S608).
"""

from functools import cache

from django.db import connection

from core import sql
from letters.models import Invitation, Letter, Signature, Version

# The columns of a letter an action reads; the rest (dates, message) load on first use.
LETTER_FIELDS = (
    "id",
    "handle",
    "penholder_id",
    "addressee_id",
    "status",
    "language",
    "names_visible_to",
    "current_version",
    "created_by_id",
    "request_digest",
)

# ---------------------------------------------------------------- letters and their current versions


def lock_letters(letter_ids: list[int]) -> dict[int, Letter]:
    """The letters, locked in id order, each with its current version as ``letter.current``.

    The versions are read by a second statement, after the locks are held. On PostgreSQL a
    locking select that waited for another transaction re-checks only the locked rows against
    what committed meanwhile: joined to the version row it had read before waiting, a letter
    that has just gained a version would drop out of the answer and look deleted."""
    placeholders = sql.in_list(letter_ids)
    rows = sql.fetch_all(_lock_letters_sql().format(ids=placeholders), letter_ids)
    letters = {row[0]: sql.as_model(Letter, dict(zip(LETTER_FIELDS, row, strict=True))) for row in rows}
    for letter_id, version_id, version_hash in sql.fetch_all(
        _current_versions_sql().format(ids=placeholders), letter_ids
    ):
        letter = letters[letter_id]
        # The current version's number and hash (its text loads only if asked for).
        letter.current = sql.as_model(
            Version, {"id": version_id, "letter_id": letter_id, "number": letter.current_version, "hash": version_hash}
        )
    return letters


@cache
def _lock_letters_sql() -> str:
    letter_id = sql.column(Letter, "id")
    return (
        f"SELECT {sql.columns(Letter, LETTER_FIELDS)} FROM {sql.table(Letter)}"  # noqa: S608
        f" WHERE {letter_id} IN ({{ids}}) ORDER BY {letter_id}{sql.for_update()}"
    )


@cache
def _current_versions_sql() -> str:
    return (
        f"SELECT {sql.columns(Version, ['letter_id', 'id', 'hash'], 'v')}"  # noqa: S608
        f" FROM {sql.table(Version, 'v')} JOIN {sql.table(Letter, 'l')}"
        f" ON {sql.column(Letter, 'id', 'l')} = {sql.column(Version, 'letter_id', 'v')}"
        f" AND {sql.column(Version, 'number', 'v')} = {sql.column(Letter, 'current_version', 'l')}"
        f" WHERE {sql.column(Letter, 'id', 'l')} IN ({{ids}})"
    )


# ---------------------------------------------------------------- signatures


def live_signatures(letter_ids: list[int], organisation_ids: list[int]) -> list[tuple]:
    """(letter id, organisation id, signature id, log index, version number, version hash) of
    every live signature of these organisations on these letters."""
    return sql.fetch_all(
        _live_signatures_sql().format(letters=sql.in_list(letter_ids), organisations=sql.in_list(organisation_ids)),
        [*letter_ids, *organisation_ids],
    )


@cache
def _live_signatures_sql() -> str:
    s, v = "s", "v"
    return (
        f"SELECT {sql.columns(Signature, ['letter_id', 'organisation_id', 'id', 'log_index'], s)},"  # noqa: S608
        f" {sql.columns(Version, ['number', 'hash'], v)}"
        f" FROM {sql.table(Signature, s)} JOIN {sql.table(Version, v)}"
        f" ON {sql.column(Version, 'id', v)} = {sql.column(Signature, 'version_id', s)}"
        f" WHERE {sql.column(Signature, 'letter_id', s)} IN ({{letters}})"
        f" AND {sql.column(Signature, 'organisation_id', s)} IN ({{organisations}})"
        f" AND {sql.column(Signature, 'withdrawn_at', s)} IS NULL"
        f" AND {sql.column(Signature, 'replaced_at', s)} IS NULL"
    )


# The columns a new signature row is given (the rest keep their defaults: NULL).
_NEW_SIGNATURE_FIELDS = (
    "letter_id",
    "organisation_id",
    "version_id",
    "signed_by_id",
    "signed_at",
    "late",
    "log_index",
    "withdrawal_reason",
    "withdrawal_late",
)


def insert_signatures(rows: list[tuple]) -> dict[int, int]:
    """Insert signature rows of (letter id, organisation id, version id, signer's user id, signed
    at, late, log index), all in one statement; return {log index: new signature id}."""
    return dict(
        sql.fetch_all(
            _insert_signatures_sql() + ", ".join([_NEW_SIGNATURE_VALUES] * len(rows)) + _returning_ids_sql(),
            [
                value
                for (letter_id, organisation_id, version_id, user_id, at, late, log_index) in rows
                for value in (
                    letter_id,
                    organisation_id,
                    version_id,
                    user_id,
                    connection.ops.adapt_datetimefield_value(at),
                    late,
                    log_index,
                    False,
                )
            ],
        )
    )


# No withdrawal reason yet (''); withdrawal_late is the last parameter.
_NEW_SIGNATURE_VALUES = "(%s, %s, %s, %s, %s, %s, %s, '', %s)"


@cache
def _insert_signatures_sql() -> str:
    return f"INSERT INTO {sql.table(Signature)} ({sql.columns(Signature, _NEW_SIGNATURE_FIELDS)}) VALUES "  # noqa: S608


@cache
def _returning_ids_sql() -> str:
    return f" RETURNING {sql.columns(Signature, ['log_index', 'id'])}"


def mark_replaced(signature_id: int, at) -> None:
    """The signature stops being live: its organisation re-confirms on a newer version."""
    sql.execute(_update_signature_sql("replaced_at"), [connection.ops.adapt_datetimefield_value(at), signature_id])


def link_replacement(signature_id: int, replaced_by_id: int) -> None:
    sql.execute(_update_signature_sql("replaced_by_id"), [replaced_by_id, signature_id])


@cache
def _update_signature_sql(field: str) -> str:
    return (
        f"UPDATE {sql.table(Signature)} SET {sql.column(Signature, field)} = %s"  # noqa: S608
        f" WHERE {sql.column(Signature, 'id')} = %s"
    )


# ---------------------------------------------------------------- invitations


def invitations_among(letter_ids: list[int], organisation_ids: list[int]) -> list[tuple[int, int]]:
    """(letter id, organisation id) of each invitation of these organisations to these letters."""
    return sql.fetch_all(
        _invitations_sql().format(letters=sql.in_list(letter_ids), organisations=sql.in_list(organisation_ids)),
        [*letter_ids, *organisation_ids],
    )


@cache
def _invitations_sql() -> str:
    return (
        f"SELECT {sql.columns(Invitation, ['letter_id', 'organisation_id'])} FROM {sql.table(Invitation)}"  # noqa: S608
        f" WHERE {sql.column(Invitation, 'letter_id')} IN ({{letters}})"
        f" AND {sql.column(Invitation, 'organisation_id')} IN ({{organisations}})"
    )
