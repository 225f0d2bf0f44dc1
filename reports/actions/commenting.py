"""The State concerned's side of the round: it acknowledges the shared version and sends its
comments on a named version, signed with its key like a signature."""

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, Invalid, NotFound
from ledger import report_events as events
from ledger import statements
from orgs import keys
from orgs.actors import actor_of
from orgs.models import ROLE_SIGNER
from record.log import append_event, event_time
from reports import files, limits, queries, states
from reports.actions.common import Outcome, clean_text, lock_report, now, require_state
from reports.models import Comment, Report, Share

COMMENT_TAG = b"undersigned/report-comment/v1\x00"


def _require_state_signer(actor, report: Report) -> None:
    if not actor.has_role(report.concerning_id, ROLE_SIGNER):
        raise Forbidden(
            _("Only a signer of the State concerned, %(state)s, may do this.") % {"state": report.concerning.slug}
        )


def require_commenter(actor, report: Report) -> None:
    if report.concerning_id not in actor.roles:
        # Another State, or anyone outside the State concerned, that can see the published report.
        raise Forbidden(_("Only the State concerned may comment on this report."), code="not_concerned")
    _require_state_signer(actor, report)


def _latest_share(report: Report) -> Share:
    """The last share; every report the State can act on has one (access.is_concerned_member)."""
    return report.shares.select_related("version").order_by("-log_index")[0]


def acknowledge(actor, report_id, *, at=None) -> Outcome[Share]:
    """The State confirms it received the latest shared version."""
    actor = actor_of(actor)
    at = now(at)
    with transaction.atomic():
        report = lock_report(actor, report_id)
        _require_state_signer(actor, report)
        latest = _latest_share(report)
        if latest.acknowledged_at is not None:
            return Outcome(latest, False)
        require_state(report, states.ACKNOWLEDGEABLE, _("Acknowledging"))
        statement = events.acknowledge_share_action(
            report.handle, report.concerning.slug, event_time(at), latest.version.hash
        )
        appended = append_event(
            events.REPORT_ACKNOWLEDGED,
            at,
            {"version_hash": latest.version.hash},
            {
                "org": report.concerning.slug,
                "person": actor.user.get_username(),
                "signature": _signed(report, statement),
            },
            handle=report.handle,
        )
        Share.objects.filter(pk=latest.pk).update(
            acknowledged_at=at, acknowledged_by=actor.user, acknowledgement_log_index=appended.index
        )
        latest.refresh_from_db()
    return Outcome(latest, True)


def comment_hash(body: str, file_sha256: str) -> str:
    """What a comment is identified by: the SHA-256 of its file's bytes, or of its text
    (NFC, LF line ends) after a domain tag."""
    if file_sha256:
        return file_sha256
    return hashlib.sha256(COMMENT_TAG + body.encode("utf-8")).hexdigest()


def comment(actor, report_id, *, version_hash, annex=False, body=None, file=None, at=None) -> Outcome[Comment]:
    """The State's signer comments on a version shared with it; late after the deadline."""
    actor = actor_of(actor)
    if not isinstance(annex, bool):
        raise Invalid(_("annex must be true or false."), field="annex")
    if (body in (None, "")) == (file is None):
        raise Invalid(_("Send the comments either as a body or as a file."), field="body")
    text = clean_text(body, "body", limits.COMMENT) if file is None else ""
    if file is not None:
        # Refused before the file is stored, not only after: storage keeps nothing from a
        # person who may not comment (the checks are made again under the lock).
        require_commenter(actor, queries.report_for(actor, report_id))
    stored = files.store_upload(file) if file is not None else None
    chash = comment_hash(text, stored.sha256 if stored else "")
    at = now(at)
    with transaction.atomic():
        report = lock_report(actor, report_id)
        require_commenter(actor, report)
        earlier = report.comments.filter(hash=chash, organisation=report.concerning, annex=annex).first()
        if earlier is not None:
            return Outcome(earlier, False)
        require_state(report, states.COMMENTABLE, _("Commenting"))
        commented = _shared_version(report, version_hash)
        latest = _latest_share(report)
        late = at > latest.deadline
        statement = events.comment_action(
            report.handle, report.concerning.slug, event_time(at), commented.hash, chash, annex
        )
        signature = _signed(report, statement)
        appended = append_event(
            events.REPORT_COMMENTED,
            at,
            {"comment_hash": chash, "version_hash": commented.hash, "annex": annex, "late": late},
            {"org": report.concerning.slug, "signer": actor.user.get_username(), "signature": signature},
            handle=report.handle,
        )
        made = Comment.objects.create(
            report=report,
            version=commented,
            organisation=report.concerning,
            signer=actor.user,
            body=text,
            file_sha256=stored.sha256 if stored else "",
            file_name=stored.name if stored else "",
            media_type=stored.media_type if stored else "",
            hash=chash,
            annex=annex,
            late=late,
            signature=signature,
            sent_at=at,
            log_index=appended.index,
        )
    return Outcome(made, True)


def _shared_version(report: Report, version_hash):
    """The version commented on must be one shared with the State, named by its hash."""
    share = report.shares.select_related("version").filter(version__hash=version_hash).first()
    if share is None:
        if report.versions.filter(hash=version_hash).exists():
            raise Conflict(
                _("That version was never shared with you; comment on a version shared with you."),
                code="version_not_shared",
            )
        raise NotFound(
            _("No version of this report has the hash %(hash)s.") % {"hash": str(version_hash)[:64]},
            code="unknown_version",
            field="version_hash",
        )
    return share.version


def _signed(report: Report, statement: dict) -> str:
    """The State's custodial Ed25519 signature over the statement."""
    return statements.sign_statement(keys.seed_of(report.concerning), statement)
