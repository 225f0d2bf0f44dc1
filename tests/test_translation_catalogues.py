"""Every translation catalogue is whole: each plural message has as many forms as its language's
plural rule asks for, and each form keeps the placeholders of the English text. A missing form
falls back to English in that language at run time (or breaks msgfmt --check), so only a test
finds it."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGUES = sorted(Path(__file__).resolve().parent.parent.glob("*/locale/*/LC_MESSAGES/django.po"))


def problems_in(path: Path) -> list[str]:
    with path.open("rb") as file:
        catalogue = read_po(file)
    problems = [f"line {message.lineno}: {error}" for message, errors in catalogue.check() for error in errors]
    for message in catalogue:
        # The reader pads forms the file lacks with "", so a translated plural message with an
        # empty form is one whose file left that form out.
        if message.pluralizable and message.string[0] and not all(message.string):
            problems.append(f"line {message.lineno}: {len(message.string)} plural forms asked, some missing")
    return problems


def test_there_are_catalogues_to_check():
    assert len(CATALOGUES) >= 6


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: "/".join(path.parts[-5:-2]))
def test_a_catalogue_has_every_plural_form_and_placeholder(path):
    assert problems_in(path) == []


def test_a_plural_message_missing_a_form_is_found(tmp_path):
    broken = tmp_path / "django.po"
    broken.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;\\n"\n\n'
        'msgid "%(count)s signatory"\nmsgid_plural "%(count)s signatories"\n'
        'msgstr[0] "%(count)s firmante"\nmsgstr[1] "%(count)s firmantes"\n',
        encoding="utf-8",
    )
    assert problems_in(broken) == ["line 6: 3 plural forms asked, some missing"]
