"""A version as a document to download: Word (letters.docx) or PDF.

The document shows the letterhead (the penholder), the date, the addressee, the title, the text
and an annex of signatories: the list as delivered when this version was delivered, otherwise
the live signatures on this version. Names follow letters.access strictly: a reader who may not
see the names finds only its own organisations' and a count of the rest.

The PDF renderer (WeasyPrint, the pages' templates) and the UN names of organisations belong to
the pages (web/), a layer above this one and beside the API: the pages register them here when
Django starts (web/apps.py), so the API serves the same documents without importing the pages.
"""

from collections.abc import Callable
from datetime import datetime

from babel import dates as babel_dates
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from letters import access, docx, states
from letters.models import Delivery, Letter, Signature, Version
from orgs.models import Organisation


def _own_name(organisation: Organisation, language: str) -> str:
    return organisation.name


_namer: Callable[[Organisation, str], str] = _own_name
_pdf_renderer: Callable[[docx.Document], bytes] | None = None


def register(*, namer: Callable[[Organisation, str], str], pdf: Callable[[docx.Document], bytes]) -> None:
    """Set how organisations are named and how a document becomes a PDF (the pages do, at start)."""
    global _namer, _pdf_renderer
    _namer, _pdf_renderer = namer, pdf


def as_docx(actor, letter: Letter, version: Version) -> bytes:
    return docx.write(document_for(actor, letter, version))


def as_pdf(actor, letter: Letter, version: Version) -> bytes:
    if _pdf_renderer is None:
        raise RuntimeError("No PDF renderer is registered (the web app registers one when Django starts).")
    return _pdf_renderer(document_for(actor, letter, version))


def document_for(actor, letter: Letter, version: Version) -> docx.Document:
    language = letter.language.split("-")[0].lower()
    delivery = _delivery_of(version)
    slugs = list(delivery.signatories) if delivery else _live_signatories(version)
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    shown = [organisations[s] for s in slugs if s in organisations and _may_see(actor, letter, organisations[s])]
    hidden = len(slugs) - len(shown)
    with translation.override(_ui_language(language)):
        if delivery:
            annex_title = _("Annex: signatories as delivered (%(count)s)") % {"count": len(slugs)}
        else:
            annex_title = _("Annex: signatories of version %(number)s (%(count)s)") % {
                "number": version.number,
                "count": len(slugs),
            }
        annex_note = (
            ngettext(
                "The name of %(count)s other signatory is confidential.",
                "The names of %(count)s other signatories are confidential.",
                hidden,
            )
            % {"count": hidden}
            if hidden
            else ""
        )
    return docx.Document(
        penholder=_namer(letter.penholder, language),
        addressee=_namer(letter.addressee, language),
        title=version.title,
        body=version.body,
        dateline=_long_date(delivery.delivered_at if delivery else version.created_at, language),
        language=letter.language,
        version=version.number,
        version_hash=version.hash,
        public_url=f"{settings.SITE_URL}/p/{letter.handle}",
        annex_title=annex_title,
        annex_names=[_namer(o, language) for o in shown],
        annex_note=annex_note,
    )


def _may_see(actor, letter: Letter, organisation: Organisation) -> bool:
    return access.may_see_signatory(actor, letter, organisation.id)


def _delivery_of(version: Version) -> Delivery | None:
    """The latest first delivery of this version (an addendum lists only the late signatures)."""
    if version.letter.status not in (states.DELIVERED, states.PUBLISHED):
        return None
    return version.deliveries.filter(addendum_to=None).order_by("-log_index").first()


def _live_signatories(version: Version) -> list[str]:
    return list(
        Signature.objects.filter(version=version, withdrawn_at=None, replaced_at=None)
        .order_by("log_index")
        .values_list("organisation__slug", flat=True)
    )


def _long_date(moment: datetime, language: str) -> str:
    try:
        return babel_dates.format_date(moment.date(), format="long", locale=language)
    except (ValueError, LookupError):
        return babel_dates.format_date(moment.date(), format="long", locale="en")


def _ui_language(language: str) -> str:
    code = "zh-hans" if language == "zh" else language
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def file_name(letter: Letter, version: Version, extension: str) -> str:
    return f"letter-{letter.id}-version-{version.number}.{extension}"
