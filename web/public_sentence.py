"""The public page's first sentence: what a journalist can quote, in plain words and in the
reader's language, from the facts letters.public.public_story gives.

"40 States signed version 2 of this letter to the Office of the High Commissioner for Human
Rights; it was delivered on 15 July 2022 and its receipt acknowledged on 1 August 2022; 1
signatory withdrew." Each clause is its own message, so that every language has its plural
forms; the separator and the full stop are translated too (Arabic "؛", Chinese "；" and "。").
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from web.countries import named_in_a_sentence
from web.templatetags.undersigned import longdate


def quotable_sentence(story: dict, events: list[dict]) -> str:
    """`events` are the public events (letters.public.public_events): their times date the end."""
    clauses = [_who_signed(story)]
    if story["delivered"]:
        clauses.append(_delivery(story["delivered"]))
    clauses += [_addendum(addendum) for addendum in story["addenda"]]
    if story["withdrew"]:
        clauses.append(
            ngettext("%(count)s signatory withdrew", "%(count)s signatories withdrew", story["withdrew"])
            % {"count": story["withdrew"]}
        )
    ending = _ending(story["status"], events)
    if ending:
        clauses.append(ending)
    joined = pgettext("between the clauses of one sentence", "; ").join(clauses)
    return pgettext("the end of a sentence", "%(sentence)s.") % {"sentence": joined}


def _who_signed(story: dict) -> str:
    addressee = named_in_a_sentence(story["addressee"])
    delivered = story["delivered"]
    if delivered:
        count, number = delivered["count"], delivered["version"]
        if story["all_states"]:
            message = ngettext(
                "%(count)s State signed version %(number)s of this letter to %(addressee)s",
                "%(count)s States signed version %(number)s of this letter to %(addressee)s",
                count,
            )
        else:
            message = ngettext(
                "%(count)s organisation signed version %(number)s of this letter to %(addressee)s",
                "%(count)s organisations signed version %(number)s of this letter to %(addressee)s",
                count,
            )
        return message % {"count": count, "number": number, "addressee": addressee}
    count, number = story["signed_current"], story["current_version"]
    if not count:
        return _("Nobody has signed version %(number)s of this letter to %(addressee)s yet") % {
            "number": number,
            "addressee": addressee,
        }
    message = ngettext(
        "%(count)s signatory has signed version %(number)s of this letter to %(addressee)s so far",
        "%(count)s signatories have signed version %(number)s of this letter to %(addressee)s so far",
        count,
    )
    return message % {"count": count, "number": number, "addressee": addressee}


def _delivery(delivered: dict) -> str:
    if delivered["acknowledged_at"]:
        return _("it was delivered on %(delivered)s and its receipt acknowledged on %(acknowledged)s") % {
            "delivered": longdate(delivered["at"]),
            "acknowledged": longdate(delivered["acknowledged_at"]),
        }
    return _("it was delivered on %(delivered)s; its receipt is not yet acknowledged") % {
        "delivered": longdate(delivered["at"])
    }


def _ending(status: str, events: list[dict]) -> str | None:
    """Publication or abandonment, with its date; None while the letter goes on."""
    messages = {
        "published": ("letter.published", _("it was published on %(date)s")),
        "abandoned": ("letter.abandoned", _("the penholder abandoned it on %(date)s")),
    }
    if status not in messages:
        return None
    event_type, message = messages[status]
    time = next((e["time"] for e in reversed(events) if e["type"] == event_type), None)
    return message % {"date": longdate(time)} if time else None


def _addendum(addendum: dict) -> str:
    return ngettext(
        "%(count)s more signed later and went in an addendum on %(date)s",
        "%(count)s more signed later and went in an addendum on %(date)s",
        addendum["count"],
    ) % {"count": addendum["count"], "date": longdate(addendum["at"])}
