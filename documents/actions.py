"""The steps every action of either flow takes, whatever the document: answer a repeated
creation with what the first one made, lock the document and re-read it, refuse a transition its
status does not allow, move its status, refuse an edit of a version that is no longer the
current one, and record a new version in the log and in its row.

What differs between a letter and a report is named once per flow in a ``Flow``: its model, who
may see it, how it is locked, and the words its refusals use (each flow's own msgids, so that
each flow's catalogue keeps translating them)."""

import datetime
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise

from core.errors import Conflict, NotFound
from documents.inputs import row_id
from orgs.models import Organisation
from record.log import append_event

Made = TypeVar("Made")
Document = TypeVar("Document", bound=models.Model)

# How long an identical creation request is taken for a repeat (a double click, a retried POST).
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=10)


@dataclass
class Outcome(Generic[Made]):
    """What an action made, and whether this request made it (False: an identical earlier request did)."""

    object: Made
    created: bool


@dataclass(frozen=True)
class Flow(Generic[Document]):
    """What tells one flow's documents from the other's, for the steps they share."""

    model: type[Document]
    lock: Callable[[int], Document | None]  # the row, locked until commit, or None
    can_see: Callable[[Any, Document], bool]  # (actor, document): whether it exists for them
    status_label: Callable[[str], str]  # a status as people read it
    # The flow's own words, translated lazily (each in its flow's catalogue):
    missing: Promise  # "No such letter."
    not_while: Promise  # "%(action)s: not possible while the letter is %(status)s."
    stale_base: Promise  # "Version %(base)s is not the current version (%(current)s); …"


def now(at):
    return at or timezone.now()


def made_by_identical_request(flow: Flow[Document], organisation: Organisation, digest: str, at) -> Document | None:
    """The document an identical request (the same ``digest``) made in the last minutes, if any.

    Creations are serialised per organisation, so two identical clicks cannot both create. NO
    KEY: a plain FOR UPDATE would also block the foreign-key checks of rows that name this
    organisation (a batch of signatures holding the log head), and deadlock with them."""
    Organisation.objects.select_for_update(no_key=True).filter(pk=organisation.pk).first()
    recent = flow.model._default_manager.filter(request_digest=digest, created_at__gte=at - DOUBLE_SUBMIT_WINDOW)
    return recent.first()


def visible(flow: Flow[Document], actor, document: Document | None) -> Document:
    """The document, if it exists for the actor: one they may not see is missing, with the same
    words as one that does not exist."""
    if document is None or not flow.can_see(actor, document):
        raise NotFound(str(flow.missing))
    return document


def lock_visible(flow: Flow[Document], actor, identifier) -> Document:
    """The document, locked until commit and read again under the lock, if the actor may see it."""
    found = row_id(identifier)
    return visible(flow, actor, flow.lock(found) if found is not None else None)


def require_state(flow: Flow, status: str, allowed: AbstractSet[str], action: str) -> None:
    """Refuse an action the document's status does not allow, naming the statuses it would."""
    if status not in allowed:
        raise Conflict(
            str(flow.not_while) % {"action": action, "status": flow.status_label(status).lower()},
            code="illegal_transition",
            current_status=status,
            allowed_from=sorted(allowed),
        )


def set_status(flow: Flow, document: Any, status: str) -> None:
    """Move the locked document to ``status``, in the row and in the instance the action holds."""
    flow.model._default_manager.filter(pk=document.pk).update(status=status)
    document.status = status


def is_repeat_of_current(flow: Flow, base_version, current, user, *, same_content: bool, **details) -> bool:
    """Whether a new version's request repeats the one that made the current version (the same
    author, the same content, on the version before it): then the action answers with that one.

    Any other request on a version that is not the current one is refused as stale, so that no
    one overwrites changes they have not read; ``details`` go with the refusal."""
    if base_version == current.number:
        return False
    if current.number == base_version + 1 and current.author_id == user.pk and same_content:
        return True
    raise Conflict(
        str(flow.stale_base) % {"base": base_version, "current": current.number},
        code="stale_version",
        current_version=current.number,
        **details,
    )


def record_version(document: Any, event_type: str, at, public: dict, private: dict, **columns):
    """A new version: the event that records it in the log, then its immutable row, which names
    that event. In the action's transaction, so neither exists without the other."""
    appended = append_event(event_type, at, public, private, handle=document.handle)
    return document.versions.create(created_at=at, log_index=appended.index, **columns)


def make_current(flow: Flow, document: Any, number: int) -> None:
    """The document's current version is now ``number``."""
    flow.model._default_manager.filter(pk=document.pk).update(current_version=number)
