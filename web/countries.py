"""Organisation names in the reader's language: States by their CLDR country name (Babel)."""

import csv
from collections.abc import Mapping
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils import translation

from core import datafiles

UN_STATES = datafiles.path("un_states.csv")


@lru_cache(maxsize=1)
def iso2_by_iso3() -> dict[str, str]:
    with UN_STATES.open(encoding="utf-8") as handle:
        return {row["iso3"]: row["iso2"] for row in csv.DictReader(handle) if row.get("iso2")}


@lru_cache(maxsize=16)
def _territories(language: str) -> Mapping[str, str]:
    try:
        return Locale.parse(language.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError):
        return Locale("en").territories


def organisation_name(organisation, language: str | None = None) -> str:
    """A State's name in the reader's language; other organisations by their own name."""
    iso2 = iso2_by_iso3().get(organisation.country or "")
    if not iso2:
        return organisation.name
    names = _territories(language or translation.get_language() or "en")
    return names.get(iso2, organisation.name)
