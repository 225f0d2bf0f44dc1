"""Plain SQL for the few statements that run on every signature.

Django's ORM spends about 0.2 ms compiling a simple query and 0.7 ms one with joins and a
lock (measured here); the statement itself takes about 15 µs on SQLite. Signing runs hundreds
of times a second, so its reads and writes are written out by hand, through Django's own
connection (same transaction, same logging of queries in tests); everything else keeps the ORM.
"""

from collections.abc import Iterable, Sequence, Sized
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


def fetch_one(sql: str, params: Sequence[Any] = ()) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def fetch_all(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: Sequence[Any] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def for_update(of: str = "") -> str:
    """Row lock where the database has one, on the rows of table alias ``of`` alone if given;
    SQLite has no row locks (its writers are serialised by the transaction itself, see
    undersigned/db/sqlite)."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR UPDATE OF {of}" if of else " FOR UPDATE"


def in_list(values: Sized) -> str:
    """Placeholders for an IN (...) clause of len(values) parameters."""
    return ", ".join(["%s"] * len(values))


def as_model(model: type[M], row: dict) -> M:
    """A model instance from {attname: value} (``penholder_id`` for a foreign key); the other
    fields are deferred and loaded on first use, as with ``.only()``. Only for columns whose
    database value is already the Python value (integers, text, bytes): no converters are applied."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in row]
    return model.from_db(connection.alias, names, [row[name] for name in names])


def table(model: type[Model], alias: str = "") -> str:
    """The model's table as the database names it, quoted, with an alias if given: hand-written
    SQL follows the models' _meta rather than spelling table names itself."""
    name = connection.ops.quote_name(model._meta.db_table)
    return f"{name} {alias}" if alias else name


def column(model: type[Model], field: str, alias: str = "") -> str:
    """The column of the model's field (``penholder`` or ``penholder_id``: "penholder_id"), quoted,
    prefixed by the table alias if given."""
    found = model._meta.get_field(field)
    if not isinstance(found, Field) or found.column is None:  # a reverse relation, a many-to-many
        raise ValueError(f"{model.__name__}.{field} is not a column")
    name = connection.ops.quote_name(found.column)
    return f"{alias}.{name}" if alias else name


def columns(model: type[Model], fields: Iterable[str], alias: str = "") -> str:
    """column() of each field, separated by commas."""
    return ", ".join(column(model, field, alias) for field in fields)
