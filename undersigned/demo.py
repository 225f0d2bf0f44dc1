"""Demo data: the 2022 letter of the story, the two real joint letters of July 2019, and personas.

`load()` builds everything through the same actions the site uses (letters.actions,
orgs.actions), passing each event's historical date with `at=`, so the log tells the story with
its real dates where they are known. It is idempotent: a demo letter that already exists (found
by its penholder and the title of its first version) is not loaded again, and the personas are
found rather than made twice. Everything is loaded in one transaction: a failed load leaves
nothing behind, and the log is integrated once, when it commits.

What is real and what is not:
- The 2019 letters: real signatories and dates from core/data/letters_2019.csv. The texts
  are summaries written for the demo, not the original wording. Which State coordinated each
  letter is not on record here; the demo makes the first State of each published list the
  penholder. Circulation, closing and publication times are set for the demo.
- The 2022 letter: the texts are illustrative, written around the passages Reuters quoted. The
  real list of signatories was never published; the 40 States signing it here are illustrative,
  chosen among States that supported China's position on Xinjiang in the 2019 counter-letter.
"""

from django.conf import settings
from django.db import transaction

from core import datafiles
from letters import notify
from orgs.actions import add_organisation, import_un_states
from orgs.models import KIND_UN_OFFICE, Organisation
from undersigned.demo_letters import (
    DEMO_LETTERS,
    Loader,
    find_letter,
    geneva,
    load_counter_2019,
    load_letter_2019,
    load_letter_2022,
)
from undersigned.demo_personas import Login, make_personas
from undersigned.demo_register import load_register
from undersigned.demo_reports import find_report, load_report, name_the_report
from undersigned.demo_texts import COUNTER_2019_TITLE, ILLUSTRATIVE_NAMES, LETTER_2019_TITLE, LETTER_2022_TITLE

DATA_DIR = datafiles.DATA_DIR


def load() -> list[Login]:
    """Load the demo organisations, personas and letters (once); return the persona logins."""
    # History is loaded, not lived: nobody is mailed about events of 2019 and 2022.
    with notify.suppressed(), transaction.atomic():
        registered = geneva(2019, 7, 1, 9)
        import_un_states(DATA_DIR / "un_states.csv", at=registered)
        add_organisation("hrc-president", "President of the Human Rights Council", KIND_UN_OFFICE, at=registered)
        logins = make_personas()
        loader = Loader()
        if find_letter("aus", LETTER_2019_TITLE) is None:
            load_letter_2019(loader)
        if find_letter("dza", COUNTER_2019_TITLE) is None:
            load_counter_2019(loader)
        if find_letter("chn", LETTER_2022_TITLE) is None:
            load_letter_2022(loader)
        letter_2022 = find_letter("chn", LETTER_2022_TITLE)
        name_the_report(letter_2022, load_report(loader))
        load_register(letter_2022.handle if letter_2022 else None)
    return logins


# ---------------------------------------------------------------- what to open


def describe(logins: list[Login], port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    lines = [f"Undersigned demo: open {base}/ (sign in at {base}/login/)", "", "Letters:"]
    letters = {
        "chn": (
            "2022, illustrative: joint letter to the High Commissioner urging her not to publish the "
            "Xinjiang assessment; penholder China; 2 versions (harsher, then softer); 40 live signatures "
            "on version 2, 4 left on version 1, 1 withdrawal; delivered 15 July 2022, acknowledged "
            "1 August 2022; names visible to the penholder only (and to the addressee, who received "
            "the list). " + ILLUSTRATIVE_NAMES
        ),
        "aus": (
            "2019, real signatories: letter of 22 States of 8 July 2019 to the HRC President and the "
            "High Commissioner; penholder Australia (chosen for the demo); delivered and published. "
            "Text is a summary, not the original wording; circulation and publication times are set for "
            "the demo."
        ),
        "dza": (
            "2019, real signatories: counter-letter of 12 July 2019; penholder Algeria (chosen for the "
            "demo); 37 delivered on 12 July, Qatar withdrew on 18 July, 13 joined on 26 July (addendum), "
            "Yemen with no sourced date (in A/HRC/41/G/17; its recorded time is not a real date); 50 States; "
            "published. Text is a summary, not the original wording."
        ),
    }
    for penholder, title in DEMO_LETTERS:
        letter = find_letter(penholder, title)
        where = f"{base}/p/{letter.handle}" if letter else "(not loaded)"
        lines.append(f"  - {letters[penholder]}")
        lines.append(f"    public page: {where}")
    report = find_report()
    lines += [
        "",
        "Report:",
        "  - The Office's assessment concerning China (ILLUSTRATIVE text; real publication date, 31 August 2022): "
        "shared with the State concerned, comments received and annexed, published; the 2022 letter names it.",
        f"    public timeline: {base}/r/{report.handle}" if report else "    (not loaded)",
    ]
    lines += [
        "",
        f"Passkeys: sign in at http://localhost:{port}/login/, then add one under Passkeys "
        "(browsers make passkeys for a name, not for 127.0.0.1).",
    ]
    lines += [
        "",
        "Logins (demo-only passwords, generated for this instance and kept under "
        f"{settings.VAR_DIR}; never use them anywhere else):",
    ]
    slugs = [login.organisation for login in logins]
    names = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "name"))
    width = max(len(login.username) for login in logins)
    pwidth = max(len(login.password) for login in logins)
    for login in logins:
        where = (
            f"{names.get(login.organisation, login.organisation)} ({login.role})"
            if login.organisation
            else f"{base}/admin/"
        )
        lines.append(f"  {login.username:<{width}}  {login.password:<{pwidth}}  {login.email}  {where}")
        lines.append(f"  {'':<{width}}  {login.tries}")
    return "\n".join(lines)
