"""Every state change of a letter, one function each, shared by the web pages, the API and the CLI.

Each action follows the same steps: lock the letter, re-read it, check the actor and the state,
change the rows, and append the event that records the change, all in one transaction. Slow
work (mail, integration of the log) happens after commit. A repeated identical request (a
double click, a retry) returns the object the first one made instead of making another.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledger import events, statements
from ledger.canonical import normalise_text, version_hash
from letters import access, group_commit, states
from core.errors import ActionError, Conflict, Forbidden, Invalid, NotFound
from core.text import refuse_invisible_characters
from letters.models import Delivery, Invitation, Letter, Signature, Version
from orgs import keys
from orgs.models import ROLE_DRAFTER, ROLE_SIGNER, Organisation
from record.log import NewEvent, append_event, append_events, event_time
from core import sql

MAX_TITLE = 300
MAX_BODY = 50_000
MAX_NOTE = 500
MAX_MESSAGE = 5_000
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=10)
# What a person is told when they leave out a required field (others: "<field> is required.").
REQUIRED = {
    "title": gettext_lazy("A title is required."),
    "body": gettext_lazy("The text of the letter is required."),
    "note": gettext_lazy("A short note saying why is required."),
}


@dataclass
class Outcome:
    """What an action made, and whether this request made it (False: an identical earlier request did)."""

    object: object
    created: bool


# ---------------------------------------------------------------- helpers


def _now(at):
    return at or timezone.now()


# The columns of a letter an action reads; the rest (dates, message) load on first use.
_LETTER_COLUMNS = ("id", "handle", "penholder_id", "addressee_id", "status", "language", "names_visible_to",
                   "current_version", "created_by_id", "request_digest")


def _lock_letter(user, letter_id) -> Letter:
    """The letter, locked until commit, if the user may see it, with its current version as
    ``letter.current``.

    The lock is on the letter row alone, so actions on other letters of the same penholder or
    addressee never wait for it. Penholder and addressee load on first use."""
    letter_id = _row_id(letter_id)
    letter = _lock_letters([letter_id]).get(letter_id) if letter_id is not None else None
    if letter is None or not access.can_see_letter(user, letter):
        raise NotFound(_("No such letter."))
    return letter


def _row_id(value) -> int | None:
    """A primary key from a URL or the command line, or None for anything no row can have."""
    if isinstance(value, str) and value.isdecimal():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value
    return None


def _require_state(letter: Letter, allowed: set[str], action: str) -> None:
    if letter.status not in allowed:
        raise Conflict(
            _("%(action)s: not possible while the letter is %(status)s.") % {
                "action": action, "status": states.label(letter.status).lower()},
            code="illegal_transition",
            current_status=letter.status,
            allowed_from=sorted(allowed),
        )


def _require_penholder_drafter(user, letter: Letter) -> None:
    if not access.is_penholder_drafter(user, letter):
        raise Forbidden(_("Only a drafter of the penholder organisation may do this."))


def _set_status(letter: Letter, status: str) -> None:
    Letter.objects.filter(pk=letter.pk).update(status=status)
    letter.status = status


def _clean_text(value, field: str, limit: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_("%(field)s must be text.") % {"field": field}, field=field)
    value = normalise_text(value).strip() if field != "body" else normalise_text(value)
    refuse_invisible_characters(value, field)
    if required and not value.strip():
        raise Invalid(REQUIRED.get(field, _("%(field)s is required.")) % {"field": field}, field=field)
    if len(value) > limit:
        raise Invalid(_("%(field)s is %(length)s characters long; the limit is %(limit)s.") % {
            "field": field, "length": len(value), "limit": limit}, field=field)
    return value


def _organisation(slug, field: str) -> Organisation:
    organisation = access.organisation_where("slug", slug) if isinstance(slug, str) else None
    if organisation is None:
        raise Invalid(_("No organisation has the slug “%(slug)s”.") % {"slug": slug}, field=field)
    return organisation


def _acting_organisation(user, eligible: set[int], slug: str | None, role: str) -> Organisation:
    """The organisation a person acts for: the one named, or their only eligible one (always
    one of their own organisations)."""
    if slug:
        organisation = next((o for o in access.organisations_of(user).values() if o.slug == slug), None)
        organisation = organisation or _organisation(slug, "organisation")
        if organisation.id not in eligible:
            raise Forbidden(_("You may not act for %(organisation)s on this letter.") % {"organisation": organisation.slug})
        return organisation
    if len(eligible) == 1:
        return access.organisations_of(user)[next(iter(eligible))]
    if not eligible:
        raise Forbidden(_("None of your organisations may do this on this letter."))
    raise Invalid(_("You belong to several organisations that may do this: choose one."),
                  field="organisation")


def _signature_of(organisation: Organisation, statement: dict) -> str:
    """The organisation's Ed25519 signature over the statement (its custodial key)."""
    return statements.sign_statement(keys.seed_of(organisation), statement)


# ---------------------------------------------------------------- drafting


def create_letter(user, *, title, addressee, body, note, language="en", penholder=None, at=None) -> Outcome:
    title = _clean_text(title, "title", MAX_TITLE)
    body = _clean_text(body, "body", MAX_BODY)
    note = _clean_text(note, "note", MAX_NOTE)
    language = _clean_language(language)
    addressee_org = _organisation(addressee, "addressee")
    drafter_of = access.organisations_with_role(user, ROLE_DRAFTER)
    penholder_org = _acting_organisation(user, drafter_of, penholder, ROLE_DRAFTER)
    if addressee_org.id == penholder_org.id:
        raise Invalid(_("A letter cannot be addressed to its own penholder, %(organisation)s.") % {
            "organisation": penholder_org.slug}, field="addressee")
    digest = hashlib.sha256(
        json.dumps([user.pk, penholder_org.slug, addressee_org.slug, title, body, note, language]).encode()
    ).hexdigest()
    at = _now(at)
    with transaction.atomic():
        # Serialise creations per penholder so two identical clicks cannot both create. NO KEY:
        # a plain FOR UPDATE would also block the foreign-key checks of rows that name this
        # organisation (a batch of signatures holding the log head), and deadlock with them.
        Organisation.objects.select_for_update(no_key=True).filter(pk=penholder_org.pk).first()
        earlier = Letter.objects.filter(
            request_digest=digest, created_at__gte=at - DOUBLE_SUBMIT_WINDOW
        ).first()
        if earlier:
            return Outcome(earlier, False)
        letter = Letter.objects.create(
            penholder=penholder_org, addressee=addressee_org, language=language,
            created_by=user, created_at=at, request_digest=digest,
        )
        vhash = version_hash(title, addressee_org.slug, body)
        appended = append_event(
            events.LETTER_CREATED, at,
            {"version": 1, "version_hash": vhash, "language": language},
            {"penholder": penholder_org.slug, "addressee": addressee_org.slug, "title": title,
             "body": body, "author": user.get_username(), "note": note},
            handle=letter.handle,
        )
        Version.objects.create(
            letter=letter, number=1, title=title, addressee=addressee_org, body=body, hash=vhash,
            author=user, note=note, created_at=at, log_index=appended.index,
        )
    return Outcome(letter, True)


def _clean_language(language) -> str:
    # Letters are written in any language: anything shaped like a BCP 47 tag is accepted.
    language = language or "en"
    if not isinstance(language, str) or not (2 <= len(language) <= 16) or not all(
        part.isascii() and part.isalnum() for part in language.split("-")
    ):
        raise Invalid("language must be a language tag such as en, fr or zh-Hans.", field="language")
    return language


def add_version(user, letter_id, *, body, note, base_version, title=None, at=None) -> Outcome:
    body = _clean_text(body, "body", MAX_BODY)
    note = _clean_text(note, "note", MAX_NOTE)
    if not isinstance(base_version, int) or isinstance(base_version, bool):
        raise Invalid("base_version must be the number of the version you edited.", field="base_version")
    at = _now(at)
    with transaction.atomic():
        letter = _lock_letter(user, letter_id)
        _require_penholder_drafter(user, letter)
        current = letter.version(letter.current_version)
        title = current.title if title is None else _clean_text(title, "title", MAX_TITLE)
        if base_version != letter.current_version:
            if _is_repeat_of(current, user, title, body, note, base_version):
                return Outcome(current, False)
            raise Conflict(
                _("Version %(base)s is not the current version (%(current)s); read the changes and edit "
                  "the current version.") % {"base": base_version, "current": letter.current_version},
                code="stale_version",
                current_version=letter.current_version,
                diff=f"/api/v1/letters/{letter.id}/diff?from={base_version}&to={letter.current_version}",
            )
        _require_state(letter, states.EDITABLE, _("Editing"))
        if (title, body) == (current.title, current.body):
            raise Invalid(_("The new version is identical to the current one."), code="unchanged")
        number = current.number + 1
        vhash = version_hash(title, letter.addressee.slug, body)
        appended = append_event(
            events.VERSION_CREATED, at,
            {"version": number, "version_hash": vhash, "base_version": base_version},
            {"addressee": letter.addressee.slug, "title": title, "body": body,
             "author": user.get_username(), "note": note},
            handle=letter.handle,
        )
        version = Version.objects.create(
            letter=letter, number=number, title=title, addressee=letter.addressee, body=body,
            hash=vhash, author=user, note=note, created_at=at, log_index=appended.index,
        )
        Letter.objects.filter(pk=letter.pk).update(current_version=number)
    _after_commit("new_version", letter.id, number)
    return Outcome(version, True)


def _is_repeat_of(current: Version, user, title, body, note, base_version) -> bool:
    return (current.number == base_version + 1 and current.author_id == user.pk
            and (current.title, current.body, current.note) == (title, body, note))


# ---------------------------------------------------------------- circulation


def circulate(user, letter_id, *, invitees, deadline=None, message="", names_visible_to=None, at=None) -> Outcome:
    """Invite organisations (slugs, "group:<UN regional group>" or "all") and open the letter for signature."""
    message = _clean_text(message, "message", MAX_MESSAGE, required=False)
    deadline = _clean_deadline(deadline)
    if names_visible_to is not None:
        _check_names_visibility(names_visible_to)
    at = _now(at)
    with transaction.atomic():
        letter = _lock_letter(user, letter_id)
        _require_penholder_drafter(user, letter)
        _require_state(letter, states.CIRCULATABLE, _("Circulation"))
        organisations = resolve_invitees(invitees, exclude={letter.penholder_id, letter.addressee_id})
        if not organisations:
            raise Invalid(_("Nobody to invite: the penholder and the addressee cannot be invitees."), field="invitees")
        already = access.invited_organisation_ids(letter)
        new = [org for org in organisations if org.id not in already]
        changes_deadline = deadline is not None and deadline != letter.deadline
        if changes_deadline:
            # Only a new deadline must lie ahead: inviting more organisations with the deadline
            # as it stands stays possible after it has passed.
            _require_future(deadline, at)
        if not new and letter.status == states.CIRCULATING and not changes_deadline:
            changed = names_visible_to is not None and _set_names_visibility(letter, names_visible_to, at)
            return Outcome(letter, changed)
        Invitation.objects.bulk_create([Invitation(letter=letter, organisation=o, invited_at=at) for o in new])
        append_event(
            events.LETTER_CIRCULATED, at,
            {"invitees": len(new), "deadline": event_time(deadline) if deadline else None},
            {"invitees": [o.slug for o in new], "message": message},
            handle=letter.handle,
        )
        Letter.objects.filter(pk=letter.pk).update(
            status=states.CIRCULATING, deadline=deadline or letter.deadline, message=message or letter.message
        )
        letter.status = states.CIRCULATING
        if names_visible_to is not None:
            _set_names_visibility(letter, names_visible_to, at)
    _after_commit("invited", letter.id, [o.id for o in new])
    return Outcome(letter, True)


def resolve_invitees(invitees, exclude: set[int]) -> list[Organisation]:
    if not isinstance(invitees, list) or not invitees or not all(isinstance(i, str) for i in invitees):
        raise Invalid("invitees must be a non-empty list of organisation slugs, 'group:<regional group>' or 'all'.",
                      field="invitees")
    if len(invitees) > 1000:
        raise Invalid("At most 1000 invitees at a time.", field="invitees")
    found: dict[int, Organisation] = {}
    for item in invitees:
        for organisation in _expand_invitee(item):
            if organisation.id not in exclude:
                found[organisation.id] = organisation
    return sorted(found.values(), key=lambda o: o.slug)


def _expand_invitee(item: str):
    if item == "all":
        return list(Organisation.objects.filter(kind__in=["state", "observer"]))
    if item.startswith("group:"):
        group = list(Organisation.objects.filter(regional_group=item[len("group:"):]))
        if not group:
            raise Invalid(_("No organisation is in the regional group “%(group)s”.") % {"group": item[6:]},
                          field="invitees")
        return group
    return [_organisation(item, "invitees")]


def _clean_deadline(deadline):
    if deadline is None or deadline == "":
        return None
    if isinstance(deadline, str):
        try:
            deadline = datetime.datetime.fromisoformat(deadline.replace("Z", "+00:00"))
        except ValueError:
            raise Invalid("deadline must be an ISO 8601 date and time, such as 2022-07-15T18:00:00Z.",
                          field="deadline")
    if not isinstance(deadline, datetime.datetime):
        raise Invalid("deadline must be a date and time.", field="deadline")
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=datetime.timezone.utc)
    return deadline


def _require_future(deadline: datetime.datetime, at: datetime.datetime) -> None:
    if deadline <= at:
        raise Invalid(_("The deadline has already passed: choose a date and time still to come."), field="deadline")


def set_names_visibility(user, letter_id, names, at=None) -> Outcome:
    at = _now(at)
    with transaction.atomic():
        letter = _lock_letter(user, letter_id)
        _require_penholder_drafter(user, letter)
        _require_state(letter, {states.DRAFT, states.CIRCULATING, states.CLOSED, states.DELIVERED},
                       _("Choosing who sees the names"))
        changed = _set_names_visibility(letter, names, at)
    return Outcome(letter, changed)


def _check_names_visibility(names) -> None:
    if not isinstance(names, str) or names not in dict(states.NAMES_VISIBILITY):
        raise Invalid("names_visible_to must be penholder, invitees or public.", field="names_visible_to")


def _set_names_visibility(letter: Letter, names, at) -> bool:
    _check_names_visibility(names)
    if names == letter.names_visible_to:
        return False
    append_event(events.LETTER_VISIBILITY, at, {"names": names}, None, handle=letter.handle)
    Letter.objects.filter(pk=letter.pk).update(names_visible_to=names)
    letter.names_visible_to = names
    return True


def close(user, letter_id, at=None) -> Outcome:
    return _simple_transition(user, letter_id, states.CLOSABLE, states.CLOSED, events.LETTER_CLOSED, _("Closing"), at)


def abandon(user, letter_id, at=None) -> Outcome:
    return _simple_transition(
        user, letter_id, states.ABANDONABLE, states.ABANDONED, events.LETTER_ABANDONED, _("Abandoning"), at
    )


def publish(user, letter_id, at=None) -> Outcome:
    return _simple_transition(
        user, letter_id, states.PUBLISHABLE, states.PUBLISHED, events.LETTER_PUBLISHED, _("Publication"), at
    )


def _simple_transition(user, letter_id, allowed, target, event_type, action, at) -> Outcome:
    at = _now(at)
    with transaction.atomic():
        letter = _lock_letter(user, letter_id)
        _require_penholder_drafter(user, letter)
        if letter.status == target:
            return Outcome(letter, False)
        _require_state(letter, allowed, action)
        append_event(event_type, at, {}, None, handle=letter.handle)
        _set_status(letter, target)
    return Outcome(letter, True)


# ---------------------------------------------------------------- signing


def sign(user, letter_id, *, version, version_hash, organisation=None, at=None) -> Outcome:
    """Sign the version the signer was shown, named by number and hash.

    The most frequent action by far: signatures that arrive together share a transaction
    (letters/group_commit.py), which reads and writes in plain SQL (core/sql.py) with
    the same number of statements however many it holds (plus two for each re-confirmation);
    see _sign_batch."""
    if not isinstance(version, int) or isinstance(version, bool) or not isinstance(version_hash, str):
        raise Invalid("version (a number) and version_hash (hex SHA-256) are required.", field="version")
    letter_id = _row_id(letter_id)
    if letter_id is None:
        raise NotFound(_("No such letter."))
    access.organisations_of(user)  # read now, in the request's thread, not in the commit
    request = _SignRequest(user, letter_id, version, version_hash.lower(), organisation, _now(at),
                           translation.get_language())
    return group_commit.committer.run(_sign_batch, request, key=("sign", letter_id, user.pk))


@dataclass(frozen=True)
class _SignRequest:
    user: object
    letter_id: int
    version: int
    version_hash: str
    organisation: str | None
    at: datetime.datetime
    language: str | None


@dataclass(frozen=True)
class _LiveSignature:
    id: int
    log_index: int
    number: int
    hash: str


@dataclass
class _NewSignature:
    request: _SignRequest
    letter: Letter
    organisation: Organisation
    replaces: _LiveSignature | None
    late: bool
    log_index: int | None = None
    signature: Signature | None = None


@dataclass(frozen=True)
class _SignedInThisBatch:
    signing: _NewSignature


def _sign_batch(requests: list[_SignRequest]) -> list:
    """Sign for each request, inside the caller's transaction: its Outcome, or the ActionError
    that refuses it (which wrote nothing). Each is checked exactly as it would be alone; the
    batch locks its letters (in id order, see letters/group_commit.py), reads their versions,
    invitations and live signatures, appends its events and inserts its rows with one statement
    each (a re-confirmation also updates the signature it replaces)."""
    letters = _lock_letters(sorted({request.letter_id for request in requests}))
    access.preload_invitations(letters.values(), {request.user for request in requests})
    live = _live_signatures(letters, requests)
    answers, new, signing = [], [], {}  # signing: (letter, organisation) -> its _NewSignature
    for request in requests:
        with translation.override(request.language):
            try:
                answer = _check_signature(request, letters.get(request.letter_id), live, signing)
            except ActionError as refusal:
                answer = refusal
        if isinstance(answer, _NewSignature):
            signing[(answer.letter.id, answer.organisation.id)] = answer
            new.append(answer)
        answers.append(answer)
    _store_signatures(new)
    return [Outcome(answer.signature, True) if isinstance(answer, _NewSignature)
            else Outcome(answer.signing.signature, False) if isinstance(answer, _SignedInThisBatch)
            else answer for answer in answers]


def _check_signature(request: _SignRequest, letter: Letter | None, live: dict, signing: dict):
    """A refusal (raised), the Outcome of an earlier identical signature, _SignedInThisBatch when
    another signer of the same organisation signs the same version in this batch, or the
    _NewSignature to make."""
    user = request.user
    if letter is None or not access.can_see_letter(user, letter):
        raise NotFound(_("No such letter."))
    organisation = _acting_organisation(user, access.signing_organisations(user, letter), request.organisation,
                                        ROLE_SIGNER)
    shown, current = (request.version, request.version_hash), (letter.current.number, letter.current.hash)
    in_batch = signing.get((letter.id, organisation.id))
    if in_batch and shown == current:
        return _SignedInThisBatch(in_batch)
    replaces = live.get((letter.id, organisation.id))
    if replaces and (replaces.number, replaces.hash) == shown:
        return Outcome(Signature.objects.select_related("organisation", "version").get(pk=replaces.id), False)
    if shown != current:
        raise _stale(letter, letter.current, request.version)
    _require_state(letter, states.SIGNABLE, _("Signing"))
    return _NewSignature(request, letter, organisation, replaces, late=letter.status in states.LATE)


def _lock_letters(letter_ids: list[int]) -> dict[int, Letter]:
    """The letters, locked in id order (plain SQL: core/sql.py), each with its current
    version as ``letter.current``.

    The versions are read by a second statement, after the locks are held. On PostgreSQL a
    locking select that waited for another transaction re-checks only the locked rows against
    what committed meanwhile: joined to the version row it had read before waiting, a letter
    that has just gained a version would drop out of the answer and look deleted."""
    placeholders = sql.in_list(letter_ids)
    rows = sql.fetch_all(
        f"SELECT {', '.join(_LETTER_COLUMNS)} FROM letters_letter WHERE id IN ({placeholders})"
        f" ORDER BY id{sql.for_update()}",
        letter_ids,
    )
    letters = {letter.id: letter for letter in (sql.as_model(Letter, dict(zip(_LETTER_COLUMNS, row))) for row in rows)}
    for letter_id, version_id, version_hash in sql.fetch_all(
        "SELECT v.letter_id, v.id, v.hash FROM letters_version v"
        " JOIN letters_letter l ON l.id = v.letter_id AND v.number = l.current_version"
        f" WHERE l.id IN ({placeholders})",
        letter_ids,
    ):
        letter = letters[letter_id]
        # The current version's number and hash (its text loads only if asked for).
        letter.current = sql.as_model(Version, {"id": version_id, "letter_id": letter_id,
                                                "number": letter.current_version, "hash": version_hash})
    return letters


def _live_signatures(letters: dict[int, Letter], requests: list[_SignRequest]) -> dict:
    """{(letter id, organisation id): _LiveSignature} for the batch's letters and its signers' organisations."""
    organisation_ids = sorted({org for request in requests for org in access.roles_by_organisation(request.user)})
    if not letters or not organisation_ids:
        return {}
    letter_ids = sorted(letters)
    rows = sql.fetch_all(
        "SELECT s.letter_id, s.organisation_id, s.id, s.log_index, v.number, v.hash FROM letters_signature s"
        " JOIN letters_version v ON v.id = s.version_id"
        f" WHERE s.letter_id IN ({sql.in_list(letter_ids)}) AND s.organisation_id IN ({sql.in_list(organisation_ids)})"
        " AND s.withdrawn_at IS NULL AND s.replaced_at IS NULL",
        [*letter_ids, *organisation_ids],
    )
    return {(row[0], row[1]): _LiveSignature(*row[2:]) for row in rows}


def _store_signatures(new: list[_NewSignature]) -> None:
    """Append the batch's signature.signed events, then its signature rows."""
    if not new:
        return
    appended = append_events([_signed_event(item) for item in new])
    for item, entry in zip(new, appended):
        item.log_index = entry.index
    for item in new:
        if item.replaces:
            # Re-confirmation: the old signature stays bound to its version but stops being
            # live before the new one exists, as the one-live-signature index demands.
            sql.execute("UPDATE letters_signature SET replaced_at = %s WHERE id = %s",
                        [connection.ops.adapt_datetimefield_value(item.request.at), item.replaces.id])
    # The letters are locked, so no other transaction signs them meanwhile; the database's
    # one-live-signature index remains the last line of defence.
    ids = dict(sql.fetch_all(
        "INSERT INTO letters_signature (letter_id, organisation_id, version_id, signed_by_id, signed_at, late,"
        " log_index, withdrawal_reason, withdrawal_late) VALUES "
        + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, '', %s)"] * len(new)) + " RETURNING log_index, id",
        [value for item in new for value in (
            item.letter.id, item.organisation.id, item.letter.current.id, item.request.user.pk,
            connection.ops.adapt_datetimefield_value(item.request.at), item.late, item.log_index, False)],
    ))
    for item in new:
        item.signature = Signature(
            id=ids[item.log_index], letter=item.letter, organisation=item.organisation, version=item.letter.current,
            signed_by=item.request.user, signed_at=item.request.at, late=item.late, log_index=item.log_index,
        )
        item.signature._state.adding, item.signature._state.db = False, connection.alias
        if item.replaces:
            sql.execute("UPDATE letters_signature SET replaced_by_id = %s WHERE id = %s",
                        [item.signature.id, item.replaces.id])


def _signed_event(item: _NewSignature) -> NewEvent:
    letter, organisation, request = item.letter, item.organisation, item.request
    statement = statements.sign_action(letter.handle, organisation.slug, event_time(request.at),
                                       letter.current.number, letter.current.hash)
    return NewEvent(
        events.SIGNATURE_SIGNED, request.at,
        {"version": letter.current.number, "version_hash": letter.current.hash, "late": item.late,
         "replaces": item.replaces.log_index if item.replaces else None},
        {"org": organisation.slug, "signer": request.user.get_username(),
         "signature": _signature_of(organisation, statement)},
        handle=letter.handle,
    )


def _stale(letter: Letter, current: Version, version) -> Conflict:
    return Conflict(
        _("You were shown version %(shown)s, but the current version is %(current)s. Read the changes, "
          "then sign the current version.") % {"shown": version, "current": current.number},
        code="stale_version",
        current_version=current.number,
        current_hash=current.hash,
        diff=f"/api/v1/letters/{letter.id}/diff?from={version}&to={current.number}",
    )


def withdraw(user, letter_id, *, reason="", organisation=None, at=None) -> Outcome:
    reason = _clean_text(reason, "reason", MAX_NOTE, required=False)
    at = _now(at)
    with transaction.atomic():
        letter = _lock_letter(user, letter_id)
        signer_org = _acting_organisation(user, access.signing_organisations(user, letter), organisation, ROLE_SIGNER)
        _require_state(letter, states.WITHDRAWABLE, _("Withdrawal"))
        latest = Signature.objects.filter(letter=letter, organisation=signer_org).order_by("-log_index").first()
        if latest is None:
            raise Conflict(_("%(organisation)s has not signed this letter.") % {"organisation": signer_org.slug},
                           code="not_signed")
        if not latest.is_live:
            return Outcome(latest, False)
        late = letter.status in states.LATE
        statement = statements.withdraw_action(letter.handle, signer_org.slug, event_time(at), latest.log_index)
        appended = append_event(
            events.SIGNATURE_WITHDRAWN, at,
            {"signature": latest.log_index, "late": late},
            {"org": signer_org.slug, "signer": user.get_username(), "reason": reason,
             "signature": _signature_of(signer_org, statement)},
            handle=letter.handle,
        )
        Signature.objects.filter(pk=latest.pk).update(
            withdrawn_at=at, withdrawn_by=user, withdrawal_reason=reason, withdrawal_late=late,
            withdrawal_log_index=appended.index,
        )
        latest.refresh_from_db()
    return Outcome(latest, True)


# ---------------------------------------------------------------- delivery


def deliver(user, letter_id, *, version, at=None) -> Outcome:
    """Deliver a version with the ordered list of its signatories; after a first delivery, an addendum."""
    if not isinstance(version, int) or isinstance(version, bool):
        raise Invalid("version must be the number of the version to deliver.", field="version")
    at = _now(at)
    with transaction.atomic():
        letter = _lock_letter(user, letter_id)
        _require_penholder_drafter(user, letter)
        _require_state(letter, states.DELIVERABLE, _("Delivery"))
        if version != letter.current_version:
            raise Conflict(_("Only the current version (%(current)s) can be delivered.") % {"current": letter.current_version},
                           code="stale_version", current_version=letter.current_version)
        delivered_version = letter.version(version)
        earlier = list(letter.deliveries.filter(version=delivered_version).order_by("log_index"))
        signatories, withdrawn = _delivery_lists(letter, delivered_version, earlier)
        if earlier and not signatories and not withdrawn:
            return Outcome(earlier[-1], False)
        if not earlier and not signatories:
            raise Conflict(_("Nobody has signed this version yet."), code="no_signatories")
        addendum_to = earlier[-1] if earlier else None
        dhash = statements.delivery_hash(
            letter.handle, version, delivered_version.hash, signatories, withdrawn,
            addendum_to.hash if addendum_to else None,
        )
        statement = statements.deliver_action(letter.handle, letter.penholder.slug, event_time(at), dhash)
        appended = append_event(
            events.LETTER_DELIVERED, at,
            {"delivery": dhash, "version": version, "version_hash": delivered_version.hash,
             "count": len(signatories), "addendum_to": addendum_to.hash if addendum_to else None},
            {"penholder": letter.penholder.slug, "signatories": signatories, "withdrawn": withdrawn,
             "signature": _signature_of(letter.penholder, statement)},
            handle=letter.handle,
        )
        delivery = Delivery.objects.create(
            letter=letter, version=delivered_version, hash=dhash, signatories=signatories,
            withdrawn=withdrawn, addendum_to=addendum_to, delivered_by=user, delivered_at=at,
            log_index=appended.index,
        )
        if letter.status != states.DELIVERED:
            _set_status(letter, states.DELIVERED)
    _after_commit("delivered", delivery.id)
    return Outcome(delivery, True)


def _delivery_lists(letter, version, earlier: list[Delivery]) -> tuple[list[str], list[str]]:
    live = list(
        Signature.objects.filter(letter=letter, version=version, withdrawn_at=None, replaced_at=None)
        .order_by("log_index").values_list("organisation__slug", flat=True)
    )
    listed: list[str] = []
    for delivery in earlier:
        listed = [slug for slug in listed if slug not in delivery.withdrawn] + delivery.signatories
    signatories = [slug for slug in live if slug not in listed]
    withdrawn = [slug for slug in listed if slug not in live]
    return signatories, withdrawn


def acknowledge(user, delivery_id, at=None) -> Outcome:
    at = _now(at)
    with transaction.atomic():
        letter, delivery = _lock_delivery_for_addressee(user, delivery_id)
        if ROLE_SIGNER not in access.roles_by_organisation(user).get(letter.addressee_id, set()):
            raise Forbidden(_("Only a signer of the addressee may acknowledge receipt."))
        if delivery.acknowledged_at:
            return Outcome(delivery, False)
        statement = statements.acknowledge_action(letter.handle, letter.addressee.slug, event_time(at), delivery.hash)
        appended = append_event(
            events.DELIVERY_ACKNOWLEDGED, at, {"delivery": delivery.hash},
            {"org": letter.addressee.slug, "person": user.get_username(),
             "signature": _signature_of(letter.addressee, statement)},
            handle=letter.handle,
        )
        Delivery.objects.filter(pk=delivery.pk).update(
            acknowledged_at=at, acknowledged_by=user, acknowledgement_log_index=appended.index
        )
        delivery.refresh_from_db()
    _after_commit("acknowledged", delivery.id)
    return Outcome(delivery, True)


def _lock_delivery_for_addressee(user, delivery_id) -> tuple[Letter, Delivery]:
    """The delivery and its letter, locked, if the user is a member of the addressee.

    A delivery that exists but is not the user's to acknowledge is refused with the very words
    of one that does not exist, so that delivery ids cannot be probed for letters."""
    no_such_delivery = NotFound(_("No such delivery."))
    delivery_id = _row_id(delivery_id)
    letter_id = Delivery.objects.filter(pk=delivery_id).values_list("letter_id", flat=True).first() if (
        delivery_id is not None) else None
    if letter_id is None:
        raise no_such_delivery
    try:
        letter = _lock_letter(user, letter_id)
    except NotFound:
        raise no_such_delivery from None
    if not access.is_addressee_member(user, letter):
        raise no_such_delivery
    return letter, Delivery.objects.select_for_update().get(pk=delivery_id)


# ---------------------------------------------------------------- after commit


def _after_commit(what: str, *args) -> None:
    """Queue notifications once the change is committed (letters.notify decides who hears of it)."""
    from letters import notify

    transaction.on_commit(lambda: notify.enqueue(what, *args))
