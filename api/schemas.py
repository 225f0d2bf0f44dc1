"""Request and response shapes of the JSON API; the OpenAPI document is generated from them."""

import datetime

from ninja import Field, Schema


class ErrorBody(Schema):
    code: str
    message: str


class Error(Schema):
    error: ErrorBody


class LetterIn(Schema):
    title: str = Field(max_length=300)
    addressee: str = Field(max_length=64, description="The addressee organisation's slug")
    body: str = Field(max_length=50_000, description="Markdown")
    language: str = Field("en", max_length=16)
    note: str = Field(max_length=500, description="Why this version exists")
    penholder: str | None = Field(None, max_length=64, description="Needed only if you draft for several organisations")


class VersionIn(Schema):
    body: str = Field(max_length=50_000)
    note: str = Field(max_length=500)
    base_version: int = Field(ge=1, description="The version you edited; 409 if it is no longer current")
    title: str | None = Field(None, max_length=300)


class CirculateIn(Schema):
    invitees: list[str] = Field(max_length=1000, description="Slugs, 'group:<UN regional group>' or 'all'")
    deadline: datetime.datetime | None = None
    message: str = Field("", max_length=5000)
    names_visible_to: str | None = Field(None, description="penholder, invitees or public")


class VisibilityIn(Schema):
    names_visible_to: str


class SignIn(Schema):
    version: int = Field(ge=1)
    version_hash: str = Field(min_length=64, max_length=64, pattern="^[0-9a-fA-F]{64}$")
    organisation: str | None = Field(None, max_length=64)


class WithdrawIn(Schema):
    reason: str = Field("", max_length=500)
    organisation: str | None = Field(None, max_length=64)


class DeliverIn(Schema):
    version: int = Field(ge=1)


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


class LetterOut(Schema):
    id: int
    handle: str
    status: str
    penholder: str
    addressee: str
    title: str
    language: str
    current_version: int
    current_hash: str
    names_visible_to: str
    deadline: datetime.datetime | None
    created_at: datetime.datetime
    versions: list[VersionSummary]
    counts: list[Count]
    signatures: list[SignatureOut] | None = Field(description="null when you may not see the names")
    deliveries: list[DeliveryOut]
    seen_by: dict[str, list[int]] | None = Field(
        None, description="For the penholder: which versions each invited organisation has opened"
    )


class LetterListItem(Schema):
    id: int
    handle: str
    status: str
    penholder: str
    addressee: str
    title: str
    current_version: int
    deadline: datetime.datetime | None


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
