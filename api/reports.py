"""Reports shared with the State concerned: versions, the comment round, publication, bundles."""

import json

from django.http import FileResponse
from ninja import Router
from ninja.responses import Status
from pydantic import ValidationError as PydanticError

from api import versions
from api.auth import AUTH
from api.report_schemas import (
    CommentIn,
    CommentOut,
    PublicReport,
    PublishIn,
    ReportIn,
    ReportOut,
    ReportVersionIn,
    ReportVersionOut,
    ShareIn,
    ShareOut,
)
from api.schemas import Error
from core.errors import Invalid, NotFound
from letters.about_reports import letters_about
from reports import access, actions, bundles, files, public, queries

router = Router(auth=AUTH, tags=["reports"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error}


def _answer(outcome, body) -> Status:
    """201 for what this request made; 200 when an identical earlier request made it."""
    return Status(201 if outcome.created else 200, body)


def _multipart_or_json(request, schema) -> tuple[dict, object]:
    """The request's fields, checked against ``schema``, and its uploaded ``file`` (or None): a
    JSON body, or a multipart form with the same fields (numbers and booleans as text)."""
    if request.content_type == "multipart/form-data":
        data: dict = {key: _form_value(schema, key, value) for key, value in request.POST.items()}
        upload = request.FILES.get("file")
    else:
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise Invalid("The request body is not JSON.") from None
        upload = None
    if not isinstance(data, dict):
        raise Invalid("The request body must be a JSON object.")
    try:
        return schema.model_validate(data).dict(exclude_unset=True), upload
    except PydanticError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem.get("loc", ())) or "body"
        raise Invalid(f"{field}: {problem.get('msg', 'invalid')}", field=field) from None


def _form_value(schema, key: str, value: str):
    """A form sends text: the fields a schema wants as numbers or booleans are read as such."""
    annotation = schema.model_fields.get(key).annotation if key in schema.model_fields else str
    if annotation is bool:
        return {"true": True, "false": False}.get(value.lower(), value)
    if annotation is int and value.isdecimal():
        return int(value)
    if key == "answers":
        return [int(part) for part in value.split(",") if part.strip().isdecimal()]
    return value


def _body_doc(schema) -> dict:
    """The OpenAPI request body of an endpoint that takes JSON or a multipart form with a file."""
    properties = {"file": {"type": "string", "format": "binary", "description": "A PDF or DOCX, up to 50 MB"}}
    return {
        "requestBody": {
            "content": {
                "application/json": {"schema": schema.model_json_schema()},
                "multipart/form-data": {"schema": {"type": "object", "properties": properties}},
            }
        }
    }


# ------------------------------------------------------------------ representations


def version_out(version) -> dict:
    return {
        **versions.version_out(version),
        "file_sha256": version.file_sha256 or None,
        "file_name": version.file_name or None,
        "media_type": version.media_type or None,
        "answers": version.answers,
    }


def share_out(share) -> dict:
    return {
        "id": share.id,
        "version": share.version.number,
        "version_hash": share.version.hash,
        "deadline": share.deadline,
        "shared_at": share.shared_at,
        "acknowledged_at": share.acknowledged_at,
        "log_index": share.log_index,
    }


def comment_out(comment) -> dict:
    return {
        "id": comment.id,
        "organisation": comment.organisation.slug,
        "version": comment.version.number,
        "version_hash": comment.version.hash,
        "hash": comment.hash,
        "annex": comment.annex,
        "late": comment.late,
        "sent_at": comment.sent_at,
        "log_index": comment.log_index,
        "signature": comment.signature,
        "body": comment.body if not comment.file_sha256 else None,
        "file_sha256": comment.file_sha256 or None,
        "file_name": comment.file_name or None,
        "media_type": comment.media_type or None,
    }


def report_out(actor, report) -> dict:
    """The report as the actor may see it: the State concerned sees the versions shared with it,
    and its current version is the latest of those."""
    versions = access.visible_versions(actor, report)
    current = versions[-1]
    shares = report.shares.select_related("version").order_by("log_index")
    return {
        "id": report.id,
        "handle": report.handle,
        "status": report.status,
        "office": report.office.slug,
        "concerning": report.concerning.slug,
        "title": current.title,
        "current_version": current.number,
        "current_hash": current.hash,
        "created_at": report.created_at,
        "versions": [{k: v for k, v in version_out(v).items() if k not in ("title", "body")} for v in versions],
        "shares": [share_out(s) for s in shares],
        "comments": [comment_out(c) for c in access.visible_comments(actor, report)],
        "published_version": report.published_version,
        "published_at": report.published_at,
        "none_by_deadline": report.none_by_deadline,
    }


def _reloaded(request, report_id):
    return report_out(request.actor, queries.report_for(request.actor, report_id))


# ------------------------------------------------------------------ reports and versions


@router.get("/reports", response=list[dict])
def list_reports(request):
    return [
        {"id": r.id, "handle": r.handle, "status": r.status, "office": r.office.slug, "concerning": r.concerning.slug}
        for r in access.visible_reports(request.actor).select_related("office", "concerning")[:500]
    ]


@router.post("/reports", response={200: ReportOut, 201: ReportOut, **ERRORS}, openapi_extra=_body_doc(ReportIn))
def create_report(request):
    fields, upload = _multipart_or_json(request, ReportIn)
    outcome = actions.create_report(request.actor, file=upload, **fields)
    return _answer(outcome, _reloaded(request, outcome.object.id))


@router.get("/reports/{int:report_id}", response={200: ReportOut, **ERRORS})
def get_report(request, report_id: int):
    return report_out(request.actor, queries.report_for(request.actor, report_id))


@router.get("/reports/{int:report_id}/versions", response={200: list[ReportVersionOut], **ERRORS})
def list_versions(request, report_id: int):
    report = queries.report_for(request.actor, report_id)
    return [version_out(v) for v in access.visible_versions(request.actor, report)]


@router.post(
    "/reports/{int:report_id}/versions",
    response={200: ReportVersionOut, 201: ReportVersionOut, **ERRORS},
    openapi_extra=_body_doc(ReportVersionIn),
)
def add_version(request, report_id: int):
    fields, upload = _multipart_or_json(request, ReportVersionIn)
    outcome = actions.add_version(request.actor, report_id, file=upload, **fields)
    return _answer(outcome, version_out(outcome.object))


@router.get("/reports/{int:report_id}/versions/{int:number}", response={200: ReportVersionOut, **ERRORS})
def get_version(request, report_id: int, number: int):
    report = queries.report_for(request.actor, report_id)
    return version_out(queries.version_for(request.actor, report, number))


@router.get("/reports/{int:report_id}/versions/{int:number}/file", response={200: None, **ERRORS})
def get_version_file(request, report_id: int, number: int):
    """The uploaded file of a version made from one, as it was uploaded."""
    report = queries.report_for(request.actor, report_id)
    version = queries.version_for(request.actor, report, number)
    if not version.file_sha256:
        raise NotFound("This version was written here, not uploaded as a file.")
    return FileResponse(
        files.open_stored(version.file_sha256),
        as_attachment=True,
        filename=version.file_name,
        content_type=version.media_type,
    )


# ------------------------------------------------------------------ the comment round


@router.post("/reports/{int:report_id}/share", response={200: ShareOut, 201: ShareOut, **ERRORS})
def share(request, report_id: int, payload: ShareIn):
    outcome = actions.share(request.actor, report_id, **payload.dict())
    return _answer(outcome, share_out(outcome.object))


@router.post("/reports/{int:report_id}/acknowledge", response={200: ShareOut, 201: ShareOut, **ERRORS})
def acknowledge(request, report_id: int):
    outcome = actions.acknowledge(request.actor, report_id)
    return _answer(outcome, share_out(outcome.object))


@router.post(
    "/reports/{int:report_id}/comments",
    response={200: CommentOut, 201: CommentOut, **ERRORS},
    openapi_extra=_body_doc(CommentIn),
)
def comment(request, report_id: int):
    fields, upload = _multipart_or_json(request, CommentIn)
    outcome = actions.comment(request.actor, report_id, file=upload, **fields)
    return _answer(outcome, comment_out(outcome.object))


@router.get("/reports/{int:report_id}/comments", response={200: list[CommentOut], **ERRORS})
def list_comments(request, report_id: int):
    report = queries.report_for(request.actor, report_id)
    return [comment_out(c) for c in access.visible_comments(request.actor, report)]


@router.post("/reports/{int:report_id}/publish", response={200: ReportOut, 201: ReportOut, **ERRORS})
def publish(request, report_id: int, payload: PublishIn):
    outcome = actions.publish(request.actor, report_id, **payload.dict())
    return _answer(outcome, _reloaded(request, report_id))


@router.get("/reports/{int:report_id}/bundle", response={200: dict, **ERRORS})
def bundle(request, report_id: int):
    report = queries.report_for(request.actor, report_id)
    return bundles.bundle_for(request.actor, report)


# ------------------------------------------------------------------ public, no account

public_router = Router(tags=["public"])


@public_router.get("/public/reports/{handle}", response={200: PublicReport, 404: Error}, auth=None)
def get_public_report(request, handle: str):
    """The report's timeline, counts and hashes; its content and annexed comments once published;
    the letters that name it, with their proven counts and delivery status."""
    summary = public.public_report(handle) if len(handle) <= 32 else None
    if summary is None:
        raise NotFound("No report has this handle.")
    return {**summary, "letters": letters_about(handle)}
