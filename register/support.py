"""Who supports a text now, from its participants' events: pure functions over plain data.

A State supports a text from its first supporting event (signed, joined, main sponsor,
co-sponsor) until it withdraws, and again if it joins once more. Events are taken in date order;
on one date support comes before withdrawal; an undated support counts as before every dated
event (a source listed the State without saying when, so it was there by then) and an undated
withdrawal as after them.
"""

import datetime
from collections.abc import Iterable
from typing import NamedTuple, Protocol, TypeVar

from register.vocabulary import SUPPORT_EVENTS, WITHDREW

_EARLIEST = datetime.date.min
_LATEST = datetime.date.max


class Event(NamedTuple):
    country: str
    event: str
    date: datetime.date | None
    where: object = None  # whatever locates it for an error message (a file and line)


class Happening(Protocol):
    """An Event, or anything with its three fields (the importer's participant rows)."""

    @property
    def country(self) -> str: ...
    @property
    def event(self) -> str: ...
    @property
    def date(self) -> datetime.date | None: ...


Some = TypeVar("Some", bound=Happening)


def _order(event: Happening) -> tuple:
    withdrawal = event.event == WITHDREW
    when = event.date or (_LATEST if withdrawal else _EARLIEST)
    return (when, withdrawal)


def replay(events: Iterable[Some]) -> tuple[frozenset[str], list[Some]]:
    """The States supporting the text after its events, and the withdrawals by a State that
    was not supporting it at the time (which the register refuses)."""
    live: set[str] = set()
    refused: list[Some] = []
    for event in sorted(events, key=_order):
        if event.event == WITHDREW:
            if event.country in live:
                live.discard(event.country)
            else:
                refused.append(event)
        elif event.event in SUPPORT_EVENTS:
            live.add(event.country)
    return frozenset(live), refused


def live_supporters(events: Iterable[Happening]) -> frozenset[str]:
    return replay(events)[0]


def live_on(events: Iterable[Happening], day: datetime.date) -> frozenset[str]:
    """The States known to support the text on `day`: events dated on or before it. An undated
    event is left out, since no source says it had happened by then."""
    return live_supporters(event for event in events if event.date is not None and event.date <= day)
