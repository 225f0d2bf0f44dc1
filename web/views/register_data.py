"""What the register's pages read from the database, shaped for templates and downloads.

The engine (register/) holds the rules as pure functions: who supports a text now
(register.support), bounds and verdicts (register.tally), vote totals and cohesion
(register.votes). This module feeds them rows and words; it decides nothing itself.
"""

import csv
import datetime
import io
from collections import defaultdict
from functools import lru_cache
from urllib.parse import quote

from django.db.models import F
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _

from register import names, queries
from register import vocabulary as v
from register.models import Country, Participant, Text, Vote
from register.support import Event, replay
from register.tally import TextFacts

KIND_LABELS = {
    v.JOINT_LETTER: _("Joint letter"),
    v.JOINT_STATEMENT: _("Joint statement"),
    v.DRAFT_RESOLUTION: _("Draft resolution"),
    v.DRAFT_DECISION: _("Draft decision"),
}
EVENT_LABELS = {
    v.SIGNED: _("Signed"),
    v.JOINED: _("Joined"),
    v.WITHDREW: _("Withdrew"),
    v.MAIN_SPONSOR: _("Main sponsor"),
    v.COSPONSOR: _("Co-sponsor"),
}
PROVENANCE_LABELS = {
    v.PROVENANCE_SIGNED: _("Signed on this platform"),
    v.PROVENANCE_UN_DOCUMENT: _("Listed in a UN document"),
    v.PROVENANCE_PUBLISHED: _("Published by a State or mission"),
    v.PROVENANCE_REPORTED: _("Reported by the press or others"),
}
VOTE_LABELS = {v.YES: _("Yes"), v.NO: _("No"), v.ABSTAIN: _("Abstained"), v.ABSENT: _("Absent")}
GROUP_LABELS = {
    v.AFRICAN: _("African States"),
    v.ASIA_PACIFIC: _("Asia-Pacific States"),
    v.EASTERN_EUROPEAN: _("Eastern European States"),
    v.LATIN_AMERICAN: _("Latin American and Caribbean States"),
    v.WESTERN_EUROPEAN: _("Western European and other States"),
}
VERDICT_LABELS = {
    v.CONSISTENT: _("Consistent with the record"),
    v.EXCEEDS_RECORD: _("Exceeds the record"),
    v.BELOW_RECORD: _("Below the record"),
    v.UNVERIFIABLE: _("Cannot be checked against the record"),
}


@lru_cache(maxsize=1)
def group_of() -> dict[str, str]:
    """{ISO3: regional group} for the 195 States (fixed data, loaded by the engine's migration)."""
    return dict(Country.objects.values_list("iso3", "regional_group"))


def api_path(*parts: str) -> str:
    """The JSON API's address for a register resource; text identifiers keep their slashes."""
    return "/api/v1/register/" + "/".join(quote(part, safe="/") for part in parts)


def text_or_404(identifier: str) -> Text:
    text = Text.objects.select_related("forum", "session", "lead").filter(identifier=identifier).first()
    if text is None:
        raise Http404(_("The register has no text with this identifier."))
    return text


def participants_of(text: Text) -> list[Participant]:
    # Undated events last: a source listed the State without saying when.
    return list(
        text.participants.order_by(F("date").asc(nulls_last=True), "country__name", "id").select_related("country")
    )


def live_of(rows) -> frozenset[str]:
    """The ISO3 codes supporting a text after its events (register.support's rule)."""
    return replay(Event(r.country_id, r.event, r.date) for r in rows)[0]


def live_by_text(text_ids) -> dict[int, frozenset[str]]:
    """Live supporters of many texts in one query."""
    events = defaultdict(list)
    rows = Participant.objects.filter(text_id__in=list(text_ids)).values_list("text_id", "country_id", "event", "date")
    for text_id, country, event, date in rows:
        events[text_id].append(Event(country, event, date))
    return {text_id: replay(items)[0] for text_id, items in events.items()}


def facts_for(texts: list[Text]) -> list[TextFacts]:
    """The engine's TextFacts for each text, in the order given."""
    return queries.text_facts([t.identifier for t in texts], council=False)


def council_on(date) -> dict[str, str]:
    """{ISO3: regional group} of the Human Rights Council's members with a vote on a date."""
    return queries.members_on(date, queries.council_terms())


def ballots_of(text: Text, date=None) -> tuple[datetime.date | None, dict[str, str]]:
    """The vote on a draft ({ISO3: vote}) on `date`, or on its latest date when none is given."""
    votes = Vote.objects.filter(text=text)
    if date is None:
        date = votes.order_by("-date").values_list("date", flat=True).first()
    if date is None:
        return None, {}
    return date, dict(votes.filter(date=date).values_list("country_id", "vote"))


def vote_dates(text: Text) -> list[datetime.date]:
    """The dates of the recorded votes on a draft, earliest first."""
    return sorted(set(Vote.objects.filter(text=text).values_list("date", flat=True)))


def votes_on(texts: list[Text]) -> list[tuple[Text, datetime.date]]:
    """Every recorded vote on these drafts as (text, date), by date then identifier."""
    by_id = {t.id: t for t in texts}
    pairs = set(Vote.objects.filter(text__in=texts).values_list("text_id", "date"))
    return sorted(((by_id[text_id], date) for text_id, date in pairs), key=lambda p: (p[1], p[0].identifier))


def ballots_by_vote(chosen: list[tuple[Text, datetime.date]]) -> dict[tuple[int, datetime.date], dict[str, str]]:
    """The ballots of the chosen votes, {(text id, date): {ISO3: vote}}, in one query however
    many votes are chosen."""
    ballots: dict[tuple[int, datetime.date], dict[str, str]] = {(t.id, day): {} for t, day in chosen}
    rows = Vote.objects.filter(text__in={t for t, _day in chosen}, date__in={day for _t, day in chosen})
    for text_id, day, iso3, vote in rows.values_list("text_id", "date", "country_id", "vote"):
        if (text_id, day) in ballots:
            ballots[(text_id, day)][iso3] = vote
    return ballots


def vote_key(text: Text, date: datetime.date) -> str:
    """How a page names one vote in its query string: `A/HRC/51/L.6@2022-10-06`."""
    return f"{text.identifier}@{date.isoformat()}"


def group_rows(counts: dict[str, int], seats: dict[str, int] | None = None) -> list[dict]:
    """Rows for a bar chart by regional group: label, value, bar width in percent of the largest."""
    largest = max([1, *counts.values(), *((seats or {}).values())])
    return [
        {
            "group": group,
            "label": GROUP_LABELS[group],
            "value": counts.get(group, 0),
            "of": (seats or {}).get(group),
            "width": round(100 * counts.get(group, 0) / largest, 1),
        }
        for group in v.GROUPS
    ]


def state_row(iso3: str, language: str) -> dict:
    return {
        "iso3": iso3,
        "name": names.display_name(iso3, language),
        "group": GROUP_LABELS.get(group_of().get(iso3, "")),
    }


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download_name(identifier: str) -> str:
    """A file name from a text identifier such as A/HRC/51/L.6."""
    return "".join(c if c.isalnum() or c in "-._" else "-" for c in identifier)


CHART_WIDTH, LABEL_WIDTH, BAR_AREA, BAR_ROW = 760, 380, 330, 30


def bars_svg(rows: list[dict], title: str, right_to_left: bool = False) -> str:
    """A horizontal bar per regional group with its label and number, as SVG with presentation
    attributes only (the CSP forbids inline styles); the page puts the same numbers in a table
    beside it. Stacked when a row has `segments` (a vote: yes, no, abstain, absent). Mirrored
    for right-to-left languages, with the direction written on each text so that an SVG inlined
    in a right-to-left page does not turn its anchors around."""
    from html import escape

    direction = "rtl" if right_to_left else "ltr"
    height = BAR_ROW * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, row in enumerate(rows):
        y = index * BAR_ROW + 6
        label_x = CHART_WIDTH if right_to_left else 0
        parts.append(
            f'<text x="{label_x}" y="{y + 14}" font-size="13" direction="{direction}" text-anchor="start" '
            f'fill="#222222">{escape(str(row["label"]))}</text>'
        )
        end = 0.0
        for segment in row.get("segments") or [{"x": 0, "width": row["width"], "fill": "#0072B2", "label": ""}]:
            width = BAR_AREA * segment["width"] / 100
            offset = LABEL_WIDTH + BAR_AREA * segment["x"] / 100
            x = CHART_WIDTH - offset - width if right_to_left else offset
            end = max(end, BAR_AREA * (segment["x"] + segment["width"]) / 100)
            if width <= 0:
                continue
            what = f"{segment['label']} " if segment["label"] else ""
            label = f"{row['label']}: {what}{segment.get('value', row['value'])}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="18" fill="{segment["fill"]}">'
                f"<title>{escape(label)}</title></rect>"
            )
        value_x = LABEL_WIDTH + end + 6
        value_x = CHART_WIDTH - value_x if right_to_left else value_x
        parts.append(
            f'<text x="{value_x:.1f}" y="{y + 14}" font-size="13" direction="{direction}" '
            f'text-anchor="start" fill="#222222">{row["value"]}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
