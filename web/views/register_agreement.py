"""The agreement index of two States on a session's page, over the votes the reader ticked.

The number is the engine's (register.votes.agreement) over the same ballots the page lists, so
the page and the API cannot disagree; this module only reads the reader's choice and lays out,
vote by vote, what each State cast and what the vote adds to the index."""

from collections.abc import Iterable, Mapping, Sequence

from django.utils import translation
from django.utils.translation import gettext as _

from register import names
from register import votes as vote_rules
from web.views import register_data as data
from web.views.public import public_language

STATE_PARAMETERS = ("a", "b")


def chosen_states(request) -> tuple[dict[str, str], str | None]:
    """{"a": ISO3, "b": ISO3} for the States ?a= and ?b= name (a code or any name the resolver
    knows), and the resolver's refusal, in the reader's language, when one names no State."""
    chosen = {}
    with translation.override(public_language(request)):
        for parameter in STATE_PARAMETERS:
            written = request.GET.get(parameter, "").strip()[:100]
            if not written:
                continue
            try:
                chosen[parameter] = names.resolve(written)
            except names.CountryNameError as refusal:
                return chosen, str(refusal)
    return chosen, None


def state_options(states: Iterable[str], language: str) -> list[dict]:
    """The States for the page's two <select>s, by their UN name in the reader's language."""
    options = [{"iso3": iso3, "name": names.display_name(iso3, language)} for iso3 in states]
    return sorted(options, key=lambda option: option["name"])


def ballot_label(ballot: str | None) -> str:
    """What a State cast on a vote; None is a State that was not a member with a vote that day."""
    if ballot is None:
        return _("No vote: not a member that day")
    return str(data.VOTE_LABELS.get(ballot, ballot))


def agreement_of(
    first: str, second: str, chosen: Sequence[tuple], ballots: Mapping[tuple, Mapping[str, str]], language: str
) -> dict:
    """The index of `first` and `second` over the chosen votes ((text, date) pairs, whose ballots
    are ballots[(text id, date)]), the number of votes it rests on, and one row per vote."""
    pairs = [
        ((text, day), ballots[(text.id, day)].get(first), ballots[(text.id, day)].get(second)) for text, day in chosen
    ]
    index, rests_on = vote_rules.agreement(pairs)
    rows = [
        {
            "text": text,
            "date": day,
            "a": ballot_label(a),
            "b": ballot_label(b),
            "score": vote_rules.score(a, b),
        }
        for (text, day), a, b in pairs
    ]
    return {
        "a_name": names.display_name(first, language),
        "b_name": names.display_name(second, language),
        "index": index,
        "rests_on": len(rests_on),
        "total": len(pairs),
        "left_out": len(pairs) - len(rests_on),
        "rows": rows,
    }
