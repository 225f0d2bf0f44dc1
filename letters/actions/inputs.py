"""The shapes the actions accept, checked before anything is locked: every form, the API and the
command line reach the same checks, with the same messages."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Invalid
from core.text import refuse_invisible_characters
from documents.inputs import is_whole_number as is_whole_number  # as for a report's
from documents.inputs import row_id as row_id
from ledger.canonical import normalise_text
from letters import limits

# What a person is told when they leave out a required field (others: "<field> is required.").
REQUIRED = {
    "title": gettext_lazy("A title is required."),
    "body": gettext_lazy("The text of the letter is required."),
    "note": gettext_lazy("A short note saying why is required."),
}


def clean_text(value, field: str, limit: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_("%(field)s must be text.") % {"field": field}, field=field)
    value = normalise_text(value).strip() if field != "body" else normalise_text(value)
    refuse_invisible_characters(value, field)
    if required and not value.strip():
        raise Invalid(REQUIRED.get(field, _("%(field)s is required.")) % {"field": field}, field=field)
    if len(value) > limit:
        raise Invalid(
            _("%(field)s is %(length)s characters long; the limit is %(limit)s.")
            % {"field": field, "length": len(value), "limit": limit},
            field=field,
        )
    return value


def clean_language(language) -> str:
    # Letters are written in any language: anything shaped like a BCP 47 tag is accepted.
    language = language or "en"
    if (
        not isinstance(language, str)
        or not (2 <= len(language) <= limits.LANGUAGE)
        or not all(part.isascii() and part.isalnum() for part in language.split("-"))
    ):
        raise Invalid(_("language must be a language tag such as en, fr or zh-Hans."), field="language")
    return language


def clean_deadline(deadline):
    if deadline is None or deadline == "":
        return None
    if isinstance(deadline, str):
        try:
            deadline = datetime.datetime.fromisoformat(deadline.replace("Z", "+00:00"))
        except ValueError:
            raise Invalid(
                _("deadline must be an ISO 8601 date and time, such as 2022-07-15T18:00:00Z."), field="deadline"
            ) from None
    if not isinstance(deadline, datetime.datetime):
        raise Invalid(_("deadline must be a date and time."), field="deadline")
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=datetime.UTC)
    return deadline
