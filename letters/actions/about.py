"""The report a letter names (``concerning_report``), by its handle."""

from django.utils.translation import gettext as _

from core.errors import Invalid
from reports.models import Report


def report_named(handle) -> Report | None:
    if handle in (None, ""):
        return None
    report = Report.objects.filter(handle=handle).first() if isinstance(handle, str) and len(handle) <= 32 else None
    if report is None:
        raise Invalid(_("No report has the handle “%(handle)s”.") % {"handle": handle}, field="concerning_report")
    return report
