"""Every statement of orgs written by hand, in one module: a person's memberships with their
organisations, read on every signed-in request (orgs/actors.py), and an organisation by slug or
id, read by every action that names one.

Plain SQL for the reasons core/sql.py gives; table and column names come from the models'
_meta, and each statement's text is built once, on first use (as in letters/rows.py). Nothing of a
request ever enters a statement's text, only its parameters (hence each noqa: S608).
"""

from functools import cache

from core import sql
from orgs.models import Member, Organisation

# The columns of an organisation that actions use; created_at loads on first use.
ORGANISATION_FIELDS = (
    "id",
    "slug",
    "kind",
    "name",
    "country",
    "regional_group",
    "email",
    "public_key",
    "encrypted_seed",
    "key_log_index",
)


def organisation_from(row) -> Organisation:
    """An Organisation from a row of ORGANISATION_FIELDS."""
    return sql.as_model(Organisation, dict(zip(ORGANISATION_FIELDS, row, strict=True)))


# ---------------------------------------------------------------- memberships


def memberships_of(user_id) -> list[tuple]:
    """(role, *ORGANISATION_FIELDS) for each of the user's memberships: one statement."""
    return sql.fetch_all(_memberships_sql(), [user_id])


@cache
def _memberships_sql() -> str:
    m = "m"
    return (
        f"SELECT {membership_columns()} FROM {sql.table(Member, m)}{_organisation_join('JOIN')}"  # noqa: S608
        f" WHERE {sql.column(Member, 'user_id', m)} = %s"
    )


def membership_columns() -> str:
    """The columns of a membership row, (role, *ORGANISATION_FIELDS), for a statement that joins
    the member table as ``m`` and the organisation table as ``o``."""
    return f"{sql.column(Member, 'role', 'm')}, {sql.columns(Organisation, ORGANISATION_FIELDS, 'o')}"


def membership_joins(user_id_column: str) -> str:
    """LEFT JOINs from a user's id column to their memberships (``m``) and organisations (``o``):
    a user without any still gives one row, of NULLs."""
    on_user = f"{sql.column(Member, 'user_id', 'm')} = {user_id_column}"
    return f" LEFT JOIN {sql.table(Member, 'm')} ON {on_user}{_organisation_join('LEFT JOIN')}"


def _organisation_join(join: str) -> str:
    return (
        f" {join} {sql.table(Organisation, 'o')}"
        f" ON {sql.column(Organisation, 'id', 'o')} = {sql.column(Member, 'organisation_id', 'm')}"
    )


# ---------------------------------------------------------------- organisations


def organisation_where(field: str, value) -> Organisation | None:
    """The organisation whose ``field`` (id or slug: a name from the code, never from a request,
    since it becomes part of the SQL) has the value, or None."""
    if field not in ("id", "slug"):
        raise ValueError(f"no lookup of organisations by {field!r}")
    row = sql.fetch_one(_organisation_sql(field), [value])
    return None if row is None else organisation_from(row)


@cache
def _organisation_sql(field: str) -> str:
    return (
        f"SELECT {sql.columns(Organisation, ORGANISATION_FIELDS)} FROM {sql.table(Organisation)}"  # noqa: S608
        f" WHERE {sql.column(Organisation, field)} = %s"
    )
