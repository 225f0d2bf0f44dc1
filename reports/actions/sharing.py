"""Sharing a version with the State concerned for comment, with a deadline."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Invalid, NotFound
from ledger import report_events as events
from orgs.actors import actor_of
from record.log import append_event, event_time
from reports import access, signals, states
from reports.actions.common import (
    Outcome,
    clean_deadline,
    lock_report,
    now,
    require_hash,
    require_office_drafter,
    require_state,
    set_status,
    whole_number,
)
from reports.models import Share


def share(actor, report_id, *, version, version_hash, deadline, at=None) -> Outcome[Share]:
    """From now on the State's members may read that version, nobody else outside the Office."""
    actor = actor_of(actor)
    version = whole_number(version, "version")
    deadline = clean_deadline(deadline)
    at = now(at)
    if deadline <= at:
        raise Invalid(_("The deadline must be in the future."), field="deadline")
    with transaction.atomic():
        report = lock_report(actor, report_id)
        require_office_drafter(actor, report)
        shared = report.versions.filter(number=version).first()
        if shared is None:
            raise NotFound(
                _("This report has no version %(number)s to share.") % {"number": version},
                code="unknown_version",
                field="version",
            )
        require_hash(shared, version_hash)
        earlier = report.shares.filter(version=shared, deadline=deadline).first()
        if earlier is not None:
            return Outcome(earlier, False)
        require_state(report, states.SHAREABLE, _("Sharing"))
        appended = append_event(
            events.REPORT_SHARED,
            at,
            {"version": version, "version_hash": shared.hash, "deadline": event_time(deadline)},
            {"office": report.office.slug, "org": report.concerning.slug},
            handle=report.handle,
        )
        made = Share.objects.create(
            report=report,
            version=shared,
            deadline=deadline,
            shared_by=actor.user,
            shared_at=at,
            log_index=appended.index,
        )
        set_status(report, states.SHARED)
        access.forget_shares(report)
        # Mail goes out after commit, and only if the share committed.
        transaction.on_commit(lambda: signals.version_shared.send(sender=Share, share_id=made.id))
    return Outcome(made, True)
