"""No module of the application is over 400 lines: past that, a file holds more than one purpose,
and it is split into modules named for theirs (docs/architecture.md). Migrations are written by
Django, not by us, and are not counted."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPLICATION = [
    "ledger",
    "core",
    "record",
    "orgs",
    "register",
    "documents",
    "reports",
    "letters",
    "api",
    "web",
    "undersigned",
]
MOST_LINES = 400


def lines_of_each_module() -> dict[str, int]:
    return {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for package in APPLICATION
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def test_no_module_of_the_application_is_over_400_lines():
    too_long = {path: lines for path, lines in lines_of_each_module().items() if lines > MOST_LINES}
    assert not too_long, f"over {MOST_LINES} lines, to split by purpose: {too_long}"
