"""Rules for the text people type, shared by every layer that takes text from a person."""

import unicodedata

from django.utils.translation import gettext as _

from core.errors import Invalid

# Invisible characters are refused in every text a person types (titles, letter text, notes,
# messages, reasons, organisation names), because they make a text read differently from what
# is signed: U+202E RIGHT-TO-LEFT OVERRIDE shows "evil" as "live", and a zero width space makes
# two texts that look alike hash differently. Refused: every format character (Unicode category
# Cf: the bidi embeddings, overrides and isolates U+202A..U+202E and U+2066..U+2069, zero width
# space, word joiner, soft hyphen, byte order mark, tags...), control characters other than tab
# and line feed (Cc), the line and paragraph separators that renderers break differently (Zl,
# Zp) and lone surrogates (Cs), which UTF-8 cannot carry.
# Allowed, because writing systems need them:
#  - U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER: Persian, the Indic scripts, emoji;
#  - U+200E LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK and U+061C ARABIC LETTER MARK: Arabic
#    and Hebrew mixed with Latin text or digits need them to show punctuation and numbers where
#    the writer meant. Unlike an override they never reverse the letters of a word; they can
#    only move a neutral character or a number beside them, a risk accepted for those languages;
#  - the prepended concatenation marks (the Arabic number sign U+0600 and its kin), which
#    Unicode files as format characters although they are visible signs.
_REFUSED_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Zl", "Zp"})
_ALLOWED_INVISIBLE = frozenset("\t\n\u200c\u200d\u200e\u200f\u061c")
_VISIBLE_FORMAT_SIGNS = frozenset(
    "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd"
)
_ALLOWED_SPECIAL = _ALLOWED_INVISIBLE | _VISIBLE_FORMAT_SIGNS


def first_invisible_character(text: str) -> str | None:
    """The first character of ``text`` that the rule above refuses, or None."""
    # The common case, in C (a 50,000-character letter in a third of a millisecond rather than
    # eight): nothing but printable characters, line feeds and tabs, so nothing to refuse.
    if text.replace("\n", "").replace("\t", "").isprintable():
        return None
    for character in text:
        if unicodedata.category(character) in _REFUSED_CATEGORIES and character not in _ALLOWED_SPECIAL:
            return character
    return None


def refuse_invisible_characters(text: str, field: str) -> None:
    """Refuse (422, naming the field and the character) a text holding a refused invisible character."""
    character = first_invisible_character(text)
    if character is None:
        return
    code = f"U+{ord(character):04X}"
    raise Invalid(
        _(
            "%(field)s contains %(character)s, an invisible control character that can make text read differently "
            "from what is signed; remove it."
        )
        % {"field": field, "character": f"{code} {_name_of(character)}"},
        field=field,
        character=code,
    )


def _name_of(character: str) -> str:
    # Unicode gives control characters and surrogates no name of their own.
    unnamed = "CONTROL CHARACTER" if unicodedata.category(character) == "Cc" else "SURROGATE"
    return unicodedata.name(character, unnamed)
