"""The pages' part of a version's documents (letters.documents): organisations by their UN
names, and the PDF rendered with the published letter's renderer (web.pdf: no network)."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import Busy
from web.countries import organisation_name


def version_pdf(document) -> bytes:
    # web.pdf loads WeasyPrint, which costs time no other page should pay: imported on use.
    from web import pdf

    language = document.language.split("-")[0].lower()
    with translation.override(pdf._ui_language(language)):
        html = render_to_string(
            "web/version_pdf.html",
            {
                "document": document,
                "rtl": language in pdf.RTL,
                "fonts": pdf.FONTS,
                "qr": pdf.qr_data_uri(document.public_url),
            },
        )
    try:
        return pdf.rendered_in_a_slot(lambda: pdf.render_pdf(html), f"version {document.public_url}")
    except pdf.Unavailable:
        raise Busy(_("Too many documents are being made right now; try again in a few seconds.")) from None


def register() -> None:
    from letters import documents

    documents.register(namer=organisation_name, pdf=version_pdf)
