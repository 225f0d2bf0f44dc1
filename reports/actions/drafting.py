"""Writing a report and its new versions: each immutable, hashed, with a note saying why; a
version is Markdown typed here or an uploaded PDF or DOCX file."""

import hashlib
import json

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Forbidden, Invalid
from documents import actions as documents
from ledger import report_events as events
from orgs import rows as org_rows
from orgs.actors import actor_of
from orgs.models import KIND_OBSERVER, KIND_STATE, ROLE_DRAFTER, Organisation
from reports import files, limits, queries, states
from reports.actions.common import (
    REPORTS,
    Outcome,
    clean_text,
    lock_report,
    now,
    require_office_drafter,
    require_state,
    whole_number,
)
from reports.models import Comment, Report, ReportVersion


class Content:
    """A version's content: its title, its text (typed, or extracted from the file) and, for a
    file, what was stored."""

    def __init__(self, title: str, body: str, stored: files.StoredFile | None):
        self.title, self.body, self.stored = title, body, stored

    def version_hash(self, concerning: str) -> str:
        if self.stored is not None:
            return self.stored.sha256
        return events.report_version_hash(self.title, concerning, self.body)

    def public(self) -> dict:
        return {"file_sha256": self.stored.sha256 if self.stored else None}

    def private(self) -> dict:
        return {
            "title": self.title,
            "body": self.body if self.stored is None else "",
            "file_name": self.stored.name if self.stored else "",
            "media_type": self.stored.media_type if self.stored else "",
        }

    def columns(self) -> dict:
        stored = self.stored
        return {
            "title": self.title,
            "body": self.body,
            "file_sha256": stored.sha256 if stored else "",
            "file_name": stored.name if stored else "",
            "media_type": stored.media_type if stored else "",
            "file_size": stored.size if stored else None,
        }


def stored_upload(body, upload) -> files.StoredFile | None:
    """Exactly one of a Markdown body and an uploaded file; the file is checked and stored
    before the report is locked, since storing 50 MB takes a while."""
    if upload is None:
        return None
    if body not in (None, ""):
        raise Invalid(_("Send either a body or a file, not both."), field="file")
    return files.store_upload(upload)


def content_of(title, body, stored: files.StoredFile | None) -> Content:
    title = clean_text(title, "title", limits.TITLE)
    if stored is not None:
        return Content(title, _readable(stored.text), stored)
    return Content(title, clean_text(body, "body", limits.BODY), None)


def _readable(extracted: str) -> str:
    # Page breaks and other control characters a PDF's text holds are kept out of the body,
    # which is only a reading aid: the file's bytes are what the hash binds.
    text = extracted.replace("\x0c", "\n\n")
    return "".join(c for c in text if c in "\n\t" or c.isprintable())


def state_concerned(slug) -> Organisation:
    found = org_rows.organisation_where("slug", slug) if isinstance(slug, str) else None
    if found is None:
        raise Invalid(_("No organisation has the slug “%(slug)s”.") % {"slug": slug}, field="concerning")
    if found.kind not in (KIND_STATE, KIND_OBSERVER):
        raise Invalid(_("A report concerns a State; %(slug)s is not one.") % {"slug": slug}, field="concerning")
    return found


def office_of(actor, slug) -> Organisation:
    """The organisation the drafter writes for: the one named, or their only one (as a letter's
    penholder: 403 for an organisation they may not write for, 422 when they must choose)."""
    eligible = [org for org_id, org in actor.organisations.items() if org_id in actor.with_role(ROLE_DRAFTER)]
    if slug:
        eligible = [org for org in eligible if org.slug == slug]
    if not eligible:
        raise Forbidden(_("Only a drafter may write a report, for an organisation they draft for."))
    if len(eligible) > 1:
        raise Invalid(_("Name the organisation you write this report for (office)."), field="office")
    return eligible[0]


def create_report(actor, *, title, concerning, note, body=None, file=None, office=None, at=None) -> Outcome[Report]:
    actor = actor_of(actor)
    user = actor.user
    note = clean_text(note, "note", limits.NOTE)
    state = state_concerned(concerning)
    office_org = office_of(actor, office)
    content = content_of(title, body, stored_upload(body, file))
    vhash = content.version_hash(state.slug)
    digest = hashlib.sha256(json.dumps([user.pk, office_org.slug, state.slug, content.title, vhash, note]).encode())
    at = now(at)
    with transaction.atomic():
        earlier = documents.made_by_identical_request(REPORTS, office_org, digest.hexdigest(), at)
        if earlier:
            return Outcome(earlier, False)
        report = Report.objects.create(
            office=office_org, concerning=state, created_by=user, created_at=at, request_digest=digest.hexdigest()
        )
        documents.record_version(
            report,
            events.REPORT_CREATED,
            at,
            {"version": 1, "version_hash": vhash, **content.public()},
            {
                "office": office_org.slug,
                "concerning": state.slug,
                **content.private(),
                "author": user.get_username(),
                "note": note,
            },
            number=1,
            hash=vhash,
            author=user,
            note=note,
            **content.columns(),
        )
    return Outcome(report, True)


def add_version(
    actor, report_id, *, note, base_version, body=None, file=None, title=None, answers=None, at=None
) -> Outcome[ReportVersion]:
    actor = actor_of(actor)
    user = actor.user
    note = clean_text(note, "note", limits.NOTE)
    base_version = whole_number(base_version, "base_version")
    if file is not None:
        # Refused before the file is stored, not only after: storage keeps nothing from a
        # person who may not revise the report (the checks are made again under the lock).
        require_office_drafter(actor, queries.report_for(actor, report_id))
    stored = stored_upload(body, file)
    at = now(at)
    with transaction.atomic():
        report = lock_report(actor, report_id)
        require_office_drafter(actor, report)
        current = report.versions.get(number=report.current_version)
        content = content_of(current.title if title is None else title, body, stored)
        vhash = content.version_hash(report.concerning.slug)
        same_content = (current.hash, current.note) == (vhash, note)  # the note too, as for letters
        if documents.is_repeat_of_current(REPORTS, base_version, current, user, same_content=same_content):
            return Outcome(current, False)
        require_state(report, states.REVISABLE, _("Revising"))
        if vhash == current.hash:
            raise Invalid(_("The new version is identical to the current one."), code="unchanged")
        answered = _answered_comments(report, answers)
        number = current.number + 1
        version = documents.record_version(
            report,
            events.REPORT_VERSION,
            at,
            {
                "version": number,
                "version_hash": vhash,
                **content.public(),
                "base_version": base_version,
                "answers": len(answered),
            },
            {**content.private(), "author": user.get_username(), "note": note, "answers": answered},
            number=number,
            hash=vhash,
            author=user,
            note=note,
            answers=answered,
            **content.columns(),
        )
        documents.make_current(REPORTS, report, number)
    return Outcome(version, True)


def _answered_comments(report: Report, answers) -> list[int]:
    """The comments a revision answers, by id: each one of this report's."""
    if answers in (None, []):
        return []
    if not isinstance(answers, list) or not all(isinstance(a, int) and not isinstance(a, bool) for a in answers):
        raise Invalid(_("answers must be a list of comment ids."), field="answers")
    known = set(Comment.objects.filter(report=report, id__in=answers).values_list("id", flat=True))
    unknown = sorted(set(answers) - known)
    if unknown:
        raise Invalid(
            _("This report has no comment %(id)s.") % {"id": unknown[0]}, code="unknown_comment", field="answers"
        )
    return sorted(known)
