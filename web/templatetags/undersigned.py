import datetime
from functools import lru_cache

from babel import dates as babel_dates
from django import template
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from orgs.models import ROLE_DRAFTER
from web.countries import organisation_name
from web.text import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def orgname(organisation):
    return organisation_name(organisation)


@register.simple_tag(takes_context=True)
def may_write_letters(context) -> bool:
    """Whether the reader drafts for some organisation, so "New letter" leads somewhere."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    return bool(actor and actor.with_role(ROLE_DRAFTER))


@register.simple_tag
def arrow():
    """From the penholder to the addressee, pointing the way the page reads."""
    return "←" if translation.get_language_bidi() else "→"


def babel_locale(language: str | None = None) -> str:
    """Babel's name for a Django language code: "zh-hans" → "zh_Hans"."""
    code = (language or translation.get_language() or "en").replace("-", "_")
    if code == "en":
        return "en_GB"  # UN English writes the day first: "15 July 2022"
    base, _sep, script = code.partition("_")
    return f"{base}_{script.title()}" if script else base


@register.filter
def longdate(value):
    """A date as the reader's language writes it ("15 July 2022", "15 juillet 2022", "2022年7月15日")."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.UTC).date()
    return _long_date(value, babel_locale())


@lru_cache(maxsize=4096)
def _long_date(day: datetime.date, locale: str) -> str:
    # A page lists hundreds of events on a handful of days; Babel takes a tenth of a millisecond each.
    return babel_dates.format_date(day, format="long", locale=locale)


# Labels live here rather than in letters.states so the pages can translate them.
STATUS = {
    "draft": gettext_lazy("Draft"),
    "circulating": gettext_lazy("Circulating"),
    "closed": gettext_lazy("Closed"),
    "delivered": gettext_lazy("Delivered"),
    "published": gettext_lazy("Published"),
    "abandoned": gettext_lazy("Abandoned"),
}
EVENTS = {
    "letter.created": gettext_lazy("Letter written"),
    "version.created": gettext_lazy("New version"),
    "letter.circulated": gettext_lazy("Circulated"),
    "letter.visibility": gettext_lazy("Visibility of names"),
    "signature.signed": gettext_lazy("Signature"),
    "signature.withdrawn": gettext_lazy("Withdrawal"),
    "letter.closed": gettext_lazy("Signature closed"),
    "letter.delivered": gettext_lazy("Delivered"),
    "delivery.acknowledged": gettext_lazy("Receipt acknowledged"),
    "letter.published": gettext_lazy("Published"),
    "letter.abandoned": gettext_lazy("Abandoned"),
}
VISIBILITY = {
    "penholder": gettext_lazy("The penholder alone"),
    "invitees": gettext_lazy("Every invitee"),
    "public": gettext_lazy("Everyone"),
}


@register.filter
def translate_group(group: str) -> str:
    """A UN regional group's name ("African States") in the reader's language; the catalogue
    has the five (register's pages use them too)."""
    return gettext(group)


@register.filter
def status_label(status):
    return STATUS.get(status, status)


@register.filter
def event_label(event_type):
    return EVENTS.get(event_type, event_type)


@register.filter
def visibility_label(value):
    return VISIBILITY.get(value, value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


# What a link to the same page in another language leaves behind: `lang` (set anew), a download
# rather than the page (`format`), and whatever could act or sign someone in when followed or
# shared (a token, a redirect, a CSRF token).
NOT_CARRIED_TO_ANOTHER_LANGUAGE = frozenset({"lang", "format", "token", "next", "csrfmiddlewaretoken"})


@register.simple_tag(takes_context=True)
def language_query(context, code: str) -> str:
    """The page's query with `?lang=` set to `code`, for the language switcher: switching language
    keeps what the reader chose (the filters of a list, the States compared, the votes ticked).
    The output is escaped by the template like any other value."""
    request = context.get("request")
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists() if request is not None else ():
        if key not in NOT_CARRIED_TO_ANOTHER_LANGUAGE:
            query.setlist(key, values)
    query["lang"] = code
    return "?" + query.urlencode()
