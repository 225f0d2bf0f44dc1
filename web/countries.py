"""Organisation names in the reader's language.

States by the UN's own short name (register.names, from core/data/un_names.csv), never CLDR's
colloquial ones ("North Korea", "Congo - Kinshasa"): UN practice is what the letters' readers
expect. UN offices by their translated name where the catalogue has one; other organisations
by the name they registered.
"""

from django.utils import translation
from django.utils.translation import gettext, gettext_noop, pgettext

from orgs.vocabulary import KIND_IGO, KIND_UN_OFFICE
from register import names

OFFICES = (KIND_UN_OFFICE, KIND_IGO)

# The UN offices the platform knows by name (orgs.actions.import_un_states, the demo, the tests),
# listed so that makemessages finds them and gettext can translate the stored name.
UN_OFFICE_NAMES = (
    gettext_noop("Office of the United Nations High Commissioner for Human Rights"),
    gettext_noop("Office of the High Commissioner for Human Rights"),
    gettext_noop("Office of the High Commissioner"),
)


def name_of(organisation_or_iso3, language: str | None = None) -> str:
    """The name to show for an organisation, or a State given by its ISO3 code, in `language`
    (by default the reader's)."""
    language = language or translation.get_language() or "en"
    if isinstance(organisation_or_iso3, str):
        return names.display_name(organisation_or_iso3, language)
    organisation = organisation_or_iso3
    if organisation.country:
        name = names.display_name(organisation.country, language)
        if name != organisation.country:  # a code the UN's list does not know is shown as itself
            return name
    if organisation.name in UN_OFFICE_NAMES:
        with translation.override(language):
            return gettext(organisation.name)
    return organisation.name


def named_in_a_sentence(organisation, language: str | None = None) -> str:
    """An office reads with its article inside an English sentence ("to the Office of ..."), a
    State without one ("to Pakistan"); other languages say in their catalogue what they need."""
    name = name_of(organisation, language)
    if organisation.kind not in OFFICES:
        return name
    with translation.override(language or translation.get_language() or "en"):
        return pgettext("an office named inside a sentence", "the %(name)s") % {"name": name}


def organisation_name(organisation, language: str | None = None) -> str:
    """A State's UN name in the reader's language; other organisations by their own name."""
    return name_of(organisation, language)


def sorted_by_name(organisations, language: str | None = None) -> list:
    """Organisations in the order of their names as the reader sees them."""
    return sorted(organisations, key=lambda o: names.normalise(name_of(o, language)))
