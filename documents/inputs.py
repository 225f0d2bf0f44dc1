"""Reading the numbers a request names, the same way for a letter as for a report."""


def is_whole_number(value) -> bool:
    """An int, and not a bool (which Python counts as one): JSON true is not version 1."""
    return isinstance(value, int) and not isinstance(value, bool)


def row_id(value) -> int | None:
    """A primary key from a URL or the command line, or None for anything no row can have."""
    if isinstance(value, str) and value.isdecimal():
        value = int(value)
    if is_whole_number(value) and 0 < value < 2**63:
        return value
    return None
