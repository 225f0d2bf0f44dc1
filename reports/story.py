"""A report's public timeline told for people: each step with its log index, time and hash, and
the durations between them in words ("shared 31 days before publication; comments received
5 days after the deadline"), in the reader's language. Built from the public events alone
(reports/public.py), so it says nothing the log does not show anyone."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ledger import report_events as events


@dataclass
class Step:
    kind: str  # the event type
    label: str
    index: int
    time: datetime.datetime
    hash: str | None = None
    detail: str = ""


def parse_time(text: str) -> datetime.datetime:
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.UTC)


def steps(timeline: list[dict]) -> list[Step]:
    told = []
    deadline = None
    for event in timeline:
        kind, at = event["type"], parse_time(event["time"])
        if kind == events.REPORT_SHARED:
            deadline = parse_time(event["deadline"])
        told.append(_step(event, kind, at, deadline))
    return told


def _step(event: dict, kind: str, at, deadline) -> Step:
    index = event["index"]
    if kind == events.REPORT_CREATED:
        return Step(kind, _("Written"), index, at, event["version_hash"])
    if kind == events.REPORT_VERSION:
        detail = ngettext("Answers %(count)s comment.", "Answers %(count)s comments.", event["answers"]) % {
            "count": event["answers"]
        }
        label = _("Revised: version %(number)s") % {"number": event["version"]}
        return Step(kind, label, index, at, event["version_hash"], detail if event["answers"] else "")
    if kind == events.REPORT_SHARED:
        label = _("Shared with the State concerned: version %(number)s") % {"number": event["version"]}
        detail = _("Comments due by %(date)s.") % {"date": deadline.date().isoformat()}
        return Step(kind, label, index, at, event["version_hash"], detail)
    if kind == events.REPORT_ACKNOWLEDGED:
        return Step(kind, _("Acknowledged by the State concerned"), index, at, event["version_hash"])
    if kind == events.REPORT_COMMENTED:
        on_time = _("Received after the deadline.") if event["late"] else _("Received on time.")
        annex = _("To be annexed.") if event["annex"] else _("Not for the annex.")
        return Step(kind, _("Comments received"), index, at, event["comment_hash"], f"{on_time} {annex}")
    if kind == events.REPORT_PUBLISHED:
        if event["none_by_deadline"]:
            detail = _("No comments were received by the deadline.")
        else:
            detail = ngettext(
                "With %(count)s comment annexed.", "With %(count)s comments annexed.", event["comments"]
            ) % {"count": event["comments"]}
        label = _("Published: version %(number)s") % {"number": event["version"]}
        return Step(kind, label, index, at, event["version_hash"], detail)
    return Step(kind, kind, index, at)


def _days(delta: datetime.timedelta) -> int:
    return abs(delta).days


def durations(timeline: list[dict], now: datetime.datetime | None = None) -> str:
    """The time between the steps that matter, in words: how long before publication the report
    was shared, and when each comment came relative to its deadline."""
    now = now or datetime.datetime.now(datetime.UTC)
    shares = [e for e in timeline if e["type"] == events.REPORT_SHARED]
    published = [e for e in timeline if e["type"] == events.REPORT_PUBLISHED]
    if not shares:
        return ""
    first_shared = parse_time(shares[0]["time"])
    parts = []
    if published:
        days = _days(parse_time(published[0]["time"]) - first_shared)
        parts.append(
            _("shared on the day of publication")
            if days == 0
            else ngettext("shared %(days)s day before publication", "shared %(days)s days before publication", days)
            % {"days": days}
        )
    else:
        days = _days(now - first_shared)
        parts.append(
            _("shared today, not yet published")
            if days == 0
            else ngettext(
                "shared %(days)s day ago, not yet published", "shared %(days)s days ago, not yet published", days
            )
            % {"days": days}
        )
    parts.extend(_comment_timing(timeline))
    if published and published[0]["none_by_deadline"]:
        parts.append(_("no comments received by the deadline"))
    return "; ".join(parts)


def _comment_timing(timeline: list[dict]) -> list[str]:
    said, deadline = [], None
    for event in timeline:
        if event["type"] == events.REPORT_SHARED:
            deadline = parse_time(event["deadline"])
        elif event["type"] == events.REPORT_COMMENTED and deadline is not None:
            delta = parse_time(event["time"]) - deadline
            days = _days(delta)
            if days == 0:
                said.append(_("comments received on the day of the deadline"))
            elif delta > datetime.timedelta(0):
                said.append(
                    ngettext(
                        "comments received %(days)s day after the deadline",
                        "comments received %(days)s days after the deadline",
                        days,
                    )
                    % {"days": days}
                )
            else:
                said.append(
                    ngettext(
                        "comments received %(days)s day before the deadline",
                        "comments received %(days)s days before the deadline",
                        days,
                    )
                    % {"days": days}
                )
    return said
