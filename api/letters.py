"""Letters, versions, circulation, signatures and deliveries."""

from typing import Any

from django.http import HttpResponse
from ninja import Query, Router
from ninja.params.models import Body, BodyModel
from ninja.responses import Status

from api.auth import AUTH
from api.schemas import (
    ACKNOWLEDGE_BODY,
    AcknowledgeIn,
    CirculateIn,
    CommentIn,
    CommentOut,
    CommentSharingIn,
    CommentSharingOut,
    DeliverIn,
    DeliveryOut,
    DiffOut,
    Error,
    LetterHistoryItem,
    LetterIn,
    LetterOut,
    SignatureOut,
    SignIn,
    VersionIn,
    VersionOut,
    VisibilityIn,
    WithdrawIn,
)
from api.versions import version_out
from core.errors import Invalid
from letters import access, actions, bundles, comments, documents, docx, histories, limits, queries
from letters.diff import word_diff

router = Router(auth=AUTH, tags=["letters"])
# The multipart form of POST /letters/{id}/versions, for the OpenAPI document.
VERSION_FROM_WORD = {
    "type": "object",
    "required": ["file", "note", "base_version"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "A Word document (.docx) up to 5 MB"},
        "note": {"type": "string", "maxLength": limits.NOTE},
        "base_version": {"type": "integer", "minimum": 1},
        "title": {"type": "string", "maxLength": limits.TITLE, "description": "Else the document's Title paragraph"},
    },
}
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error}


def _answer(outcome, body) -> Status:
    """201 for what this request made; 200 when an identical earlier request made it."""
    return Status(201 if outcome.created else 200, body)


# ------------------------------------------------------------------ representations


def signature_out(signature) -> dict:
    return {
        "organisation": signature.organisation.slug,
        "version": signature.version.number,
        "signed_at": signature.signed_at,
        "late": signature.late,
        "live": signature.is_live,
        "withdrawn_at": signature.withdrawn_at,
        "log_index": signature.log_index,
    }


def delivery_out(delivery, names_visible: bool) -> dict:
    """A delivery; its lists of names only for those who may see the letter's names
    (letters.access.can_see_names), its count for everyone who may see the letter."""
    return {
        "id": delivery.id,
        "letter": delivery.letter_id,
        "version": delivery.version.number,
        "hash": delivery.hash,
        "count": len(delivery.signatories),
        "signatories": delivery.signatories if names_visible else None,
        "withdrawn": delivery.withdrawn if names_visible else None,
        "addendum_to": delivery.addendum_to.hash if delivery.addendum_to else None,
        "delivered_at": delivery.delivered_at,
        "acknowledged_at": delivery.acknowledged_at,
        "log_index": delivery.log_index,
    }


def letter_out(actor, letter) -> dict:
    versions = queries.versions_of(letter)
    current = versions[-1]
    signatures = queries.visible_signatures(actor, letter, queries.signatures_of(letter))
    return {
        "id": letter.id,
        "handle": letter.handle,
        "status": letter.status,
        "penholder": letter.penholder.slug,
        "addressee": letter.addressee.slug,
        "title": current.title,
        "language": letter.language,
        "concerning_report": letter.concerning_report.handle if letter.concerning_report_id else None,
        "current_version": current.number,
        "current_hash": current.hash,
        "names_visible_to": letter.names_visible_to,
        "deadline": letter.deadline,
        "created_at": letter.created_at,
        "versions": [{k: v for k, v in version_out(v).items() if k not in ("title", "body")} for v in versions],
        "counts": queries.counts_by_version(letter, versions),
        "signatures": None if signatures is None else [signature_out(s) for s in signatures],
        "deliveries": [delivery_out(d, access.can_see_names(actor, letter)) for d in queries.deliveries_of(letter)],
        "seen_by": queries.seen_by(letter) if access.is_penholder_member(actor, letter) else None,
    }


def _reloaded(request, letter_id):
    return letter_out(request.actor, queries.letter_for(request.actor, letter_id))


# ------------------------------------------------------------------ letters


@router.get("/letters", response={200: list[LetterHistoryItem], 400: Error, 401: Error})
def list_letters(
    request,
    role: str | None = Query(
        None, description="held, invited, signed or received; every letter you may open if absent"
    ),
    q: str = Query("", max_length=histories.SEARCH_LENGTH, description="Words of the title, penholder or addressee"),
    status: str | None = Query(None, description="draft, circulating, closed, delivered, published or abandoned"),
    year: int | None = Query(None, description="Only the letters written that year"),
):
    """Your organisations' histories: letters held, invited to (every member, viewers included),
    signed (withdrawn ones too, with the withdrawal) or received (acknowledged ones too)."""
    return [_history_item(row) for row in histories.history(request.actor, role=role, q=q, status=status, year=year)]


def _history_item(row) -> dict:
    letter = row.letter
    return {
        "id": letter.id,
        "handle": letter.handle,
        "status": letter.status,
        "penholder": letter.penholder.slug,
        "addressee": letter.addressee.slug,
        "title": row.title,
        "current_version": letter.current_version,
        "deadline": letter.deadline,
        "created_at": letter.created_at,
        "delivered_at": row.delivered_at,
        "acknowledged_at": row.acknowledged_at,
        "my_signature": row.signature.__dict__ if row.signature else None,
    }


@router.post("/letters", response={200: LetterOut, 201: LetterOut, **ERRORS})
def create_letter(request, payload: LetterIn):
    outcome = actions.create_letter(request.actor, **payload.dict())
    return _answer(outcome, _reloaded(request, outcome.object.id))


@router.get("/letters/{int:letter_id}", response={200: LetterOut, **ERRORS})
def get_letter(request, letter_id: int):
    letter = queries.letter_for(request.actor, letter_id)
    queries.note_seen(request.actor, letter, letter.current_version)
    return letter_out(request.actor, letter)


@router.get("/letters/{int:letter_id}/versions", response={200: list[VersionOut], **ERRORS})
def list_versions(request, letter_id: int):
    letter = queries.letter_for(request.actor, letter_id)
    return [version_out(v) for v in queries.versions_of(letter)]


class _JsonOrWordModel(BodyModel):
    """A version's request body read from JSON as ninja reads it, or from a multipart form whose
    `file` (a Word document) gives the body: both then validate as VersionIn."""

    @classmethod
    def get_request_data(cls, request, api, path_params):
        if request.content_type != "multipart/form-data":
            return super().get_request_data(request, api, path_params)
        return {cls.__read_from_single_attr__: _fields_from_word(request)}


class JsonOrWord(Body):  # type: ignore[misc]  # as ninja declares its own Body
    _model = _JsonOrWordModel

    @classmethod
    def _param_source(cls) -> str:
        return "body"


VERSION_BODY: Any = JsonOrWord(...)  # a parameter declaration, as ninja.Body(...) gives


def _fields_from_word(request) -> dict:
    upload = request.FILES.get("file")
    if upload is None:
        raise Invalid("Send the Word document as the form's `file`, or send JSON with a `body`.", field="file")
    docx.refuse_if_too_large(upload.size)
    fields = {key: request.POST[key] for key in request.POST if key != "csrfmiddlewaretoken"}
    base_version = fields.get("base_version", "")
    if base_version.isdigit():  # a form's fields are text; VersionIn's number is strict
        fields["base_version"] = int(base_version)
    imported = docx.read(upload.read())
    if "title" not in fields and imported.title:
        fields["title"] = imported.title
    return {**fields, "body": imported.body}


@router.post(
    "/letters/{int:letter_id}/versions",
    response={200: VersionOut, 201: VersionOut, **ERRORS},
    openapi_extra={"requestBody": {"content": {"multipart/form-data": {"schema": VERSION_FROM_WORD}}}},
)
def add_version(request, letter_id: int, payload: VersionIn = VERSION_BODY):
    """A new version: JSON with its Markdown `body`, or a multipart form whose `file` (a Word
    document, .docx) becomes the body (docs/api.md says which formatting is kept)."""
    outcome = actions.add_version(request.actor, letter_id, **payload.dict())
    return _answer(outcome, version_out(outcome.object))


@router.get("/letters/{int:letter_id}/versions/{int:number}", response={200: VersionOut, **ERRORS})
def get_version(request, letter_id: int, number: int):
    letter = queries.letter_for(request.actor, letter_id)
    version = queries.version_of(letter, number)
    queries.note_seen(request.actor, letter, number)
    return version_out(version)


@router.get("/letters/{int:letter_id}/versions/{int:number}.docx", response={200: None, **ERRORS})
def get_version_docx(request, letter_id: int, number: int):
    """The version as a Word document: letterhead, date, addressee, text and the annex of
    signatories (names only where you may see them)."""
    return _document(request, letter_id, number, "docx", docx.MEDIA_TYPE, documents.as_docx)


@router.get("/letters/{int:letter_id}/versions/{int:number}.pdf", response={200: None, **ERRORS})
def get_version_pdf(request, letter_id: int, number: int):
    """The version as a PDF, laid out as the Word document."""
    return _document(request, letter_id, number, "pdf", "application/pdf", documents.as_pdf)


def _document(request, letter_id: int, number: int, extension: str, media_type: str, render) -> HttpResponse:
    letter = queries.letter_for(request.actor, letter_id)
    version = queries.version_of(letter, number)
    response = HttpResponse(render(request.actor, letter, version), content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{documents.file_name(letter, version, extension)}"'
    # The document holds a confidential text and names chosen for this reader: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/letters/{int:letter_id}/diff", response={200: DiffOut, **ERRORS})
def diff(request, letter_id: int, from_version: int = Query(..., alias="from", ge=1), to: int = Query(..., ge=1)):
    letter = queries.letter_for(request.actor, letter_id)
    old, new = queries.version_of(letter, from_version), queries.version_of(letter, to)
    return {
        "from_version": old.number,
        "to_version": new.number,
        "title": word_diff(old.title, new.title),
        "body": word_diff(old.body, new.body),
    }


# ------------------------------------------------------------------ circulation and state


@router.post("/letters/{int:letter_id}/circulate", response={200: LetterOut, 201: LetterOut, **ERRORS})
def circulate(request, letter_id: int, payload: CirculateIn):
    outcome = actions.circulate(request.actor, letter_id, **payload.dict())
    return _answer(outcome, _reloaded(request, letter_id))


@router.post("/letters/{int:letter_id}/visibility", response={200: LetterOut, 201: LetterOut, **ERRORS})
def visibility(request, letter_id: int, payload: VisibilityIn):
    outcome = actions.set_names_visibility(request.actor, letter_id, payload.names_visible_to)
    return _answer(outcome, _reloaded(request, letter_id))


def _transition(action):
    def endpoint(request, letter_id: int):
        outcome = action(request.actor, letter_id)
        return _answer(outcome, _reloaded(request, letter_id))

    return endpoint


for _name, _action in [("close", actions.close), ("publish", actions.publish), ("abandon", actions.abandon)]:
    router.add_api_operation(
        f"/letters/{{int:letter_id}}/{_name}",
        ["POST"],
        _transition(_action),
        response={200: LetterOut, 201: LetterOut, **ERRORS},
        operation_id=f"{_name}_letter",
        summary=f"{_name.capitalize()} a letter",
    )


# ------------------------------------------------------------------ signatures and deliveries


@router.post("/letters/{int:letter_id}/signatures", response={200: SignatureOut, 201: SignatureOut, **ERRORS})
def sign(request, letter_id: int, payload: SignIn):
    outcome = actions.sign(request.actor, letter_id, **payload.dict())
    return _answer(outcome, signature_out(outcome.object))


@router.post("/letters/{int:letter_id}/withdraw", response={200: SignatureOut, 201: SignatureOut, **ERRORS})
def withdraw(request, letter_id: int, payload: WithdrawIn):
    outcome = actions.withdraw(request.actor, letter_id, **payload.dict())
    return _answer(outcome, signature_out(outcome.object))


@router.post("/letters/{int:letter_id}/deliver", response={200: DeliveryOut, 201: DeliveryOut, **ERRORS})
def deliver(request, letter_id: int, payload: DeliverIn):
    outcome = actions.deliver(request.actor, letter_id, **payload.dict())
    return _answer(outcome, _delivery_for(request.actor, outcome.object))


@router.post("/deliveries/{int:delivery_id}/acknowledge", response={200: DeliveryOut, 201: DeliveryOut, **ERRORS})
def acknowledge(request, delivery_id: int, payload: AcknowledgeIn = ACKNOWLEDGE_BODY):
    outcome = actions.acknowledge(request.actor, delivery_id, proof=payload.proof)
    return _answer(outcome, _delivery_for(request.actor, outcome.object))


def _delivery_for(actor, delivery) -> dict:
    return delivery_out(delivery, access.can_see_names(actor, delivery.letter))


@router.get("/letters/{int:letter_id}/bundle", response={200: dict, **ERRORS})
def bundle(request, letter_id: int, since: int | None = Query(None, ge=1)):
    letter = queries.letter_for(request.actor, letter_id)
    return bundles.bundle_for(request.actor, letter, since=since)


# ------------------------------------------------------------------ comments on a draft (not on the log)


def comment_out(comment) -> dict:
    return {
        "id": comment.id,
        "letter": comment.letter_id,
        "version": comment.version.number,
        "organisation": comment.organisation.slug,
        "author": comment.author.get_username(),
        "body": comment.body,
        "created_at": comment.created_at,
    }


@router.post("/letters/{int:letter_id}/comments", response={200: CommentOut, 201: CommentOut, **ERRORS})
def add_comment(request, letter_id: int, payload: CommentIn):
    """An invited organisation's comment on a version, to the penholder: drafting conversation,
    not on the public log."""
    outcome = comments.add_comment(request.actor, letter_id, **payload.dict())
    return _answer(outcome, comment_out(outcome.object))


@router.get("/letters/{int:letter_id}/comments", response={200: list[CommentOut], **ERRORS})
def list_comments(request, letter_id: int):
    """The penholder reads every comment; an invited organisation its own and the penholder's, and
    every invitee's if the penholder shares them; anyone else none."""
    letter = queries.letter_for(request.actor, letter_id)
    return [comment_out(c) for c in comments.comments_for(request.actor, letter)]


@router.post(
    "/letters/{int:letter_id}/comments/sharing", response={200: CommentSharingOut, 201: CommentSharingOut, **ERRORS}
)
def share_comments(request, letter_id: int, payload: CommentSharingIn):
    """The penholder's switch: share every comment with every invitee, or not."""
    outcome = comments.set_shared(request.actor, letter_id, payload.shared)
    return _answer(outcome, {"shared": outcome.object.shared})
