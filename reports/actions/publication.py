"""Publishing a shared version, with the comments marked for the annex, or the recorded fact
that none came by the deadline."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Conflict, NotFound
from ledger import report_events as events
from orgs.actors import actor_of
from record.log import append_event
from reports import states
from reports.actions.common import (
    Outcome,
    lock_report,
    now,
    require_hash,
    require_office_drafter,
    require_state,
    whole_number,
)
from reports.models import Report


def publish(actor, report_id, *, version, version_hash, at=None) -> Outcome[Report]:
    actor = actor_of(actor)
    version = whole_number(version, "version")
    at = now(at)
    with transaction.atomic():
        report = lock_report(actor, report_id)
        require_office_drafter(actor, report)
        published = report.versions.filter(number=version).first()
        if published is None:
            raise NotFound(_("This report has no version %(number)s.") % {"number": version}, code="unknown_version")
        require_hash(published, version_hash)
        if report.status == states.PUBLISHED and report.published_version == version:
            return Outcome(report, False)
        require_state(report, states.PUBLISHABLE, _("Publication"))
        if not report.shares.filter(version=published).exists():
            raise Conflict(
                _("Version %(number)s was never shared with the State concerned; share it before publishing.")
                % {"number": version},
                code="version_not_shared",
            )
        annexed = report.comments.filter(annex=True).count()
        # Comments that came late but before publication were received: only a round with no
        # comments at all, once its deadline has passed, is published as "none received".
        none_by_deadline = not report.comments.exists() and _deadline_passed(report, at)
        appended = append_event(
            events.REPORT_PUBLISHED,
            at,
            {
                "version": version,
                "version_hash": published.hash,
                "comments": annexed,
                "none_by_deadline": none_by_deadline,
            },
            None,
            handle=report.handle,
        )
        Report.objects.filter(pk=report.pk).update(
            status=states.PUBLISHED,
            published_version=version,
            published_at=at,
            publication_log_index=appended.index,
            none_by_deadline=none_by_deadline,
        )
        report.refresh_from_db()
    return Outcome(report, True)


def _deadline_passed(report: Report, at) -> bool:
    latest = report.shares.order_by("-log_index").first()
    return latest is not None and at > latest.deadline
