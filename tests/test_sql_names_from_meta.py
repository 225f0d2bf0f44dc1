"""Hand-written SQL names tables and columns through the models' _meta (core/sql.py's table and
column), never literally, so a renamed table, column or user model leaves no statement behind."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPLICATION = ["core", "record", "orgs", "letters", "api", "web", "undersigned", "register"]
# A table named after FROM, JOIN, INTO or UPDATE the way Django names them: app_model. SQLite's
# own catalog (sqlite_master, sqlite_schema) is the database's, not a model's.
LITERAL_TABLE = re.compile(r"\b(FROM|JOIN|INTO|UPDATE)\s+\"?(?!sqlite_)[a-z]+_[a-z_]+\b")


def test_no_statement_of_the_application_names_a_table_literally():
    found = []
    for package in APPLICATION:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                found += [
                    f"{path.relative_to(ROOT)}: {match.group(0)}"
                    for match in LITERAL_TABLE.finditer(path.read_text(encoding="utf-8"))
                ]
    assert not found, "tables named literally:\n" + "\n".join(found)
