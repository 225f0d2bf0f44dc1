"""What anyone holding a report's handle may know: its timeline (each event's log index, time
and public fields: which version, its hash, the deadline, whether comments were late), and, once
published, its content with the annexed comments."""

import json
from typing import Any

from ledger import report_events as events
from record import log
from record.models import Entry
from reports import states
from reports.models import Report

_ENVELOPE = {"format", "handle", "seq", "prev", "commitment"}


def timeline(handle: str) -> list[dict]:
    """The report's events in log order, each with its public fields."""
    steps = []
    for index, data in Entry.objects.filter(handle=handle).order_by("index").values_list("index", "data"):
        event = json.loads(bytes(data))
        steps.append({"index": index, **{k: v for k, v in event.items() if k not in _ENVELOPE}})
    return steps


def public_report(handle: str) -> dict | None:
    report = Report.objects.select_related("office", "concerning").filter(handle=handle).first()
    if report is None:
        return None
    steps = timeline(handle)
    checkpoint = log.latest_checkpoint()
    summary: dict[str, Any] = {
        "handle": report.handle,
        "status": report.status,
        "timeline": steps,
        "counts": _counts(steps),
        "hashes": _hashes(steps),
        "checkpoint": checkpoint.note if checkpoint else None,
    }
    if report.status == states.PUBLISHED:
        published = report.versions.get(number=report.published_version or 0)
        summary.update(
            title=published.title,
            office=report.office.slug,
            concerning=report.concerning.slug,
            body=published.body,
            published_version=published.number,
            none_by_deadline=report.none_by_deadline,
            comments=[
                {"hash": c.hash, "body": c.body, "file_sha256": c.file_sha256 or None, "late": c.late}
                for c in report.comments.filter(annex=True).order_by("log_index")
            ],
        )
    return summary


def _of_type(steps: list[dict], kind: str) -> list[dict]:
    return [step for step in steps if step["type"] == kind]


def _counts(steps: list[dict]) -> dict:
    comments = _of_type(steps, events.REPORT_COMMENTED)
    return {
        "versions": len(_of_type(steps, events.REPORT_CREATED)) + len(_of_type(steps, events.REPORT_VERSION)),
        "shares": len(_of_type(steps, events.REPORT_SHARED)),
        "comments": len(comments),
        "late_comments": sum(1 for c in comments if c["late"]),
        "annexed": sum(1 for c in comments if c["annex"]),
    }


def _hashes(steps: list[dict]) -> dict:
    published = _of_type(steps, events.REPORT_PUBLISHED)
    return {
        "shared": [s["version_hash"] for s in _of_type(steps, events.REPORT_SHARED)],
        "comments": [c["comment_hash"] for c in _of_type(steps, events.REPORT_COMMENTED)],
        "published": published[-1]["version_hash"] if published else None,
    }
