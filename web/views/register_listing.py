"""The register's list of texts: the filters a reader typed, the texts they select, and a text's
row in the CSV download."""

from urllib.parse import urlencode

from django.db.models import Q

from register import names
from register.models import Text

PAGE_SIZE = 100
TEXT_COLUMNS = [
    "text",
    "kind",
    "forum",
    "session",
    "date",
    "title",
    "lead",
    "symbol",
    "topic",
    "reported_count",
    "listed_count",
    "source",
]


def text_filters(request) -> tuple[dict, str | None]:
    """The filters as typed, and an error when the country names no State."""
    typed = {key: request.GET.get(key, "").strip() for key in ("session", "forum", "kind", "topic", "country")}
    error = None
    if typed["country"]:
        try:
            typed["iso3"] = names.resolve(typed["country"])
        except names.CountryNameError as refusal:
            error = str(refusal)
    return typed, error


def filtered_texts(typed: dict):
    texts = Text.objects.select_related("forum", "session", "lead")
    if typed.get("session"):
        texts = texts.filter(session__name=typed["session"])
    if typed.get("forum"):
        texts = texts.filter(forum__name=typed["forum"])
    if typed.get("kind"):
        texts = texts.filter(kind=typed["kind"])
    if typed.get("topic"):
        texts = texts.filter(topic__iexact=typed["topic"])
    if typed.get("iso3"):
        texts = texts.filter(Q(participants__country_id=typed["iso3"]) | Q(lead_id=typed["iso3"])).distinct()
    return texts.order_by("date", "identifier")


def text_cells(text: Text, listed: int) -> list:
    return [
        text.identifier,
        text.kind,
        text.forum.name if text.forum else "",
        text.session.name if text.session else "",
        text.date.isoformat(),
        text.title,
        text.lead_id or "",
        text.symbol,
        text.topic,
        "" if text.reported_count is None else text.reported_count,
        listed,
        text.source,
    ]


def session_order(name: str):
    return (0, int(name)) if name.isdigit() else (1, name)


def query_string(query: dict, drop: str = "", iso3: str | None = None) -> str:
    pairs = {k: val for k, val in query.items() if k != drop}
    if iso3:
        pairs["country"] = iso3
    return "?" + urlencode(pairs) if pairs else ""
