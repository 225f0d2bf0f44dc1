"""Who may see and do what with a report: the one rule the API, the pages, mail and bundles ask.

- The Office (the organisation that writes the report) sees everything: every version, share
  and comment.
- The State concerned sees the report once a version has been shared with it, and then only
  the versions shared with it, and its own comments.
- Everyone else, other States included, sees nothing before publication: the report does not
  exist for them (404, never 403). Its public timeline is reached by handle alone and shows
  times and hashes, never content.
- At publication the content is public: every version, and the comments marked for the annex.
"""

from django.db.models import Q

from ledger import report_events
from orgs.actors import actor_of
from orgs.models import ROLE_DRAFTER, ROLE_SIGNER
from reports import states
from reports.models import Comment, Report, ReportVersion


def is_office_member(actor, report: Report) -> bool:
    return report.office_id in actor_of(actor).roles


def is_office_drafter(actor, report: Report) -> bool:
    return actor_of(actor).has_role(report.office_id, ROLE_DRAFTER)


def is_concerned_member(actor, report: Report) -> bool:
    """A member of the State concerned, once something has been shared with it."""
    return report.concerning_id in actor_of(actor).roles and bool(shared_version_numbers(report))


def is_concerned_signer(actor, report: Report) -> bool:
    return actor_of(actor).has_role(report.concerning_id, ROLE_SIGNER) and bool(shared_version_numbers(report))


def shared_version_numbers(report: Report) -> set[int]:
    """The numbers of the versions shared with the State concerned (kept for this request)."""
    if "_shared_numbers" not in report.__dict__:
        report.__dict__["_shared_numbers"] = set(report.shares.values_list("version__number", flat=True))
    return report.__dict__["_shared_numbers"]


def forget_shares(report: Report) -> None:
    """After a share in this request, read the shared versions again."""
    report.__dict__.pop("_shared_numbers", None)


def can_see_report(actor, report: Report) -> bool:
    actor = actor_of(actor)
    return report.status == states.PUBLISHED or is_office_member(actor, report) or is_concerned_member(actor, report)


def can_see_version(actor, report: Report, number: int) -> bool:
    actor = actor_of(actor)
    if report.status == states.PUBLISHED or is_office_member(actor, report):
        return True
    return report.concerning_id in actor.roles and number in shared_version_numbers(report)


def visible_versions(actor, report: Report) -> list[ReportVersion]:
    versions = report.versions.select_related("author").order_by("number")
    return [v for v in versions if can_see_version(actor, report, v.number)]


def visible_comments(actor, report: Report) -> list[Comment]:
    """The Office and the State see every comment; after publication, everyone sees the annexed ones."""
    actor = actor_of(actor)
    comments = report.comments.select_related("organisation", "signer", "version").order_by("log_index")
    if is_office_member(actor, report) or report.concerning_id in actor.roles:
        return list(comments) if can_see_report(actor, report) else []
    if report.status == states.PUBLISHED:
        return [comment for comment in comments if comment.annex]
    return []


def may_open_event(actor, report: Report, event_type: str) -> bool:
    """Whether the actor may read the confidential fields of the report's events of this type
    (the openings of a bundle)."""
    actor = actor_of(actor)
    if report.status == states.PUBLISHED or is_office_member(actor, report):
        return True
    # The State concerned opens what concerns it: the shares, its acknowledgements and comments.
    return is_concerned_member(actor, report) and event_type in (
        report_events.REPORT_SHARED,
        report_events.REPORT_ACKNOWLEDGED,
        report_events.REPORT_COMMENTED,
    )


def visible_reports(actor):
    """Reports the actor may open in their workspace (published ones are reached by handle)."""
    orgs = set(actor_of(actor).roles)
    if not orgs:
        return Report.objects.none()
    return Report.objects.filter(
        Q(office_id__in=orgs) | (Q(concerning_id__in=orgs) & Q(shares__isnull=False))
    ).distinct()
