"""Check a text: is what someone holds a version of a letter, and which?

People hold a letter as it reached them, not as its Markdown source: copied from the public page
or the PDF, pasted through Word (curly quotes, long dashes), re-wrapped by an e-mail client.
A text matches a published version exactly (its normalised source, the form the version's hash
covers) or loosely: after both sides are reduced to their *loose form*, the words a reader sees
(Markdown markup dropped), with quotes, dashes, spacing, line breaks and case folded away.

Only published letters are compared by text, so a check never confirms, nor hints at, the text
of a letter still confidential. A version hash is public already (the log carries it), so a full
hash, or the short one the public page shows, is recognised for any circulated letter, and
answers with the letter's handle and version number, never with its text.

The loose forms of published versions are kept (letters.models.CheckedText) with sampled
fingerprints of their shingles (TextFingerprint): a check reads the few versions that share
fingerprints with the pasted text, not every letter. A version is indexed the first time a
check runs after its letter's publication.
"""

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from core.errors import ActionError
from ledger.canonical import normalise_text
from letters import states
from letters.diff import diff_html
from letters.models import CheckedText, TextFingerprint, Version

# A pasted letter with its annex of signatories fits easily; more is not a letter.
MAX_CHARACTERS = 100_000
# The public page shows 16 hex digits of a version hash; fewer than 12 would be ambiguous.
SHORT_HASH_DIGITS = 12
# Fingerprints: shingles of the loose form's UTF-8, one in SAMPLE_EVERY kept
# (chosen by the shingle's own hash, so two copies of a text keep the same ones).
SHINGLE = 24  # bytes of UTF-8: eight Chinese characters, four or five Latin words
SAMPLE_EVERY = 8
# Both are kept with every indexed version (TextFingerprint): after changing them, delete the
# CheckedText rows so that the next check indexes every published version again.
# At most this many of the pasted text's fingerprints are looked up, and this many versions
# compared in full: the work of a check is bounded whatever is pasted.
LOOKED_UP = 2_000
COMPARED = 3
# A version shorter than this (in its loose form) matches only as the whole pasted text.
SHORTEST_HELD = 80
# The differences shown on the page are a word-by-word alignment, quadratic in the worst case.
DIFFERENCES_UP_TO = 30_000

_HASH_LIKE = re.compile(rf"[0-9a-fA-F]{{{SHORT_HASH_DIGITS},64}}(?:…|\.\.\.)?")
_QUOTES = str.maketrans(dict.fromkeys("‘’‚‛′`´", "'") | dict.fromkeys("“”„‟″«»", '"'))
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"))
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+•◦▪·]|\(?\d{1,3}[.)]|\(?[a-z][.)])[ \t]+", re.MULTILINE)
_SPACES = re.compile(r"\s+")
_HYPHEN_AT_LINE_END = re.compile(r"(?<=\w)[-\u00ad\u2010][ \t]*\n[ \t]*(?=\w)")
_LONE_DASH = re.compile(r"(?<!\S)-+(?!\S)")
# Chinese, Japanese and Korean have no spaces between words: each character is its own token
# when texts are compared.
_TOKEN = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]|[^\W_]+|[^\w\s]")


class TextTooLarge(ActionError):
    status = 413
    code = "too_large"


@dataclass(frozen=True)
class Match:
    version: Version
    exact: bool

    @property
    def published(self) -> bool:
        return self.version.letter.status == states.PUBLISHED


@dataclass(frozen=True)
class Nearest:
    version: Version
    similarity: float
    pasted_words: str  # the pasted text as a reader sees it, for the differences on the page
    quoted: bool = False  # the pasted text is a passage of this version, word for word


@dataclass(frozen=True)
class CheckResult:
    matches: list[Match]
    nearest: Nearest | None


def check_text(text) -> CheckResult:
    """What the pasted text (or version hash) is a version of; refuses what is empty or too long."""
    text = _bounded(text)
    if _HASH_LIKE.fullmatch(text):
        return CheckResult(_versions_with_hash(text), None)
    index_published_versions()
    pasted = normalise_text(text).strip()
    forms = _loose_forms(pasted)
    if not forms:
        return CheckResult([], None)
    same = CheckedText.objects.filter(loose_hash__in=[_digest(form) for form in forms])
    matches = [Match(v, _same_source(v, pasted)) for v in _published(same)]
    if matches:
        return CheckResult(matches, None)
    return _contained_or_nearest(pasted, forms)


def _bounded(text) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ActionError(_("Paste a text or a version hash to check."), code="empty", field="text")
    if len(text) > MAX_CHARACTERS:
        raise TextTooLarge(
            _("A text to check may be at most %(limit)s characters long.") % {"limit": f"{MAX_CHARACTERS:,}"},
            field="text",
            limit=MAX_CHARACTERS,
        )
    return text.strip()


def as_json(result: CheckResult) -> dict:
    """The answer of POST /api/v1/public/check."""
    nearest = result.nearest
    return {
        "matches": [
            {"handle": m.version.letter.handle, "version": m.version.number, "hash": m.version.hash, "exact": m.exact}
            for m in result.matches
        ],
        "nearest": None
        if nearest is None
        else {
            "handle": nearest.version.letter.handle,
            "version": nearest.version.number,
            "similarity": nearest.similarity,
        },
    }


# ---------------------------------------------------------------- hashes


def _versions_with_hash(text: str) -> list[Match]:
    digits = text.rstrip(".…").lower()
    versions = (
        Version.objects.filter(hash=digits) if len(digits) == 64 else Version.objects.filter(hash__startswith=digits)
    )
    circulated = versions.filter(
        Q(letter__status__in=[states.CIRCULATING, states.CLOSED, states.DELIVERED, states.PUBLISHED])
        | Q(letter__status=states.ABANDONED, letter__invitations__isnull=False)
    )
    return [Match(v, True) for v in circulated.select_related("letter").distinct().order_by("id")[:10]]


# ---------------------------------------------------------------- texts


def _published(checked) -> list[Version]:
    return [
        c.version for c in checked.select_related("version__letter").filter(version__letter__status=states.PUBLISHED)
    ]


def _same_source(version: Version, pasted: str) -> bool:
    """Whether the pasted text is the version's own source (what its hash covers), but for the
    blank lines around it."""
    return version.body.strip() == pasted


def _contained_or_nearest(pasted: str, forms: list[str]) -> CheckResult:
    """The versions sharing most fingerprints with the pasted text: a match if the pasted text
    holds one whole (a copy of a PDF page holds the letterhead and annex too), otherwise the
    most similar, to show the differences."""
    candidates = _candidates(forms[0])
    contained = [Match(c.version, False) for c in candidates if _holds(forms, c.loose_text)]
    if contained:
        return CheckResult(contained, None)
    pasted_runs = _word_runs(forms[0])
    scored = [(_similarity(pasted_runs, _word_runs(c.loose_text)), c.version) for c in candidates]
    if not scored:
        return CheckResult([], None)
    similarity, version = max(scored, key=lambda pair: (pair[0], -pair[1].id))
    quoted = any(form in version.checked_text.loose_text for form in forms)
    return CheckResult([], Nearest(version, round(similarity, 3), plain_text(pasted), quoted))


def _holds(forms: list[str], version_text: str) -> bool:
    """Whether the pasted text holds the whole version; a version of a few words, which many
    texts hold by chance, never counts as held."""
    return len(version_text) >= SHORTEST_HELD and any(version_text in form for form in forms)


def _candidates(loose: str) -> list[CheckedText]:
    sample = sorted(fingerprints(loose))[:LOOKED_UP]
    if not sample:
        return []
    best = (
        TextFingerprint.objects.filter(value__in=sample)
        .values("text_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "text_id")[:COMPARED]
    )
    ids = [row["text_id"] for row in best]
    checked = {c.pk: c for c in CheckedText.objects.filter(pk__in=ids).select_related("version__letter")}
    return [checked[i] for i in ids if i in checked and checked[i].version.letter.status == states.PUBLISHED]


def _similarity(runs_a: set, runs_b: set) -> float:
    """How alike two loose forms are, from 0 to 1: the Dice coefficient of their runs of three
    words (three characters in Chinese and Japanese), so words count in their order, in time
    linear in the texts' length."""
    if not runs_a or not runs_b:
        return 0.0
    return 2 * len(runs_a & runs_b) / (len(runs_a) + len(runs_b))


def _word_runs(text: str) -> set[tuple[str, ...]]:
    words = _TOKEN.findall(text)
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return set(zip(words, words[1:], words[2:], strict=False))


# ---------------------------------------------------------------- the loose form


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # The pages' own Markdown dialect (CommonMark with tables, raw HTML shown as text).
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def plain_text(markdown: str) -> str:
    """The words a reader of the rendered text sees: one line per paragraph, heading, list item
    or table cell, markup and link targets dropped, an image as its description."""
    lines = []
    for token in _parser().parse(markdown):
        if token.type == "inline":
            lines.append("".join(_inline_text(child) for child in token.children or []))
        elif token.type in ("fence", "code_block"):
            lines.append(token.content)
    return "\n".join(line for line in lines if line.strip())


def _inline_text(token) -> str:
    if token.type in ("softbreak", "hardbreak"):
        return " "
    if token.type == "image":
        return "".join(child.content for child in token.children or [])
    return token.content if token.type in ("text", "code_inline") else ""


def loose_form(text: str, markdown: bool = True) -> str:
    """The text with everything that changes between copies folded away: Markdown markup (unless
    ``markdown`` is false: a plain copy read as it is), list numbers and bullets, compatibility
    forms (no-break spaces, ligatures, full-width signs), typographic quotes and dashes, a dash
    standing alone between words, case, and every run of spaces and line breaks."""
    # A line broken after a hyphen ("non-" then "selective") is one word again.
    text = _HYPHEN_AT_LINE_END.sub("-", normalise_text(text))
    words = unicodedata.normalize("NFKC", plain_text(text) if markdown else text)
    words = _LIST_MARKER.sub("", words).translate(_QUOTES).translate(_DASHES)
    # A dash between words ("published - it would") starts a line once the text is re-wrapped,
    # where Markdown reads it as a list bullet: it is left out on both sides.
    words = _LONE_DASH.sub(" ", words)
    return _SPACES.sub(" ", words).strip().casefold()


def _loose_forms(pasted: str) -> list[str]:
    """The pasted text read as Markdown (a source, or a copy of it), and as it is (a copy of the
    rendered text, whose re-wrapped lines Markdown could misread)."""
    forms = [loose_form(pasted), loose_form(pasted, markdown=False)]
    return [form for i, form in enumerate(forms) if form and form not in forms[:i]]


def _digest(loose: str) -> str:
    return hashlib.sha256(loose.encode()).hexdigest()


def fingerprints(loose: str) -> set[int]:
    """Sampled CRC-32s of the text's overlapping shingles (a fast checksum is enough: a shared
    fingerprint only proposes a version, which is then compared in full); a text shorter than
    one shingle is one shingle."""
    data = loose.encode()
    crc32 = zlib.crc32
    return {
        value
        for value in (crc32(data[start : start + SHINGLE]) for start in range(max(1, len(data) - SHINGLE + 1)))
        if value % SAMPLE_EVERY == 0
    }


# ---------------------------------------------------------------- the index


def index_published_versions() -> int:
    """Index the versions of letters published since the last check (one query when none is
    new); returns how many were indexed."""
    new = list(Version.objects.filter(letter__status=states.PUBLISHED, checked_text__isnull=True).only("id", "body"))
    for version in new:
        _index(version)
    return len(new)


def _index(version: Version) -> None:
    loose = loose_form(version.body)
    try:
        with transaction.atomic():
            checked = CheckedText.objects.create(version=version, loose_hash=_digest(loose), loose_text=loose)
            TextFingerprint.objects.bulk_create(TextFingerprint(text=checked, value=v) for v in fingerprints(loose))
    except IntegrityError:
        pass  # a concurrent check indexed it first: the same rows


def differences(version: Version, pasted_words: str) -> str | None:
    """HTML of what differs between a published version, as a reader sees it, and the pasted
    text: removed words are the version's, added ones the pasted text's. None for texts too long
    to compare word by word within a page's time."""
    published_words = plain_text(version.body)
    if len(published_words) + len(pasted_words) > DIFFERENCES_UP_TO:
        return None
    return diff_html(published_words, pasted_words)
