"""What the API and the pages ask of the register, each in a fixed number of queries.

Live supporters are computed from the participants' events (register.support) rather than
stored, so a withdrawal or a late joining is one new row and every count follows from it.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from core import sql
from core.errors import Invalid, NotFound
from register import dbdates
from register import tally as tallies
from register import vocabulary as v
from register import votes as vote_rules
from register.council import Council, Seat
from register.dbdates import from_db, required_from_db
from register.models import TEXT_FILE_FIELDS, Country, MembershipTerm, Participant, Text, Vote
from register.names import CountryNameError, display_name, resolve
from register.support import Event, live_supporters

IN_CHUNK = 900
TEXT_FIELDS = TEXT_FILE_FIELDS


class UnknownTexts(Invalid):
    code = "unknown_texts"

    def __init__(self, missing: list[str]):
        shown = ", ".join(f"\u201c{name}\u201d" for name in missing[:20]) + (" ..." if len(missing) > 20 else "")
        super().__init__(_("The register holds no text named %(texts)s.") % {"texts": shown}, texts=missing)


def _no_text(identifier: str) -> NotFound:
    return NotFound(_("The register holds no text named \u201c%(text)s\u201d.") % {"text": identifier})


def _iso_db(value) -> str | None:
    """A date read by hand-written SQL as YYYY-MM-DD (SQLite gives text, PostgreSQL a date)."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _language() -> str:
    return translation.get_language() or "en"


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


@lru_cache(maxsize=1)
def _groups() -> dict[str, str]:
    # The 195 States never change but by migration; one query per process.
    return dict(Country.objects.values_list("iso3", "regional_group"))


def group_of(iso3: str) -> str:
    return _groups().get(iso3, "")


def country_code(written: str) -> str:
    """The ISO3 code of the State a page or resource is about; 404 when `written` names none.
    (As a filter or a parameter, an unknown name is a CountryNameError: 422.)"""
    try:
        return resolve(written)
    except CountryNameError as exc:
        raise NotFound(exc.message, code=exc.code, candidates=exc.candidates) from None


# ---------------------------------------------------------------- texts


def _text_summary(row: tuple) -> dict:
    identifier, kind, forum, session, date, title, lead, symbol, topic, reported, source = row
    return {
        "text": identifier,
        "kind": kind,
        "forum": forum or "",
        "session": session or "",
        "date": _iso(date),
        "title": title,
        "lead": lead,
        "symbol": symbol,
        "topic": topic,
        "reported_count": reported,
        "source": source,
    }


def _events_by_text(text_ids: Sequence[int]) -> dict[int, list[Event]]:
    # By hand rather than through the ORM: a tally reads thousands of these rows, and Django's
    # per-value date converters were most of its time (bench/register.py).
    events: dict[int, list[Event]] = defaultdict(list)
    # Names from the models' _meta; values only as parameters.
    select = (
        f"SELECT {dbdates.columns(Participant, ['text', 'country', 'event', 'date'])} "  # noqa: S608
        f"FROM {sql.table(Participant)} WHERE {sql.column(Participant, 'text')} IN "
    )
    for start in range(0, len(text_ids), IN_CHUNK):
        chunk = list(text_ids[start : start + IN_CHUNK])
        for text_id, country, event, day in sql.fetch_all(f"{select}({sql.in_list(chunk)})", chunk):
            events[text_id].append(Event(country, event, from_db(day)))
    return events


def list_texts(*, session=None, forum=None, kind=None, topic=None, country=None, limit=500, offset=0) -> list[dict]:
    """Texts by date, filtered, each with its live count: two queries."""
    query = Text.objects.all()
    if session:
        query = query.filter(session__name=session)
    if forum:
        query = query.filter(forum__name=forum)
    if kind:
        query = query.filter(kind=kind)
    if topic:
        query = query.filter(topic=topic)
    if country:
        iso3 = resolve(country)
        query = query.filter(Q(lead_id=iso3) | Q(id__in=Participant.objects.filter(country_id=iso3).values("text_id")))
    rows = list(query.order_by("date", "identifier").values_list("id", *TEXT_FIELDS)[offset : offset + limit])
    events = _events_by_text([row[0] for row in rows])
    result = []
    for text_id, *fields in rows:
        summary = _text_summary(tuple(fields))
        summary["listed_count"] = len(live_supporters(events.get(text_id, [])))
        result.append(summary)
    return result


def text_detail(identifier: str) -> dict:
    """A text's fields, every participant row with its provenance, and who supports it now."""
    row = Text.objects.filter(identifier=identifier).values_list("id", *TEXT_FIELDS).first()
    if row is None:
        raise _no_text(identifier)
    text_id, *fields = row
    detail = _text_summary(tuple(fields))
    language = _language()
    participants = Participant.objects.filter(text_id=text_id).values_list(
        "country_id", "event", "date", "provenance", "source"
    )
    rows = sorted(participants, key=lambda p: (_iso(p[2]) or "", display_name(p[0], "en"), p[1]))
    live = live_supporters(Event(country, event, day) for country, event, day, _, _ in rows)
    detail["participants"] = [
        {
            "country": country,
            "name": display_name(country, language),
            "event": event,
            "date": _iso(day),
            "provenance": provenance,
            "source": source,
        }
        for country, event, day, provenance, source in rows
    ]
    detail["live"] = sorted(live)
    detail["listed_count"] = len(live)
    detail["has_votes"] = Vote.objects.filter(text_id=text_id).exists()
    return detail


# ---------------------------------------------------------------- tallies and claims


def text_facts(identifiers: Sequence[str], council: bool = True) -> list[tallies.TextFacts]:
    """The facts a tally needs, in the order asked; UnknownTexts (422) names any text the
    register does not hold. Three queries, whatever the number of texts."""
    wanted = list(dict.fromkeys(identifiers))
    found = {}
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        for row in Text.objects.filter(identifier__in=chunk).values_list(
            "id", "identifier", "kind", "reported_count", "title", "date"
        ):
            found[row[1]] = row
    missing = [name for name in wanted if name not in found]
    if missing:
        raise UnknownTexts(missing)
    events = _events_by_text([row[0] for row in found.values()])
    seated = council_terms() if council else None
    facts = []
    for name in wanted:
        text_id, identifier, kind, reported, title, day = found[name]
        facts.append(
            tallies.TextFacts(
                text=identifier,
                kind=kind,
                live=live_supporters(events.get(text_id, [])),
                reported=reported,
                has_list=text_id in events,
                title=title,
                council=frozenset(seated.members_on(day)) if seated is not None else None,
            )
        )
    return facts


def tally(identifiers: Sequence[str]) -> dict:
    return tallies.tally(text_facts(identifiers), _groups())


# ---------------------------------------------------------------- the Council


def council_terms(body: str = v.HRC) -> Council:
    """The body's terms (one query), ready to say who sat on it on any day."""
    fields = ["country", "regional_group", "term_start", "term_end", "suspended_from", "suspended_to"]
    rows = sql.fetch_all(
        f"SELECT {dbdates.columns(MembershipTerm, fields)} FROM {sql.table(MembershipTerm)} "  # noqa: S608
        f"WHERE {sql.column(MembershipTerm, 'body')} = %s",
        [body],
    )
    return Council(
        Seat(
            country,
            group,
            required_from_db(start),
            required_from_db(end),
            from_db(suspended_from),
            from_db(suspended_to),
        )
        for country, group, start, end, suspended_from, suspended_to in rows
    )


def members_on(day: datetime.date, council: Council) -> dict[str, str]:
    """{ISO3: the regional group it sits in} for the members with a vote on `day`."""
    return council.members_on(day)


# ---------------------------------------------------------------- votes


def vote_detail(identifier: str, day: datetime.date | None = None) -> dict:
    """The recorded vote on a draft (its latest, or the one of `day`): totals, outcome, groups."""
    text = Text.objects.filter(identifier=identifier).values_list("id", "title").first()
    if text is None:
        raise _no_text(identifier)
    dates = sorted(set(Vote.objects.filter(text_id=text[0]).values_list("date", flat=True)))
    if not dates or (day is not None and day not in dates):
        if day is None:
            raise NotFound(_("The register holds no recorded vote on \u201c%(text)s\u201d.") % {"text": identifier})
        raise NotFound(
            _("The register holds no recorded vote on \u201c%(text)s\u201d on %(date)s.")
            % {"text": identifier, "date": day.isoformat()}
        )
    day = day or dates[-1]
    ballots = dict(Vote.objects.filter(text_id=text[0], date=day).values_list("country_id", "vote"))
    seated = members_on(day, council_terms())
    counted = vote_rules.count(ballots, seated)
    language = _language()
    return {
        "text": identifier,
        "title": text[1],
        "date": day.isoformat(),
        "dates": [d.isoformat() for d in dates],
        **counted,
        "members": len(seated),
        "ballots": [
            {
                "country": iso3,
                "name": display_name(iso3, language),
                "group": seated.get(iso3, ""),
                "vote": ballots[iso3],
            }
            for iso3 in sorted(ballots, key=lambda c: display_name(c, language))
        ],
    }


def ballots_by_vote(session: str | None = None) -> dict[tuple[str, datetime.date], dict[str, str]]:
    """Every recorded vote (on a session's texts, if given): {(text, date): {ISO3: ballot}}."""
    query = Vote.objects.all()
    if session:
        query = query.filter(text__session__name=session)
    votes: dict[tuple, dict[str, str]] = defaultdict(dict)
    for identifier, day, country, ballot in query.values_list("text__identifier", "date", "country_id", "vote"):
        votes[(identifier, day)][country] = ballot
    return votes


def agreement(a: str, b: str, session: str | None = None) -> dict:
    """The agreement index of two States over the recorded votes (of a session), and the votes
    it rests on: those where both were members and neither was absent."""
    first, second = resolve(a), resolve(b)
    query = Vote.objects.filter(country_id__in=[first, second])
    if session:
        query = query.filter(text__session__name=session)
    ballots: dict[tuple, dict[str, str]] = defaultdict(dict)
    for identifier, day, country, ballot in query.values_list("text__identifier", "date", "country_id", "vote"):
        ballots[(identifier, day)][country] = ballot
    pairs = [
        ((identifier, day), cast.get(first), cast.get(second))
        for (identifier, day), cast in sorted(ballots.items(), key=lambda item: (item[0][1], item[0][0]))
    ]
    index, rests_on = vote_rules.agreement(pairs)
    return {
        "a": first,
        "b": second,
        "session": session or None,
        "agreement": index,
        "votes": [
            {"text": key[0], "date": key[1].isoformat(), "a": ballot_a, "b": ballot_b, "score": points}
            for key, ballot_a, ballot_b, points in rests_on
        ],
        "left_out": len(pairs) - len(rests_on),
    }


# ---------------------------------------------------------------- a country


def country_detail(written: str) -> dict:
    """A State's name, group, Council terms, the texts it took part in with its events and
    whether it supports each now, and its recorded votes: four queries."""
    iso3 = country_code(written)
    country = Country.objects.filter(iso3=iso3).first()
    if country is None:
        raise NotFound(_("The register has no State %(iso3)s.") % {"iso3": iso3})
    language = _language()
    terms = MembershipTerm.objects.filter(country_id=iso3).order_by("term_start")
    texts: dict[str, dict] = {}
    for identifier, kind, title, text_date, event, day, provenance, source in _events_of_country(iso3):
        entry = texts.get(identifier)
        if entry is None:
            entry = texts[identifier] = {
                "text": identifier,
                "kind": kind,
                "title": title,
                "date": _iso_db(text_date),
                "events": [],
                "supporting": event in v.SUPPORT_EVENTS,
            }
        entry["events"].append({"event": event, "date": _iso_db(day), "provenance": provenance, "source": source})
    for entry in texts.values():
        if len(entry["events"]) > 1:  # one event says it all; several are replayed in order
            entry["events"].sort(key=lambda e: (e["date"] or "", e["event"]))
            entry["supporting"] = iso3 in live_supporters(
                Event(iso3, e["event"], from_db(e["date"])) for e in entry["events"]
            )
    votes = [(identifier, title, _iso_db(day), vote) for identifier, title, day, vote in _votes_of_country(iso3)]
    return {
        "iso3": iso3,
        "iso2": country.iso2,
        "name": display_name(iso3, language),
        "status": country.status,
        "regional_group": country.regional_group,
        "terms": [
            {
                "body": t.body,
                "regional_group": t.regional_group,
                "term_start": _iso(t.term_start),
                "term_end": _iso(t.term_end),
                "suspended_from": _iso(t.suspended_from),
                "suspended_to": _iso(t.suspended_to),
            }
            for t in terms
        ],
        "texts": sorted(texts.values(), key=lambda e: (e["date"] or "", e["text"])),
        "votes": [
            {"text": identifier, "title": title, "date": day, "vote": vote}
            for identifier, title, day, vote in sorted(votes, key=lambda row: (row[2], row[0]))
        ],
    }


# A State's texts and votes by hand-written SQL: the largest have thousands of rows, and
# Django's per-value converters were a third of the time (bench/register.py). Names from the
# models' _meta; the State's code only as a parameter.


def _events_of_country(iso3: str) -> list[tuple]:
    text_fields = dbdates.columns(Text, ["identifier", "kind", "title", "date"], "t")
    event_fields = dbdates.columns(Participant, ["event", "date", "provenance", "source"], "p")
    return sql.fetch_all(
        f"SELECT {text_fields}, {event_fields} FROM {sql.table(Participant, 'p')} "  # noqa: S608
        f"JOIN {sql.table(Text, 't')} ON {sql.column(Text, 'id', 't')} = {sql.column(Participant, 'text', 'p')} "
        f"WHERE {sql.column(Participant, 'country', 'p')} = %s",
        [iso3],
    )


def _votes_of_country(iso3: str) -> list[tuple]:
    return sql.fetch_all(
        f"SELECT {sql.columns(Text, ['identifier', 'title'], 't')}, {dbdates.columns(Vote, ['date', 'vote'], 'v')} "  # noqa: S608
        f"FROM {sql.table(Vote, 'v')} JOIN {sql.table(Text, 't')} ON {sql.column(Text, 'id', 't')} = "
        f"{sql.column(Vote, 'text', 'v')} WHERE {sql.column(Vote, 'country', 'v')} = %s",
        [iso3],
    )
