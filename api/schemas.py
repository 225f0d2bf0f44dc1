"""Request and response shapes of the JSON API; the OpenAPI document is generated from them."""

import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.params.models import Body, BodyModel
from pydantic import BeforeValidator, ConfigDict

from letters import limits


class RequestSchema(Schema):
    """A request body. A field it does not know is refused (422 naming it), never ignored, so a
    misspelt optional field cannot quietly change nothing; and its numbers are strict
    (``Field(strict=True)``): JSON true is not version 1, nor are "1" and 1.0."""

    model_config = ConfigDict(extra="forbid")


def _text_only(value):
    # A deadline is written as ISO 8601 text; pydantic would read a bare number as seconds (or
    # milliseconds, by its size) since 1970.
    if value is not None and not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date and time, such as 2022-07-15T18:00:00Z")
    return value


Deadline = Annotated[datetime.datetime | None, BeforeValidator(_text_only)]


class ErrorBody(Schema):
    code: str
    message: str


class Error(Schema):
    error: ErrorBody


class LetterIn(RequestSchema):
    title: str = Field(max_length=limits.TITLE)
    addressee: str = Field(max_length=limits.SLUG, description="The addressee organisation's slug")
    body: str = Field(max_length=limits.BODY, description="Markdown")
    language: str = Field("en", max_length=limits.LANGUAGE)
    note: str = Field(max_length=limits.NOTE, description="Why this version exists")
    penholder: str | None = Field(
        None, max_length=limits.SLUG, description="Needed only if you draft for several organisations"
    )
    concerning_report: str | None = Field(None, max_length=32, description="The handle of the report it concerns")


class VersionIn(RequestSchema):
    body: str = Field(max_length=limits.BODY)
    note: str = Field(max_length=limits.NOTE)
    base_version: int = Field(ge=1, strict=True, description="The version you edited; 409 if it is no longer current")
    title: str | None = Field(None, max_length=limits.TITLE)


class CirculateIn(RequestSchema):
    invitees: list[str] = Field(max_length=limits.INVITEES, description="Slugs, 'group:<UN regional group>' or 'all'")
    deadline: Deadline = None
    message: str = Field("", max_length=limits.MESSAGE)
    names_visible_to: str | None = Field(None, description="penholder, invitees or public")


class VisibilityIn(RequestSchema):
    names_visible_to: str


class SignIn(RequestSchema):
    version: int = Field(ge=1, strict=True)
    version_hash: str = Field(min_length=64, max_length=64, pattern="^[0-9a-fA-F]{64}$")
    organisation: str | None = Field(None, max_length=limits.SLUG)
    proof: dict | None = Field(
        None,
        description="A signature by a key the signer holds, over the bytes of GET /letters/{id}/statement: "
        '{"kind": "sshsig", "signature": "-----BEGIN SSH SIGNATURE-----…"} or {"kind": "webauthn", "credential": {…}}; '
        "without it the organisation's custodial key signs",
    )


def _own_key_proof(action: str):
    return Field(
        None,
        description="A signature by a key the signer holds, over the bytes of "
        f"GET /letters/{{id}}/statement?action={action}: "
        '{"kind": "sshsig", "signature": "-----BEGIN SSH SIGNATURE-----…"} or {"kind": "webauthn", "credential": {…}}; '
        "without it the organisation's custodial key signs",
    )


class WithdrawIn(RequestSchema):
    reason: str = Field("", max_length=limits.REASON)
    organisation: str | None = Field(None, max_length=limits.SLUG)
    proof: dict | None = _own_key_proof("withdraw")


class DeliverIn(RequestSchema):
    version: int = Field(ge=1, strict=True)
    proof: dict | None = _own_key_proof("deliver&version=N")


class AcknowledgeIn(RequestSchema):
    proof: dict | None = _own_key_proof("acknowledge&delivery=ID")


class _EmptyOrJsonModel(BodyModel):
    """A request body that may be left out: no body reads as ``{}``, so a client that posts
    nothing (as it did before the body had fields) is answered as before."""

    @classmethod
    def get_request_data(cls, request, api, path_params):
        if not request.body:
            return {cls.__read_from_single_attr__: {}}
        return super().get_request_data(request, api, path_params)


class EmptyOrJson(Body):  # type: ignore[misc]  # as ninja declares its own Body
    _model = _EmptyOrJsonModel

    @classmethod
    def _param_source(cls) -> str:
        return "body"


ACKNOWLEDGE_BODY: Any = EmptyOrJson(...)  # a parameter declaration, as ninja.Body(...) gives


class VersionOut(Schema):
    number: int
    hash: str
    title: str
    body: str
    author: str
    note: str
    created_at: datetime.datetime
    log_index: int


class VersionSummary(Schema):
    number: int
    hash: str
    author: str
    note: str
    created_at: datetime.datetime
    log_index: int


class Count(Schema):
    version: int
    hash: str
    count: int
    own_keys: int = Field(description="How many of these signatures were made with keys the signers hold")


class SignatureOut(Schema):
    organisation: str
    version: int
    signed_at: datetime.datetime
    late: bool
    live: bool
    withdrawn_at: datetime.datetime | None
    log_index: int


class DeliveryOut(Schema):
    id: int
    letter: int
    version: int
    hash: str
    count: int = Field(description="How many signatories this delivery lists")
    signatories: list[str] | None = Field(description="Slugs in signing order; null when you may not see the names")
    withdrawn: list[str] | None = Field(description="Withdrawn since the delivery this one adds to; null when hidden")
    addendum_to: str | None
    delivered_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    log_index: int


# A letter in GET /letters; GET /letters/{id} (LetterOut) shows the same fields and the rest.
class LetterListItem(Schema):
    id: int
    handle: str
    status: str
    penholder: str
    addressee: str
    title: str
    current_version: int
    deadline: datetime.datetime | None


class LetterOut(LetterListItem):
    language: str
    concerning_report: str | None = Field(None, description="The handle of the report it concerns")
    current_hash: str
    names_visible_to: str
    created_at: datetime.datetime
    versions: list[VersionSummary]
    counts: list[Count]
    signatures: list[SignatureOut] | None = Field(description="null when you may not see the names")
    deliveries: list[DeliveryOut]
    seen_by: dict[str, list[int]] | None = Field(
        None, description="For the penholder: which versions each invited organisation has opened"
    )


class DiffPiece(Schema):
    op: str
    text: str


class DiffOut(Schema):
    from_version: int
    to_version: int
    title: list[DiffPiece]
    body: list[DiffPiece]


class PublicEvent(Schema):
    index: int
    type: str
    time: str


class PublicLetter(Schema):
    handle: str
    status: str
    counts: list[Count]
    events: list[PublicEvent]
    checkpoint: str | None
    title: str | None = None
    penholder: str | None = None
    addressee: str | None = None
    signatories: list[str] | None = None


class ProofOut(Schema):
    index: int | None = None
    old: int | None = None
    size: int
    proof: list[str]


class CheckIn(RequestSchema):
    text: str = Field(
        description="A letter's text as you hold it (copied from a page, a PDF or Word), or a version hash, "
        "full or as short as the public page shows it; at most 100,000 characters (413 beyond)"
    )


class CheckMatch(Schema):
    handle: str
    version: int
    hash: str
    exact: bool = Field(description="false when it matched only after quotes, dashes, spacing and markup were folded")


class CheckNearest(Schema):
    handle: str
    version: int
    similarity: float = Field(description="0 to 1: the share of words the two texts have in common, in order")


class CheckOut(Schema):
    matches: list[CheckMatch]
    nearest: CheckNearest | None = Field(description="When nothing matches: the most similar published version")


class MySignatureOut(Schema):
    organisation: str
    version: int
    signed_at: datetime.datetime
    late: bool
    withdrawn_at: datetime.datetime | None
    live: bool = Field(description="false once withdrawn, or replaced by a signature on a later version")


class LetterHistoryItem(LetterListItem):
    created_at: datetime.datetime
    delivered_at: datetime.datetime | None = Field(description="The latest delivery, if any")
    acknowledged_at: datetime.datetime | None = Field(description="Its receipt, if acknowledged")
    my_signature: MySignatureOut | None = Field(
        description="Your organisation's latest signature on the letter, withdrawn ones included; null if none"
    )


class CommentIn(RequestSchema):
    version: int = Field(ge=1, strict=True, description="The version commented on")
    body: str = Field(max_length=limits.COMMENT)


class CommentOut(Schema):
    id: int
    letter: int
    version: int
    organisation: str
    author: str
    body: str
    created_at: datetime.datetime


class CommentSharingIn(RequestSchema):
    shared: bool = Field(strict=True, description="true: every invitee reads every comment; false: each its own")


class CommentSharingOut(Schema):
    shared: bool
