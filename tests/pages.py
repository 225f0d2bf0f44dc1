"""Comparing two pages a reader was given: equal but for what differs on every answer by design."""

import re

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def same_page(one: str, other: str, one_path: str, other_path: str) -> bool:
    """Equal but for the path asked for (the language form sends the reader back to it) and the
    CSRF tokens, which are masked anew each time."""
    return CSRF_TOKEN.sub("", one.replace(one_path, "PATH")) == CSRF_TOKEN.sub("", other.replace(other_path, "PATH"))
