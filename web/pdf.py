"""A published letter as a PDF: letterhead, addressee, text, signatories in an annex, and a
verification footer (log index, checkpoint, QR code to the public page)."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from letters import queries
from orgs.models import Organisation
from web.countries import organisation_name

# WeasyPrint picks fonts per character from this list: Latin and Cyrillic from DejaVu Serif,
# Arabic from DejaVu Sans, Chinese from Noto CJK (Debian's fonts-noto-cjk).
FONTS = '"DejaVu Serif", "Noto Serif", "Noto Naskh Arabic", "DejaVu Sans", "Noto Serif CJK SC", "Noto Sans CJK SC", serif'
RTL = {"ar", "fa", "he", "ur"}


def qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def letter_pdf(letter, summary: dict) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs time no other page should pay

    with translation.override(_ui_language(letter.language.split("-")[0].lower())):
        html = render_to_string("web/letter_pdf.html", _context(letter, summary))
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


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
        "letter": letter, "version": version, "names": names, "penholder": penholder, "addressee": addressee,
        "language": letter.language, "rtl": language in RTL, "fonts": FONTS, "public_url": public_url,
        "qr": qr_data_uri(public_url), "published": published,
        "checkpoint": {"origin": checkpoint[0], "size": checkpoint[1] if len(checkpoint) > 1 else "",
                       "root": checkpoint[2] if len(checkpoint) > 2 else ""},
    }


def _ui_language(language: str) -> str:
    code = "zh-hans" if language == "zh" else language
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
