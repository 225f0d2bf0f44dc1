"""`undersigned register import FILE...`: the four CSV formats into the register.

All the files are one import: every row is read and checked in memory first (`reading`), against
the files and what the register already holds (`checks`), and only when nothing is wrong is
anything written (`writing`), in one transaction. So a bad file changes nothing, and each error
names its `file:line` and what is wrong. Rows the register already holds are left alone, so
importing the same files again adds nothing; a text or a membership term whose fields changed is
updated, and a vote given again with different ballots is replaced (it must still list every
member exactly once).

The checks (docs/register.md): the header is exactly one of the four formats; dates are ISO
(YYYY-MM-DD); kinds, events, provenances, bodies, groups and votes are the contract's words;
countries are ISO3 codes or names (register.names); a participant's and a vote's text exist; a
withdrawal follows a support by the same State; a reported count is at most the 195 States and
not below the States listed as supporting the text now; a membership term does not overlap
another of the same State nor overfill its group's seats; a vote is on a draft, and lists every
member on its date once and nobody else.
"""

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction

from register.importer.checks import Plan
from register.importer.reading import Reader
from register.importer.rows import Errors, ImportRefused, Summary, Where
from register.importer.writing import Writer

__all__ = ["ImportRefused", "Summary", "Where", "import_files"]


@contextmanager
def no_cyclic_garbage_collection() -> Iterator[None]:
    """Python's cycle collector off while an import holds its rows: it ran again and again over
    the half million rows it keeps (none of them in a cycle), a third of the time to read them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_files(paths: Sequence[Path | str]) -> Summary:
    """Import the files as one: all of them or nothing (ImportRefused lists every error found,
    up to a hundred, each as "file:line: what")."""
    with no_cyclic_garbage_collection():
        return _import(paths)


def _import(paths: Sequence[Path | str]) -> Summary:
    errors = Errors()
    reader = Reader(errors)
    for path in paths:
        reader.read(Path(path), str(path))
    if errors:
        raise errors.refuse()
    with transaction.atomic():
        # Read what the register holds inside the transaction that writes, so no other import
        # can slip in between the checks and the writes.
        plan = Plan(reader.rows, errors)
        plan.check()
        if errors:
            raise errors.refuse()
        Writer(plan).write()
    return plan.summary
