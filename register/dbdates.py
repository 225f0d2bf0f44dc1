"""Dates as hand-written SQL returns them: text on SQLite, parsed once per distinct value
(Django's per-value converters were most of the cost of reading many rows), already dates on
PostgreSQL."""

import datetime

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
