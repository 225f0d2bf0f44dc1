"""Reading reports as an actor may see them: a report one may not see does not exist."""

from django.utils.translation import gettext as _

from core.errors import NotFound
from documents import actions as documents
from documents.inputs import row_id
from reports import access
from reports.actions.common import REPORTS
from reports.models import Report, ReportVersion


def report_for(actor, identifier) -> Report:
    found = row_id(identifier)
    report = Report.objects.select_related("office", "concerning").filter(pk=found).first() if found else None
    return documents.visible(REPORTS, actor, report)


def version_for(actor, report: Report, number: int) -> ReportVersion:
    version = report.versions.select_related("author").filter(number=number).first()
    if version is None or not access.can_see_version(actor, report, number):
        raise NotFound(_("This report has no version %(number)s.") % {"number": number}, code="unknown_version")
    return version
