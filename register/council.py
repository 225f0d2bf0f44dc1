"""Who sat on the Council, and who could vote, on a given day: pure functions over terms.

A member holds its seat from `term_start` to `term_end`, both included. Its rights may be
suspended from `suspended_from` to `suspended_to` (to the term's end when that is empty): a
suspended member keeps the seat (no one else is elected to it) but has no vote.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple, Protocol


class Seat(NamedTuple):
    country: str
    regional_group: str
    term_start: datetime.date
    term_end: datetime.date
    suspended_from: datetime.date | None = None
    suspended_to: datetime.date | None = None


class Term(Protocol):
    """What a seat is to these functions: a Seat, or an importer's row of the members file."""

    @property
    def country(self) -> str: ...
    @property
    def regional_group(self) -> str: ...
    @property
    def term_start(self) -> datetime.date: ...
    @property
    def term_end(self) -> datetime.date: ...
    @property
    def suspended_from(self) -> datetime.date | None: ...
    @property
    def suspended_to(self) -> datetime.date | None: ...


def holds_seat(seat: Term, day: datetime.date) -> bool:
    return seat.term_start <= day <= seat.term_end


def has_vote(seat: Term, day: datetime.date) -> bool:
    """Whether the member could vote on `day`."""
    if not holds_seat(seat, day):
        return False
    if seat.suspended_from is None or day < seat.suspended_from:
        return True
    return seat.suspended_to is not None and day > seat.suspended_to


class Council:
    """A body's terms, indexed by the years they cover, so a day looks at a few dozen terms
    rather than every term since the body began."""

    def __init__(self, seats: Iterable[Term]):
        self.seats = list(seats)
        self._by_year: dict[int, list[Term]] = defaultdict(list)
        for seat in self.seats:
            for year in range(seat.term_start.year, seat.term_end.year + 1):
                self._by_year[year].append(seat)

    def members_on(self, day: datetime.date) -> dict[str, str]:
        """{ISO3: the regional group it sits in} for the members with a vote on `day`."""
        return {seat.country: seat.regional_group for seat in self._by_year.get(day.year, ()) if has_vote(seat, day)}

    def __iter__(self):
        return iter(self.seats)

    def __len__(self):
        return len(self.seats)
