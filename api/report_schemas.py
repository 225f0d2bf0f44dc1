"""Request and response shapes of the reports' API (DESIGN.md, "Reports shared with the State
concerned"). A version or a comment may come as JSON or as a multipart form with a `file`; the
JSON shapes are declared here, and the multipart form carries the same fields."""

import datetime

from ninja import Field, Schema

from api.schemas import Deadline, RequestSchema
from reports import limits


class ReportIn(RequestSchema):
    title: str = Field(max_length=limits.TITLE)
    concerning: str = Field(max_length=64, description="The State concerned: its organisation's slug")
    body: str | None = Field(None, max_length=limits.BODY, description="Markdown; or send a multipart `file` instead")
    note: str = Field(max_length=limits.NOTE, description="Why this version exists")
    office: str | None = Field(None, max_length=64, description="Needed only if you write for several organisations")


class ReportVersionIn(RequestSchema):
    body: str | None = Field(None, max_length=limits.BODY, description="Markdown; or a multipart `file`")
    note: str = Field(max_length=limits.NOTE)
    base_version: int = Field(ge=1, strict=True, description="The version you edited; 409 if it is no longer current")
    title: str | None = Field(None, max_length=limits.TITLE)
    answers: list[int] | None = Field(None, description="Ids of the comments this version answers")


class ShareIn(RequestSchema):
    version: int = Field(ge=1, strict=True)
    version_hash: str = Field(max_length=64)
    deadline: Deadline = Field(description="ISO 8601; comments after it are recorded as late")


class CommentIn(RequestSchema):
    body: str | None = Field(None, max_length=limits.COMMENT, description="The comments; or a multipart `file`")
    version_hash: str = Field(max_length=64, description="The hash of the shared version commented on")
    annex: bool = Field(False, strict=True, description="Publish the comments annexed to the report")


class PublishIn(RequestSchema):
    version: int = Field(ge=1, strict=True)
    version_hash: str = Field(max_length=64)


class ReportVersionOut(Schema):
    number: int
    hash: str
    title: str
    body: str
    author: str
    note: str
    created_at: datetime.datetime
    log_index: int
    file_sha256: str | None = None
    file_name: str | None = None
    media_type: str | None = None
    answers: list[int] = []


class ShareOut(Schema):
    id: int
    version: int
    version_hash: str
    deadline: datetime.datetime
    shared_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    log_index: int


class CommentOut(Schema):
    id: int
    organisation: str
    version: int
    version_hash: str
    hash: str
    annex: bool
    late: bool
    sent_at: datetime.datetime
    log_index: int
    signature: str
    body: str | None = None
    file_sha256: str | None = None
    file_name: str | None = None
    media_type: str | None = None


class ReportOut(Schema):
    id: int
    handle: str
    status: str
    office: str
    concerning: str
    title: str
    current_version: int
    current_hash: str
    created_at: datetime.datetime
    versions: list[dict]
    shares: list[ShareOut]
    comments: list[CommentOut]
    published_version: int | None
    published_at: datetime.datetime | None
    none_by_deadline: bool


class PublicReport(Schema):
    handle: str
    status: str
    timeline: list[dict]
    counts: dict
    hashes: dict
    letters: list[dict]
    checkpoint: str | None
    title: str | None = None
    office: str | None = None
    concerning: str | None = None
    body: str | None = None
    published_version: int | None = None
    none_by_deadline: bool | None = None
    comments: list[dict] | None = None
