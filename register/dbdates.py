"""Dates read by hand-written SQL, fast: selected as text (`columns`), parsed once per distinct
value (`from_db`).

Django's SQLite backend has sqlite3 convert every column declared `date` through its
regular-expression parser, even in a raw query, and that was most of the cost of reading
thousands of rows (bench/register.py). A cast to text has no declared type, so it comes back
as the 'YYYY-MM-DD' string on SQLite and PostgreSQL alike.
"""

import datetime

from django.db import models

from core import sql

_parsed: dict[str, datetime.date] = {}


def from_db(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    parsed = _parsed.get(value)
    if parsed is None:
        parsed = _parsed[value] = datetime.date.fromisoformat(value)
    return parsed


def required_from_db(value) -> datetime.date:
    """from_db() of a column that is never empty."""
    day = from_db(value)
    if day is None:
        raise ValueError("an empty date in a column that may not be empty")
    return day


def columns(model: type[models.Model], fields: list[str], alias: str = "") -> str:
    """sql.columns(), with each date column cast to text."""
    selected = []
    for field in fields:
        column = sql.column(model, field, alias)
        kind = model._meta.get_field(field)
        if isinstance(kind, models.DateField) and not isinstance(kind, models.DateTimeField):
            column = f"CAST({column} AS TEXT)"
        selected.append(column)
    return ", ".join(selected)
