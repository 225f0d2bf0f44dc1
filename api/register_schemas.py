"""Request and response shapes of the register's API (docs/register.md)."""

import datetime
from typing import Literal

from ninja import Field, Schema

from api.schemas import RequestSchema

TextId = Field(min_length=1, max_length=200)
Kind = Literal["joint_letter", "joint_statement", "draft_resolution", "draft_decision"]


class TallyIn(RequestSchema):
    texts: list[str] = Field(min_length=1, max_length=1000, description="Text identifiers, e.g. A/HRC/51/L.6")


class ClaimIn(RequestSchema):
    statement: str = Field(min_length=1, max_length=1000, description='What was said: "nearly 100 countries ..."')
    number: int = Field(ge=0, le=100_000, strict=True, description="The number of States it claims")
    texts: list[str] = Field(min_length=1, max_length=1000, description="The texts it rests on")


class TextSummaryOut(Schema):
    text: str
    kind: str
    forum: str
    session: str
    date: str
    title: str
    lead: str | None
    symbol: str
    topic: str
    reported_count: int | None
    source: str
    listed_count: int


class ParticipantOut(Schema):
    country: str = Field(description="ISO 3166-1 alpha-3")
    name: str = Field(description="The UN's short name in the request's language")
    event: str
    date: str | None
    provenance: str = Field(description="signed, un_document, published or reported")
    source: str


class TextOut(TextSummaryOut):
    participants: list[ParticipantOut]
    live: list[str] = Field(description="ISO3 codes supporting the text now, after withdrawals")
    has_votes: bool


class PerTextOut(Schema):
    text: str
    kind: str
    listed_count: int
    reported_count: int | None
    count: int | None = Field(description="The larger of the reported and the listed count; null if neither")
    unlisted: int = Field(description="max(0, reported - listed)")
    council_members: int | None = Field(None, description="Listed States on the Council on the text's date")


class KindBoundsOut(Schema):
    texts: int
    distinct_listed: int
    lower: int
    upper: int | None


class OverlapStateOut(Schema):
    country: str
    texts: list[str]


class OverlapPairOut(Schema):
    a: str
    b: str
    common: int


class OverlapOut(Schema):
    states: list[OverlapStateOut] = Field(description="States listed on more than one of the texts")
    pairs: list[OverlapPairOut] = Field(description="Pairs of texts that share listed States")


class TallyOut(Schema):
    texts: list[str]
    distinct_listed: int = Field(description="How many distinct States the texts' lists name")
    listed: list[str] = Field(description="Those States, as ISO3 codes")
    lower: int
    upper: int | None = Field(description="null when a text has neither a list nor a count")
    rests_on_reported: bool
    per_text: list[PerTextOut]
    by_kind: dict[str, KindBoundsOut]
    by_group: dict[str, int]
    overlap: OverlapOut


class ClaimOut(Schema):
    id: str
    url: str = Field(description="The claim's public page")
    statement: str
    number: int
    texts: list[str]
    verdict: Literal["consistent", "exceeds_record", "below_record", "unverifiable"]
    lower: int
    upper: int | None
    rests_on_reported: bool
    explanation: str
    created_at: datetime.datetime


class GroupVoteOut(Schema):
    yes: int
    no: int
    abstain: int
    absent: int
    cohesion: float | None = Field(description="Rice index |Y-N|/(Y+N); null when nobody voted yes or no")


class BallotOut(Schema):
    country: str
    name: str
    group: str
    vote: str


class VoteOut(Schema):
    text: str
    title: str
    date: str
    dates: list[str] = Field(description="Every date the text was voted on")
    yes: int
    no: int
    abstain: int
    absent: int
    outcome: Literal["adopted", "rejected"]
    members: int = Field(description="Members of the Council with a vote on the date")
    by_group: dict[str, GroupVoteOut]
    ballots: list[BallotOut]


class TermOut(Schema):
    body: str
    regional_group: str
    term_start: str
    term_end: str
    suspended_from: str | None
    suspended_to: str | None


class CountryEventOut(Schema):
    event: str
    date: str | None
    provenance: str
    source: str


class CountryTextOut(Schema):
    text: str
    kind: str
    title: str
    date: str | None
    events: list[CountryEventOut]
    supporting: bool = Field(description="Whether the State supports the text now")


class CountryVoteOut(Schema):
    text: str
    title: str
    date: str
    vote: str


class CountryOut(Schema):
    iso3: str
    iso2: str
    name: str
    status: str
    regional_group: str
    terms: list[TermOut]
    texts: list[CountryTextOut]
    votes: list[CountryVoteOut]


class AgreementVoteOut(Schema):
    text: str
    date: str
    a: str
    b: str
    score: float


class AgreementOut(Schema):
    a: str
    b: str
    session: str | None
    agreement: float | None = Field(description="Mean score over `votes`; null when they share no vote")
    votes: list[AgreementVoteOut] = Field(description="The votes it rests on: both members, neither absent")
    left_out: int = Field(description="Votes of either State left out (an absence, or not a member)")
