"""System checks with stable IDs: a misconfigured log key stops `manage.py check` and start-up."""

from django.conf import settings
from django.core.checks import Error, register

from ledger import note


@register()
def check_log_key(app_configs, **kwargs):
    if not settings.LOG_SIGNING_KEY:
        return []  # generated under var/ on first use
    try:
        signer = note.Signer.from_private(settings.LOG_SIGNING_KEY)
    except ValueError as exc:
        return [Error(f"LOG_SIGNING_KEY is not a note signing key: {exc}", id="undersigned.E001")]
    if signer.name != settings.LOG_ORIGIN:
        return [
            Error(
                f"LOG_SIGNING_KEY is named {signer.name!r} but LOG_ORIGIN is {settings.LOG_ORIGIN!r}",
                hint="A checkpoint's key name is the log's origin.",
                id="undersigned.E002",
            )
        ]
    return []


# Appends and signatures use INSERT/UPDATE ... RETURNING, which SQLite has from 3.35.
SQLITE_NEEDED = (3, 35, 0)


@register()
def check_sqlite_version(app_configs, **kwargs):
    import sqlite3

    from django.db import connections

    if connections["default"].vendor != "sqlite" or sqlite3.sqlite_version_info >= SQLITE_NEEDED:
        return []
    return [
        Error(
            f"SQLite {sqlite3.sqlite_version} is too old: Undersigned needs {'.'.join(map(str, SQLITE_NEEDED))} "
            "or newer (RETURNING)",
            hint="Use a newer Python build or PostgreSQL.",
            id="undersigned.E003",
        )
    ]


@register()
def check_log_witnesses(app_configs, **kwargs):
    from record.witnesses import parse_witnesses

    try:
        parse_witnesses(settings.LOG_WITNESSES)
    except ValueError as exc:
        return [
            Error(
                f"LOG_WITNESSES: {exc}",
                hint="LOG_WITNESSES is 'URL VKEY' pairs separated by ';', each VKEY "
                "a witness's <name>+<key id>+<base64> as `undersigned witness serve` prints it.",
                id="undersigned.E004",
            )
        ]
    return []
