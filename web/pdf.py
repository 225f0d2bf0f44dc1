"""A published letter as a PDF: letterhead, addressee, text, signatories in an annex, and a
verification footer (log index, checkpoint, QR code to the public page).

The renderer fetches nothing from the network (OwnFilesOnly), and each state of a published
letter's record is rendered once and kept in storage (published_pdf), since anyone may ask for it.
"""

import base64
import datetime
import io
import logging
import math
import posixpath
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from urllib import parse, request

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation

# WeasyPrint loads Pango, which costs time no other page should pay: views import this module
# when they need it, not at start-up.
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from letters import queries
from orgs.models import Organisation
from web.countries import organisation_name

logger = logging.getLogger(__name__)

# WeasyPrint picks fonts per character from this list: Latin and Cyrillic from DejaVu Serif,
# Arabic from DejaVu Sans, Chinese from Noto CJK (Debian's fonts-noto-cjk).
FONTS = (
    '"DejaVu Serif", "Noto Serif", "Noto Naskh Arabic", "DejaVu Sans", "Noto Serif CJK SC", "Noto Sans CJK SC", serif'
)
RTL = {"ar", "fa", "he", "ur"}

KEPT_UNDER = "published-pdf"
# A request waits this long for a free renderer before it is told to come back (503).
RENDER_SLOT_WAIT = 10
# A kept file that is still not a whole PDF this long after it was written was left by a
# process that died while writing it.
ABANDONED_AFTER = datetime.timedelta(minutes=1)


class Unavailable(Exception):
    """No render now: the client (429) or this process (503) is at its limit."""

    def __init__(self, status: int, retry_after: float):
        super().__init__(f"no PDF render now ({status}); retry after {retry_after} s")
        self.status = status
        self.retry_after = max(1, math.ceil(retry_after))


# ---- The renderer: no network --------------------------------------------------------------


class OwnFilesOnly(URLFetcher):
    """WeasyPrint's fetcher for our PDFs: data: URIs and our own static files, read from disk.

    Everything else is refused, file: and http(s): alike, our own site included: a URL in a
    letter would otherwise make the server request it (a server-side request forgery) and hold
    a worker while a slow host answers.
    """

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            answer = request.DataHandler().data_open(request.Request(url))  # noqa: S310 - a data: URL, read in memory
            return URLFetcherResponse(url, answer.read(), dict(answer.headers.items()))
        path = _static_path(url)
        if path is None:
            raise ValueError(f"The PDF renderer fetches nothing from the network: {url[:200]}")
        with _open_static(path) as file:
            return URLFetcherResponse(url, file.read())


def _static_path(url: str) -> str | None:
    """The path of one of our static files that `url` names, or None for anything else."""
    prefix = parse.urljoin(settings.SITE_URL.rstrip("/") + "/", settings.STATIC_URL)
    if not url.startswith(prefix) or "?" in url or "#" in url:
        return None
    path = parse.unquote(url.removeprefix(prefix))
    if not path or "\\" in path or "\0" in path or posixpath.normpath(path) != path or path.startswith(("/", "..")):
        return None
    return path


def _open_static(path: str):
    found = finders.find(path)
    if found and posixpath.isfile(found):
        return open(found, "rb")
    if staticfiles_storage.exists(path):  # collected only (e.g. a hashed name)
        return staticfiles_storage.open(path)
    raise ValueError(f"No static file {path[:200]}")


def render_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=settings.SITE_URL, url_fetcher=OwnFilesOnly()).write_pdf()


# ---- Published PDFs: rendered once, kept, served from storage ------------------------------


def kept_name(letter, summary: dict) -> str:
    # The name holds everything the PDF shows that can change after publication, so a kept PDF
    # is never stale: the version's hash (title, addressee, text) and the log index of the
    # letter's last event (a late signature, a withdrawal or an addendum each append one, and
    # only they change the annex or the "Published" line). Organisation names are fixed when an
    # organisation is registered. The footer's checkpoint is left out on purpose: every other
    # letter's events grow the log, and any checkpoint that includes this letter's last event
    # proves the same record, so the one current at the first render stays true.
    version = queries.versions_of(letter)[-1]
    last_index = summary["events"][-1]["index"]
    return f"{KEPT_UNDER}/{letter.handle}/{version.hash}-{last_index}.pdf"


def published_pdf(letter, summary: dict, name: str, before_render: Callable[[], None]) -> bytes:
    """The kept PDF, or a new render kept under `name`. A second request for the same PDF waits
    for the first one's render rather than starting its own. `before_render` may refuse the
    render by raising Unavailable (the caller's rate of uncached renders)."""
    with _same_pdf.hold(name):
        content = kept_pdf(name)
        if content is not None:
            return content
        before_render()
        content = _render_in_a_slot(letter, summary)
        if checkpoint_covers(summary):
            _keep(name, content)
        return content


def kept_pdf(name: str) -> bytes | None:
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as file:
        content = file.read()
    # Another process may still be writing it (a file system storage writes in chunks).
    return content if _whole_pdf(content) else None


def _whole_pdf(content: bytes) -> bool:
    return content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF")


def _keep(name: str, content: bytes) -> None:
    if default_storage.exists(name):
        if not _abandoned(name):
            return  # another process kept it, or is keeping it, first
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:  # another process got there between our two calls; theirs is the same PDF
        default_storage.delete(saved)


def _abandoned(name: str) -> bool:
    return timezone.now() - default_storage.get_modified_time(name) > ABANDONED_AFTER and kept_pdf(name) is None


def checkpoint_covers(summary: dict) -> bool:
    """Whether the log's latest checkpoint includes the letter's last event. Until it does (the
    moment the log takes to integrate a new entry), a PDF is rendered but not kept: its footer
    would otherwise show, for good, a checkpoint older than the events it lists."""
    lines = (summary.get("checkpoint") or "").split("\n")
    size = lines[1] if len(lines) > 1 else ""
    return size.isdigit() and int(size) > summary["events"][-1]["index"]


class _KeyedLocks:
    """One lock per key, forgotten when nobody holds it or waits for it."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks: dict[str, list] = {}  # key -> [lock, holders and waiters]

    @contextmanager
    def hold(self, key: str):
        with self._guard:
            entry = self._locks.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._guard:
                entry[1] -= 1
                if entry[1] == 0:
                    del self._locks[key]


# Per process: a render holds a CPU for most of a second, or seconds for thousands of names.
_same_pdf = _KeyedLocks()
_render_slots = threading.BoundedSemaphore(settings.PDF_RENDERS_AT_ONCE)
_count_lock = threading.Lock()
_renders_done = 0


def renders_done() -> int:
    """PDFs this process has rendered: each kept PDF is rendered once."""
    return _renders_done


def _render_in_a_slot(letter, summary: dict) -> bytes:
    return rendered_in_a_slot(lambda: letter_pdf(letter, summary), f"letter {letter.pk}")


def rendered_in_a_slot(render: Callable[[], bytes], what: str) -> bytes:
    """Every PDF render of this process (letters, reports, versions) waits for one of its few
    slots: a render holds a core and tens of megabytes for up to seconds, so too many at once
    would starve the pages. Raises Unavailable (503) when no slot frees in time."""
    global _renders_done
    if not _render_slots.acquire(timeout=RENDER_SLOT_WAIT):
        raise Unavailable(503, RENDER_SLOT_WAIT)
    try:
        started = time.monotonic()
        content = render()
        with _count_lock:
            _renders_done += 1
        logger.info("rendered the PDF of %s in %.2f s", what, time.monotonic() - started)
        return content
    finally:
        _render_slots.release()


# ---- The document ---------------------------------------------------------------------------


def qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def letter_pdf(letter, summary: dict) -> bytes:
    with translation.override(_ui_language(letter.language.split("-")[0].lower())):
        html = render_to_string("web/letter_pdf.html", _context(letter, summary))
    return render_pdf(html)


def _context(letter, summary: dict) -> dict:
    version = queries.versions_of(letter)[-1]
    language = letter.language.split("-")[0].lower()
    slugs = summary.get("signatories") or []
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    # Names in the letter's own language, so an Arabic letter lists its signatories in Arabic.
    names = [organisation_name(organisations[s], language) for s in slugs if s in organisations]
    penholder = organisation_name(letter.penholder, language)
    addressee = organisation_name(letter.addressee, language)
    public_url = f"{settings.SITE_URL}/p/{letter.handle}"
    published = next((e for e in reversed(summary["events"]) if e["type"] == "letter.published"), None)
    checkpoint = (summary.get("checkpoint") or "").split("\n")
    return {
        "letter": letter,
        "version": version,
        "names": names,
        "penholder": penholder,
        "addressee": addressee,
        "language": letter.language,
        "rtl": language in RTL,
        "fonts": FONTS,
        "public_url": public_url,
        "qr": qr_data_uri(public_url),
        "published": published,
        "checkpoint": {
            "origin": checkpoint[0],
            "size": checkpoint[1] if len(checkpoint) > 1 else "",
            "root": checkpoint[2] if len(checkpoint) > 2 else "",
        },
    }


def _ui_language(language: str) -> str:
    code = "zh-hans" if language == "zh" else language
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
