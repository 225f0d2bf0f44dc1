from django import template
from django.utils.translation import gettext_lazy

from web.countries import organisation_name
from web.text import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def orgname(organisation):
    return organisation_name(organisation)


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
