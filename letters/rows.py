"""Every statement of letters written by hand, in one module.

Signing runs hundreds of times a second, and the ORM spends longer compiling a query than the
database spends running it (core/sql.py); so the signing path's reads and writes, and the
lookups every request makes (roles, organisations, invitations), are plain SQL. Their table
and column names come from the models' _meta, quoted by the database's own rules, so a renamed
field or table changes them too. Each statement's text is built once, on first use (quoting
needs the database connection's vendor), and only its placeholders are filled in per call.
"""

from functools import cache

from django.db import connection

from core import sql
from letters.models import Invitation, Letter, Signature, Version
from orgs.models import Member, Organisation

# The columns of a letter an action reads; the rest (dates, message) load on first use.
LETTER_FIELDS = ("id", "handle", "penholder_id", "addressee_id", "status", "language", "names_visible_to",
                 "current_version", "created_by_id", "request_digest")
# The columns of an organisation that actions use; created_at loads on first use.
ORGANISATION_FIELDS = ("id", "slug", "kind", "name", "country", "regional_group", "email", "public_key",
                       "encrypted_seed", "key_log_index")

# ---------------------------------------------------------------- letters and their current versions


def lock_letters(letter_ids: list[int]) -> dict[int, Letter]:
    """The letters, locked in id order, each with its current version as ``letter.current``.

    The versions are read by a second statement, after the locks are held. On PostgreSQL a
    locking select that waited for another transaction re-checks only the locked rows against
    what committed meanwhile: joined to the version row it had read before waiting, a letter
    that has just gained a version would drop out of the answer and look deleted."""
    placeholders = sql.in_list(letter_ids)
    rows = sql.fetch_all(_lock_letters_sql().format(ids=placeholders), letter_ids)
    letters = {letter.id: letter for letter in (sql.as_model(Letter, dict(zip(LETTER_FIELDS, row))) for row in rows)}
    for letter_id, version_id, version_hash in sql.fetch_all(_current_versions_sql().format(ids=placeholders),
                                                             letter_ids):
        letter = letters[letter_id]
        # The current version's number and hash (its text loads only if asked for).
        letter.current = sql.as_model(Version, {"id": version_id, "letter_id": letter_id,
                                                "number": letter.current_version, "hash": version_hash})
    return letters


@cache
def _lock_letters_sql() -> str:
    letter_id = sql.column(Letter, "id")
    return (f"SELECT {sql.columns(Letter, LETTER_FIELDS)} FROM {sql.table(Letter)}"
            f" WHERE {letter_id} IN ({{ids}}) ORDER BY {letter_id}{sql.for_update()}")


@cache
def _current_versions_sql() -> str:
    v, l = "v", "l"
    return (f"SELECT {sql.columns(Version, ['letter_id', 'id', 'hash'], v)}"
            f" FROM {sql.table(Version, v)} JOIN {sql.table(Letter, l)}"
            f" ON {sql.column(Letter, 'id', l)} = {sql.column(Version, 'letter_id', v)}"
            f" AND {sql.column(Version, 'number', v)} = {sql.column(Letter, 'current_version', l)}"
            f" WHERE {sql.column(Letter, 'id', l)} IN ({{ids}})")


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
    return (f"SELECT {sql.columns(Signature, ['letter_id', 'organisation_id', 'id', 'log_index'], s)},"
            f" {sql.columns(Version, ['number', 'hash'], v)}"
            f" FROM {sql.table(Signature, s)} JOIN {sql.table(Version, v)}"
            f" ON {sql.column(Version, 'id', v)} = {sql.column(Signature, 'version_id', s)}"
            f" WHERE {sql.column(Signature, 'letter_id', s)} IN ({{letters}})"
            f" AND {sql.column(Signature, 'organisation_id', s)} IN ({{organisations}})"
            f" AND {sql.column(Signature, 'withdrawn_at', s)} IS NULL"
            f" AND {sql.column(Signature, 'replaced_at', s)} IS NULL")


# The columns a new signature row is given (the rest keep their defaults: NULL).
_NEW_SIGNATURE_FIELDS = ("letter_id", "organisation_id", "version_id", "signed_by_id", "signed_at", "late",
                         "log_index", "withdrawal_reason", "withdrawal_late")


def insert_signatures(rows: list[tuple]) -> dict[int, int]:
    """Insert signature rows of (letter id, organisation id, version id, signer's user id, signed
    at, late, log index), all in one statement; return {log index: new signature id}."""
    return dict(sql.fetch_all(
        _insert_signatures_sql() + ", ".join([_NEW_SIGNATURE_VALUES] * len(rows)) + _returning_ids_sql(),
        [value for (letter_id, organisation_id, version_id, user_id, at, late, log_index) in rows
         for value in (letter_id, organisation_id, version_id, user_id,
                       connection.ops.adapt_datetimefield_value(at), late, log_index, False)],
    ))


# No withdrawal reason yet (''); withdrawal_late is the last parameter.
_NEW_SIGNATURE_VALUES = "(%s, %s, %s, %s, %s, %s, %s, '', %s)"


@cache
def _insert_signatures_sql() -> str:
    return f"INSERT INTO {sql.table(Signature)} ({sql.columns(Signature, _NEW_SIGNATURE_FIELDS)}) VALUES "


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
    return (f"UPDATE {sql.table(Signature)} SET {sql.column(Signature, field)} = %s"
            f" WHERE {sql.column(Signature, 'id')} = %s")


# ---------------------------------------------------------------- invitations


def invitations_among(letter_ids: list[int], organisation_ids: list[int]) -> list[tuple[int, int]]:
    """(letter id, organisation id) of each invitation of these organisations to these letters."""
    return sql.fetch_all(
        _invitations_sql().format(letters=sql.in_list(letter_ids), organisations=sql.in_list(organisation_ids)),
        [*letter_ids, *organisation_ids],
    )


@cache
def _invitations_sql() -> str:
    return (f"SELECT {sql.columns(Invitation, ['letter_id', 'organisation_id'])} FROM {sql.table(Invitation)}"
            f" WHERE {sql.column(Invitation, 'letter_id')} IN ({{letters}})"
            f" AND {sql.column(Invitation, 'organisation_id')} IN ({{organisations}})")


# ---------------------------------------------------------------- roles and organisations


def roles_of(user_id: int) -> list[tuple[int, str]]:
    """(organisation id, role) of each of the user's memberships."""
    return sql.fetch_all(_roles_sql(), [user_id])


@cache
def _roles_sql() -> str:
    return (f"SELECT {sql.columns(Member, ['organisation_id', 'role'])} FROM {sql.table(Member)}"
            f" WHERE {sql.column(Member, 'user_id')} = %s")


def organisation_where(field: str, value) -> Organisation | None:
    """The organisation whose ``field`` (id or slug: a name from the code, never from a request,
    since it becomes part of the SQL) has the value, or None."""
    if field not in ("id", "slug"):
        raise ValueError(f"no lookup of organisations by {field!r}")
    row = sql.fetch_one(_organisation_sql(field), [value])
    return None if row is None else organisation_from(row)


@cache
def _organisation_sql(field: str) -> str:
    return (f"SELECT {sql.columns(Organisation, ORGANISATION_FIELDS)} FROM {sql.table(Organisation)}"
            f" WHERE {sql.column(Organisation, field)} = %s")


def organisations_by_id(ids: list[int]) -> dict[int, Organisation]:
    if not ids:
        return {}
    rows = sql.fetch_all(_organisations_sql().format(ids=sql.in_list(ids)), ids)
    return {row[0]: organisation_from(row) for row in rows}


@cache
def _organisations_sql() -> str:
    return (f"SELECT {sql.columns(Organisation, ORGANISATION_FIELDS)} FROM {sql.table(Organisation)}"
            f" WHERE {sql.column(Organisation, 'id')} IN ({{ids}})")


def organisation_from(row) -> Organisation:
    """An Organisation from a row of ORGANISATION_FIELDS."""
    return sql.as_model(Organisation, dict(zip(ORGANISATION_FIELDS, row)))
