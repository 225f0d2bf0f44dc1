"""Who supports a text now, from its participants' events: pure functions over plain data.

A State supports a text from its first supporting event (signed, joined, main sponsor,
co-sponsor) until it withdraws, and again if it joins once more. Events are taken in date order;
on one date support comes before withdrawal; an undated support counts as before every dated
event (a source listed the State without saying when, so it was there by then) and an undated
withdrawal as after them.
"""

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from register.vocabulary import SUPPORT_EVENTS, WITHDREW

_EARLIEST = datetime.date.min
_LATEST = datetime.date.max


class Event(NamedTuple):
    country: str
    event: str
    date: datetime.date | None
    where: object = None  # whatever locates it for an error message (a file and line)


def _order(event: Event) -> tuple:
    withdrawal = event.event == WITHDREW
    when = event.date or (_LATEST if withdrawal else _EARLIEST)
    return (when, withdrawal)


def replay(events: Iterable[Event]) -> tuple[frozenset[str], list[Event]]:
    """The States supporting the text after its events, and the withdrawals by a State that
    was not supporting it at the time (which the register refuses)."""
    live: set[str] = set()
    refused: list[Event] = []
    for event in sorted(events, key=_order):
        if event.event == WITHDREW:
            if event.country in live:
                live.discard(event.country)
            else:
                refused.append(event)
        elif event.event in SUPPORT_EVENTS:
            live.add(event.country)
    return frozenset(live), refused


def live_supporters(events: Iterable[Event]) -> frozenset[str]:
    return replay(events)[0]


def live_on(events: Iterable[Event], day: datetime.date) -> frozenset[str]:
    """The States known to support the text on `day`: events dated on or before it. An undated
    event is left out, since no source says it had happened by then."""
    return live_supporters(event for event in events if event.date is not None and event.date <= day)
