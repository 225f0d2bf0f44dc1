"""The words of each mail, written in the active language (letters.notify activates each
recipient's before it calls these): a subject and a plain-text body, ending with the link.

What a mail may say (DESIGN.md is silent on mail; this is the rule we keep):
- the letter's title, version and deadline, its penholder and addressee, but only to a recipient
  who may read the letter (letters.access.can_see_letter), so that a diplomat invited to five
  letters can tell the five mails apart. The title is part of the text that is confidential until
  publication, and mail crosses servers that are not ours; but each recipient may already read it
  on the site, and a mail that names nothing sends them hunting for it. The text itself, and who
  signed, never leave the server: the mail links to the page, where access is checked again.
- for a report, only what its public timeline says already (the Office, the version number, the
  deadline): the State concerned may read the shared version, but it is not published.
"""

import datetime

from babel import dates as babel_dates
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from letters.models import Comment, Delivery, Letter, Version
from register.names import display_name
from reports.models import Report, Share

# ---------------------------------------------------------------- letters


def invitation(letter: Letter, version: Version, title_shown: bool) -> tuple[str, str]:
    line = gettext("You are invited to read and sign a joint letter.")
    return (
        _subject(gettext("A joint letter awaits your signature"), version, title_shown),
        _letter_body(line, letter, version, title_shown, letter.deadline),
    )


def new_version(letter: Letter, version: Version, title_shown: bool) -> tuple[str, str]:
    line = gettext("Version %(version)s replaces the version you signed. Read the changes and re-confirm.") % {
        "version": version.number
    }
    return (
        _subject(gettext("A letter you signed has a new version"), version, title_shown),
        _letter_body(line, letter, version, title_shown, letter.deadline),
    )


def penholder_reminder(letter: Letter, version: Version, title_shown: bool) -> tuple[str, str]:
    line = gettext("The penholder reminds you that a joint letter awaits your signature.")
    return (
        _subject(gettext("A reminder: a joint letter awaits your answer"), version, title_shown),
        _letter_body(line, letter, version, title_shown, letter.deadline),
    )


def deadline_reminder(
    letter: Letter, version: Version, deadline: datetime.datetime, title_shown: bool
) -> tuple[str, str]:
    line = gettext("The deadline for signatures is %(deadline)s.") % {"deadline": moment(deadline)}
    return (
        _subject(gettext("A joint letter's deadline is near"), version, title_shown),
        _letter_body(line, letter, version, title_shown, None),
    )


def delivered(delivery: Delivery, title_shown: bool) -> tuple[str, str]:
    letter, version = delivery.letter, delivery.version
    line = gettext("The letter has been delivered to your organisation. Please acknowledge receipt on its page.")
    return (
        _subject(gettext("A joint letter has been delivered to you"), version, title_shown),
        _letter_body(line, letter, version, title_shown, None, f"/deliveries/{delivery.id}/"),
    )


def acknowledged(delivery: Delivery, title_shown: bool) -> tuple[str, str]:
    letter, version = delivery.letter, delivery.version
    line = gettext("The addressee acknowledged receipt of the letter as delivered.")
    return (
        _subject(gettext("Receipt of your letter was acknowledged"), version, title_shown),
        _letter_body(line, letter, version, title_shown, None),
    )


def comment(comment: Comment, to_invitee: bool) -> tuple[str, str]:
    """Who commented, on which version of which letter, and the comment itself: every recipient
    may read both (letters.notify sends it to no one else)."""
    names = {
        "organisation": organisation_name(comment.organisation),
        "version": comment.version.number,
        "title": comment.version.title,
    }
    if to_invitee:
        subject = gettext("%(organisation)s commented on a draft you are invited to sign") % names
    else:
        subject = gettext("%(organisation)s commented on your draft") % names
    line = gettext("%(organisation)s commented on version %(version)s of “%(title)s”:") % names
    quoted = "\n".join(f"> {row}" for row in comment.body.splitlines())
    return subject, _with_link(f"{line}\n\n{quoted}", f"/letters/{comment.letter_id}/")


def _subject(what: str, version: Version, title_shown: bool) -> str:
    if not title_shown:
        return what
    return gettext("%(subject)s: “%(title)s”") % {"subject": what, "title": version.title}


def _letter_body(
    line: str,
    letter: Letter,
    version: Version,
    title_shown: bool,
    deadline: datetime.datetime | None,
    path: str | None = None,
) -> str:
    """The sentence, then which letter it is about, then the link to its page."""
    about = [line, ""]
    if title_shown:
        about.append(
            gettext("Letter: “%(title)s”, version %(version)s") % {"title": version.title, "version": version.number}
        )
        about.append(gettext("Penholder: %(organisation)s") % {"organisation": organisation_name(letter.penholder)})
        about.append(gettext("Addressee: %(organisation)s") % {"organisation": organisation_name(letter.addressee)})
    if deadline is not None:
        about.append(gettext("Deadline for signatures: %(deadline)s") % {"deadline": moment(deadline)})
    return _with_link("\n".join(about).rstrip("\n"), path or f"/letters/{letter.id}/")


# ---------------------------------------------------------------- reports


def report_shared(share: Share) -> tuple[str, str]:
    line = gettext("Version %(version)s of a report concerning your State is shared with you for comment.") % {
        "version": share.version.number
    }
    return (
        gettext("A report has been shared with your State for comment"),
        _report_body(line, share.report, share.deadline),
    )


def report_reminder(share: Share) -> tuple[str, str]:
    line = gettext("The deadline for your comments is %(deadline)s.") % {"deadline": moment(share.deadline)}
    return gettext("Comments on a report shared with your State are due soon"), _report_body(line, share.report, None)


def _report_body(line: str, report: Report, deadline: datetime.datetime | None) -> str:
    """The sentence, the Office that shared it and the deadline (both on the public timeline),
    and the link to that timeline: nothing of the report's content."""
    about = [line, "", gettext("Shared by: %(organisation)s") % {"organisation": organisation_name(report.office)}]
    if deadline is not None:
        about.append(gettext("Comments due by: %(deadline)s") % {"deadline": moment(deadline)})
    return _with_link("\n".join(about), f"/r/{report.handle}")


# ---------------------------------------------------------------- names, dates, links


def organisation_name(organisation) -> str:
    """A State by its UN name in the active language; other organisations by their own name."""
    if organisation.country:
        return display_name(organisation.country, translation.get_language())
    return gettext(organisation.name)


def moment(when: datetime.datetime) -> str:
    """A date and time as the active language writes it, in UTC and saying so: a mail is read
    in every time zone ("15 July 2022 at 18:00 UTC", "15 juillet 2022 à 18:00 UTC")."""
    when = when.astimezone(datetime.UTC)
    locale = _babel_locale()
    return gettext("%(date)s at %(time)s UTC") % {
        "date": babel_dates.format_date(when.date(), format="long", locale=locale),
        "time": babel_dates.format_time(when, format="HH:mm", tzinfo=datetime.UTC, locale=locale),
    }


def _babel_locale() -> str:
    """Babel's name for the active Django language: "zh-hans" → "zh_Hans"; English as the UN
    writes it, the day first ("15 July 2022")."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    if code == "en":
        return "en_GB"
    base, _dash, script = code.partition("-")
    return f"{base}_{script.title()}" if script else base


def _with_link(text: str, path: str) -> str:
    return f"{text}\n\n{settings.SITE_URL}{path}\n"
