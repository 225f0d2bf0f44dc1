"""The Office's assessment concerning China, as the demo's report: written, shared with the
State concerned, acknowledged, commented on, published with the State's comments annexed; and
the demo's 2022 letter names it (``concerning_report``).

What is real and what is not:
- ILLUSTRATIVE: the report's text and the text of the comments are written for the demo; they
  are not the Office's assessment nor China's response, and say so.
- Real, public dates (sources below): the Office published its "Assessment of human rights
  concerns in the Xinjiang Uyghur Autonomous Region, People's Republic of China" on
  31 August 2022, minutes before the High Commissioner's term ended at midnight in Geneva, with
  China's response published beside it; at her press conference of Thursday 25 August 2022 she
  said that, as is common practice, her Office had shared its findings with China, which had
  come back with a "substantial" number of comments; she had said in September 2021 that the
  assessment was being finalised.
- Not public, so illustrative: the day the report was first written down here (set in September
  2021), the day it was shared (12 August 2022), the deadline (26 August 2022) and the day the
  comments came back (24 August 2022, before the press conference that mentioned them).

Sources (read on 2 December 2026):
- https://en.wikipedia.org/wiki/UN_Human_Rights_Office_report_on_Xinjiang (published 31 August 2022)
- https://www.devdiscourse.com/article/law-order/2163257-ohchr-issues-assessment-of-human-rights-concerns-in-chinas-xinjiang
  (the Office's release; it "engaged in dialogue and technical exchanges with China throughout the process")
- https://www.cnsnews.com/article/international/patrick-goodenough/outgoing-un-rights-chief-no-guarantee-shell-release-long
  (press conference of 25 August 2022; "last September she announced that it was being finalized")
- https://usnews.staus.in/blog/un-rights-chief-hints-report-on-xinjiang-may-miss-deadline/ (AP: findings
  shared with China "as is common practice", which came back with a "substantial" number of comments)
- https://thedailyguardian.com/chinas-defence-of-its-serious-human-rights-violations-in-xinjiang/ (China's
  response of 131 pages published with the report, 13 minutes before the end of her term)
"""

from letters.models import Letter
from reports import actions
from reports.models import Report, ReportVersion
from undersigned.demo_letters import Loader, geneva

REPORT_TITLE = "Assessment of human rights concerns concerning the State (ILLUSTRATIVE demo text)"
REPORT_BODY = """> ILLUSTRATIVE TEXT, written for this demo. It is not the Office's assessment; the real
> assessment was published by the Office of the High Commissioner on 31 August 2022.

## I. Introduction

This illustrative report stands in for an assessment that the Office wrote about a State
over several years, drawing on the State's own laws, policies and statements and on the work
of the human rights mechanisms.

## II. Sharing with the State concerned

As is common practice, the Office shared its findings with the State concerned for factual
comments before publication; the comments received are annexed at the State's request.
"""
REPORT_NOTE = "First full draft for the High Commissioner (illustrative)"
COMMENTS_BODY = """> ILLUSTRATIVE TEXT, written for this demo. It is not the State's response; the
> real response was published beside the assessment on 31 August 2022.

The State concerned rejects the assessment and asks that these comments be annexed to it.
"""

WRITTEN = geneva(2021, 9, 13, 10)  # illustrative day; the month is the one she said it was being finalised
SHARED = geneva(2022, 8, 12, 10)  # illustrative: the date is not public
DEADLINE = geneva(2022, 8, 26, 18)  # illustrative
ACKNOWLEDGED = geneva(2022, 8, 12, 16)  # illustrative
COMMENTS_RECEIVED = geneva(2022, 8, 24, 17)  # illustrative: before the press conference of 25 August
PUBLISHED = geneva(2022, 8, 31, 23, 47)  # 31 August 2022, minutes before midnight in Geneva


def find_report() -> Report | None:
    version = (
        ReportVersion.objects.filter(number=1, title=REPORT_TITLE, report__office__slug="ohchr")
        .select_related("report")
        .first()
    )
    return version.report if version else None


def load_report(loader: Loader) -> Report:
    """The report and its round with China, once."""
    found = find_report()
    if found is not None:
        return found
    office, state = loader.drafter("ohchr"), loader.signer("chn")
    report = actions.create_report(
        office, title=REPORT_TITLE, concerning="chn", body=REPORT_BODY, note=REPORT_NOTE, office="ohchr", at=WRITTEN
    ).object
    version = report.versions.get(number=1)
    actions.share(office, report.id, version=1, version_hash=version.hash, deadline=DEADLINE, at=SHARED)
    actions.acknowledge(state, report.id, at=ACKNOWLEDGED)
    actions.comment(state, report.id, version_hash=version.hash, annex=True, body=COMMENTS_BODY, at=COMMENTS_RECEIVED)
    actions.publish(office, report.id, version=1, version_hash=version.hash, at=PUBLISHED)
    return report


def name_the_report(letter: Letter | None, report: Report) -> None:
    """The 2022 letter asked the High Commissioner not to publish this report: it names it."""
    if letter is not None and letter.concerning_report_id is None:
        Letter.objects.filter(pk=letter.pk).update(concerning_report=report)
