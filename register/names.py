"""From what people write to ISO3, and from ISO3 to the UN's own name in the reader's language.

One resolver for the importer, the API and the pages. It knows, from core/data/: the ISO3 codes
and UN short names (`un_states.csv`), the UN's names in the six languages (`un_names.csv`) and
the forms people write (`country_aliases.csv`: formal names, former names, "Russia", "DPRK",
"Ivory Coast", ...). It compares whole names, never prefixes ("Niger" is not "Nigeria"),
ignoring case, accents, typographic apostrophes, hyphens and a leading "the". A form that names
two States ("Korea", `country_ambiguous.csv`) or none is refused with the candidates.
"""

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _

from core import datafiles
from core.errors import Invalid

LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")


class CountryNameError(Invalid):
    """A name that is no State, or more than one. `candidates` are ISO3 codes, closest first."""

    code = "unknown_country"

    def __init__(self, message: str, written: str, candidates: list[str], *, code: str | None = None):
        super().__init__(message, code=code, candidates=candidates)
        self.written = written
        self.candidates = candidates


@dataclass(frozen=True)
class _Index:
    iso3_by_key: dict[str, str]
    ambiguous: dict[str, tuple[str, ...]]


def _rows(name: str) -> list[dict]:
    with datafiles.path(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_SPACES = re.compile(r"\s+")


def normalise(form: str) -> str:
    """The key a form is compared by: no accents, no case, one kind of apostrophe, hyphens as
    spaces, single spaces, and no leading "the"."""
    decomposed = unicodedata.normalize("NFKD", form)
    key = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    key = key.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    key = _SPACES.sub(" ", _DASHES.sub(" ", key)).strip()
    if key.startswith("the "):
        key = key[4:]
    return key


@lru_cache(maxsize=1)
def _index() -> _Index:
    states = _rows("un_states.csv")
    forms: dict[str, set[str]] = {}

    def add(form: str, iso3: str) -> None:
        if form.strip():
            forms.setdefault(normalise(form), set()).add(iso3)

    for row in states:
        add(row["iso3"], row["iso3"])
        add(row["name"], row["iso3"])
    for row in _rows("un_names.csv"):
        for language in LANGUAGES:
            add(row[language], row["iso3"])
    for row in _rows("country_aliases.csv"):
        add(row["alias"], row["iso3"])
    ambiguous = {key: tuple(sorted(codes)) for key, codes in forms.items() if len(codes) > 1}
    for row in _rows("country_ambiguous.csv"):
        ambiguous[normalise(row["form"])] = tuple(row["candidates"].split())
    iso3_by_key = {key: next(iter(codes)) for key, codes in forms.items() if key not in ambiguous}
    return _Index(iso3_by_key, ambiguous)


@lru_cache(maxsize=1)
def _names() -> dict[str, dict[str, str]]:
    return {row["iso3"]: {language: row[language] for language in LANGUAGES} for row in _rows("un_names.csv")}


def iso3_codes() -> frozenset[str]:
    return frozenset(_names())


@lru_cache(maxsize=4096)
def resolve(form: str) -> str:
    """The ISO3 code of the State `form` names; CountryNameError if it names none or several."""
    key = normalise(form)
    index = _index()
    if key in index.ambiguous:
        candidates = list(index.ambiguous[key])
        message = _("“%(form)s” may name several States: %(candidates)s. Write which.")
        raise CountryNameError(
            message % {"form": form, "candidates": _listed(candidates)}, form, candidates, code="ambiguous_country"
        )
    iso3 = index.iso3_by_key.get(key)
    if iso3 is None:
        candidates = _closest(key)
        if candidates:
            message = _(
                "“%(form)s” is not a UN Member or observer State known to the register. Closest names: %(candidates)s."
            ) % {"form": form, "candidates": _listed(candidates)}
        else:
            message = _("“%(form)s” is not a UN Member or observer State known to the register.") % {"form": form}
        raise CountryNameError(message, form, candidates)
    return iso3


def _closest(key: str, limit: int = 5) -> list[str]:
    index = _index()
    candidates: list[str] = []
    for near in difflib.get_close_matches(key, list(index.iso3_by_key), n=limit * 3, cutoff=0.6):
        iso3 = index.iso3_by_key[near]
        if iso3 not in candidates:
            candidates.append(iso3)
    return candidates[:limit]


def _listed(codes: list[str]) -> str:
    language = translation.get_language()
    return ", ".join(f"{display_name(code, language)} ({code})" for code in codes)


def english_name(iso3: str) -> str:
    return display_name(iso3, "en")


def language_column(language: str | None) -> str:
    """The column of un_names.csv for a Django language code: "zh-hans" → "zh", "fr-ch" → "fr"."""
    base = (language or "en").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def display_name(iso3: str, language: str | None = "en") -> str:
    """The UN's short name of a State in the reader's language (English when it has none)."""
    names = _names().get(iso3)
    if names is None:
        return iso3
    return names[language_column(language)] or names["en"]
