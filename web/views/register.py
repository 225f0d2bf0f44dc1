"""The register's pages: texts (filterable), a text, a State, a session, a vote.

Public and the same for every reader but the language (?lang= or Accept-Language, as the public
letter pages), so nothing here reads the session or the user. Every list can be downloaded as
CSV (?format=csv) and has a JSON twin in the API, which the page links to. What every page
shares is in register_page.py, the list's filters in register_listing.py, the rows and words the
pages show in register_data.py; the claim checker is in register_claims.py.
"""

import datetime

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from register import names
from register import tally as tallies
from register import vocabulary as v
from register import votes as vote_rules
from register.models import Country, Forum, Participant, Session, Text, Vote
from web import maps
from web.views import register_agreement as agreement
from web.views import register_data as data
from web.views.public import public_language
from web.views.register_listing import (
    PAGE_SIZE,
    TEXT_COLUMNS,
    filtered_texts,
    query_string,
    session_order,
    text_cells,
    text_filters,
)
from web.views.register_page import group_chart, page, small_states, wants_csv

# The list of texts -----------------------------------------------------------------------------


@require_GET
def index(request):
    with translation.override(public_language(request)):  # a refusal in the page's language
        typed, country_error = text_filters(request)
    texts = filtered_texts(typed) if country_error is None else Text.objects.none()
    if wants_csv(request):
        rows = list(texts)
        live = data.live_by_text(t.id for t in rows)
        return data.csv_response(
            "register-texts.csv", TEXT_COLUMNS, (text_cells(t, len(live.get(t.id, ()))) for t in rows)
        )
    listing = Paginator(texts, PAGE_SIZE).get_page(request.GET.get("page"))
    live = data.live_by_text(t.id for t in listing)
    query = {k: typed[k] for k in ("session", "forum", "kind", "topic", "country") if typed.get(k)}

    def build(language):
        return {
            "rows": [
                {
                    "text": t,
                    "kind": data.KIND_LABELS.get(t.kind, t.kind),
                    "listed": len(live.get(t.id, ())),
                    "lead": names.display_name(t.lead_id, language) if t.lead_id else "",
                }
                for t in listing
            ],
            "kinds": [(key, label) for key, label in data.KIND_LABELS.items()],
            "forums": Forum.objects.order_by("name").values_list("name", flat=True),
            "sessions": sorted(set(Session.objects.values_list("name", flat=True)), key=session_order),
            "topics": sorted(set(Text.objects.exclude(topic="").values_list("topic", flat=True))),
        }

    return page(
        request,
        "web/register/index.html",
        {
            "listing": listing,
            "typed": typed,
            # Beside the field it is about, rather than as the page's error (which the base
            # template shows above the content as well).
            "country_error": country_error,
            "query": query,
            "build": build,
            "json_url": data.api_path("texts") + query_string(query, drop="country", iso3=typed.get("iso3")),
        },
    )


# One text --------------------------------------------------------------------------------------


@require_GET
def text_page(request, text):
    text = data.text_or_404(text)
    rows = data.participants_of(text)
    live = data.live_of(rows)
    if wants_csv(request):
        return data.csv_response(
            f"register-{data.download_name(text.identifier)}-participants.csv",
            ["text", "country", "name", "event", "date", "provenance", "source"],
            (
                [
                    text.identifier,
                    r.country_id,
                    r.country.name,
                    r.event,
                    r.date.isoformat() if r.date else "",
                    r.provenance,
                    r.source,
                ]
                for r in rows
            ),
        )
    facts = data.facts_for([text])[0]
    vote_dates = data.vote_dates(text)

    def build(language):
        withdrawn = {r.country_id for r in rows if r.event == v.WITHDREW} - live
        categories = dict.fromkeys(live, "supports") | dict.fromkeys(withdrawn, "withdrew")
        return {
            "participants": [_participant_row(r, language) for r in rows],
            "world_map": maps.world_map(categories, language, _("Who supports %(text)s") % {"text": text.identifier}),
            "small_states": small_states(categories, language),
            **group_chart(tallies.by_group(live, data.group_of()), _("Supporters by regional group")),
            "lead": names.display_name(text.lead_id, language) if text.lead_id else "",
            "kind": data.KIND_LABELS.get(text.kind, text.kind),
        }

    return page(
        request,
        "web/register/text.html",
        {
            "text": text,
            "facts": facts,
            "listed": len(live),
            "has_vote": bool(vote_dates),
            "vote_dates": vote_dates,
            "build": build,
            "json_url": data.api_path("texts", text.identifier),
        },
    )


def _participant_row(row: Participant, language: str) -> dict:
    return {
        "row": row,
        "name": names.display_name(row.country_id, language),
        "event": data.EVENT_LABELS.get(row.event, row.event),
        "provenance": data.PROVENANCE_LABELS.get(row.provenance, row.provenance),
    }


# One State -------------------------------------------------------------------------------------


@require_GET
def country_page(request, iso3):
    country = Country.objects.filter(iso3=iso3.upper()).first()
    if country is None:
        raise Http404(_("No UN Member or observer State has this code."))
    events = list(Participant.objects.filter(country=country).select_related("text").order_by("text__date", "date"))
    ballots = list(Vote.objects.filter(country=country).select_related("text__session").order_by("date"))
    if wants_csv(request):
        return data.csv_response(
            f"register-{country.iso3}.csv",
            ["text", "date", "event", "provenance", "source"],
            (
                [e.text.identifier, e.date.isoformat() if e.date else "", e.event, e.provenance, e.source]
                for e in events
            ),
        )
    terms = list(country.terms.order_by("term_start"))

    def build(language):
        return {
            "name": names.display_name(country.iso3, language),
            "group": data.GROUP_LABELS.get(country.regional_group, country.regional_group),
            "events": [
                {
                    "event": e,
                    "label": data.EVENT_LABELS.get(e.event, e.event),
                    "provenance": data.PROVENANCE_LABELS.get(e.provenance, e.provenance),
                }
                for e in events
            ],
            "ballots": [{"vote": b, "label": data.VOTE_LABELS.get(b.vote, b.vote)} for b in ballots],
        }

    return page(
        request,
        "web/register/country.html",
        {
            "country": country,
            "terms": terms,
            "build": build,
            "json_url": data.api_path("countries", country.iso3),
        },
    )


# A session -------------------------------------------------------------------------------------


@require_GET
def session_page(request, session):
    sessions = list(Session.objects.filter(name=session).select_related("forum").order_by("forum__name"))
    if not sessions:
        raise Http404(_("The register has no session of this name."))
    texts = list(
        Text.objects.filter(session__in=sessions)
        .select_related("forum", "session", "lead")
        .order_by("date", "identifier")
    )
    live = data.live_by_text(t.id for t in texts)
    if wants_csv(request):
        return data.csv_response(
            f"register-session-{data.download_name(session)}.csv",
            TEXT_COLUMNS,
            (text_cells(t, len(live.get(t.id, ()))) for t in texts),
        )
    facts = data.facts_for(texts)
    overall = tallies.bounds(facts) if facts else None
    with_votes = set(
        Vote.objects.filter(text__in=[t for t in texts if t.kind in v.DRAFTS])
        .values_list("text_id", flat=True)
        .distinct()
    )
    voted = [t for t in texts if t.id in with_votes]
    votes = data.votes_on(voted)
    chosen = _chosen_votes(request, votes)
    ballots = data.ballots_by_vote(chosen)
    states = data.group_of()
    cohesion = vote_rules.cohesion([ballots[(t.id, day)] for t, day in chosen], states) if chosen else {}
    pair, state_error = agreement.chosen_states(request)

    def build(language):
        return {
            "rows": [
                {
                    "text": t,
                    "kind": data.KIND_LABELS.get(t.kind, t.kind),
                    "listed": len(live.get(t.id, ())),
                    "lead": names.display_name(t.lead_id, language) if t.lead_id else "",
                }
                for t in texts
            ],
            "cohesion": [{"label": data.GROUP_LABELS[g], "value": cohesion.get(g)} for g in v.GROUPS]
            if cohesion
            else [],
            "state_options": agreement.state_options(states, language),
            "agreement": agreement.agreement_of(pair["a"], pair["b"], chosen, ballots, language)
            if len(pair) == 2 and chosen
            else None,
        }

    return page(
        request,
        "web/register/session.html",
        {
            "session": session,
            "sessions": sessions,
            "bounds": overall,
            "voted": voted,
            "votes": [
                {"text": t, "date": day, "key": data.vote_key(t, day), "chosen": (t, day) in chosen} for t, day in votes
            ],
            "chosen_count": len(chosen),
            "pair": pair,
            "error": state_error,
            "build": build,
            "json_url": data.api_path("texts") + query_string({"session": session}),
        },
        status=400 if state_error else 200,
    )


def _chosen_votes(request, votes: list[tuple[Text, datetime.date]]) -> list[tuple[Text, datetime.date]]:
    """The votes ?vote=TEXT@DATE ticks (all of the session's when none is); a vote the session
    does not have is a page that does not exist, rather than a number silently over other votes."""
    ticked = set(request.GET.getlist("vote"))
    known = {data.vote_key(t, day) for t, day in votes}
    unknown = sorted(ticked - known)
    if unknown:
        raise Http404(_("This session has no recorded vote %(vote)s.") % {"vote": unknown[0]})
    return [(t, day) for t, day in votes if data.vote_key(t, day) in ticked] or votes


# A vote ----------------------------------------------------------------------------------------


@require_GET
def vote_page(request, text):
    """One recorded vote: the latest, or the one `?date=` names among the text's votes, which
    the page lists so the reader can choose."""
    text = data.text_or_404(text)
    dates = data.vote_dates(text)
    date, ballots = data.ballots_of(text, _chosen_vote_date(request, dates))
    if date is None or not ballots:
        raise Http404(_("The register has no recorded vote on this text."))
    if wants_csv(request):
        return data.csv_response(
            f"register-{data.download_name(text.identifier)}-votes.csv",
            ["text", "date", "country", "name", "vote"],
            (
                [text.identifier, date.isoformat(), iso3, names.english_name(iso3), vote]
                for iso3, vote in sorted(ballots.items())
            ),
        )
    members = data.council_on(date) or data.group_of()
    result = vote_rules.count(ballots, members)

    def build(language):
        groups = [
            {
                "label": data.GROUP_LABELS[g],
                **result["by_group"][g],
                "value": sum(result["by_group"][g][vote] for vote in v.VOTES),
                "segments": _vote_bars(result["by_group"][g]),
            }
            for g in v.GROUPS
        ]
        categories = dict.fromkeys(maps.un_states(), "not_member") | dict(ballots)
        return {
            "outcome": _("Adopted") if result["outcome"] == v.ADOPTED else _("Rejected"),
            "world_map": maps.world_map(
                categories, language, _("Vote on %(text)s, %(date)s") % {"text": text.identifier, "date": date}
            ),
            "small_states": small_states({k: c for k, c in categories.items() if c != "not_member"}, language),
            "groups": groups,
            "bars": data.bars_svg(groups, _("Votes by regional group"), translation.get_language_bidi()),
            "ballots": sorted(
                (
                    {
                        "iso3": iso3,
                        "name": names.display_name(iso3, language),
                        "label": data.VOTE_LABELS.get(vote, vote),
                        "vote": vote,
                    }
                    for iso3, vote in ballots.items()
                ),
                key=lambda b: (v.VOTES.index(b["vote"]), b["name"]),
            ),
        }

    return page(
        request,
        "web/register/vote.html",
        {
            "text": text,
            "date": date,
            "result": result,
            "build": build,
            "dates": dates,
            "json_url": data.api_path("votes", text.identifier) + f"?date={date.isoformat()}",
            "download_query": f"date={date.isoformat()}",
        },
    )


def _chosen_vote_date(request, dates: list[datetime.date]) -> datetime.date | None:
    """The date `?date=` names (the latest vote when it names none); a date with no vote on the
    text is a page that does not exist."""
    asked = request.GET.get("date", "").strip()
    if not asked:
        return dates[-1] if dates else None
    try:
        day = datetime.date.fromisoformat(asked)
    except ValueError:
        day = None
    if day not in dates:
        raise Http404(_("The register has no recorded vote on this text."))
    return day


def _vote_bars(group: dict) -> list[dict]:
    """Stacked bar segments (x and width in percent of the Council's 13 largest group seats)."""
    segments, x = [], 0.0
    for vote in v.VOTES:
        width = 100 * group[vote] / max(v.HRC_SEATS.values())
        segments.append(
            {
                "vote": vote,
                "x": round(x, 2),
                "width": round(width, 2),
                "fill": maps.CATEGORIES[vote][0],
                "label": str(data.VOTE_LABELS[vote]),
                "value": group[vote],
            }
        )
        x += width
    return segments
