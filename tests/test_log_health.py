"""The server refuses to start on a log that does not match its own checkpoint; keys stay encrypted."""

from orgs import keys
from record import health, log
from record.models import Tile
from tests.conftest import sign
from undersigned.cli import main


def test_a_healthy_log_lets_the_server_start(signer, circulating):
    sign(signer, circulating)
    log.integrate()

    assert health.check_log_on_start() is None


def test_a_tampered_tile_stops_the_server_from_starting(signer, circulating, capsys):
    sign(signer, circulating)
    log.integrate()
    tile = Tile.objects.get(level=0, number=0)
    Tile.objects.filter(pk=tile.pk).update(data=b"\x00" * 32 + bytes(tile.data)[32:])

    problem = health.check_log_on_start()

    assert problem and "root" in problem
    assert main(["serve", "--port", "1"]) == 1
    assert "refusing to start" in capsys.readouterr().err


def test_organisation_keys_are_encrypted_at_rest(orgs):
    organisation = orgs["chn"]
    seed = keys.seed_of(organisation)

    assert len(seed) == 32
    assert seed not in bytes(organisation.encrypted_seed)


def test_a_malformed_or_misnamed_log_key_is_a_system_check_error(settings):
    from ledger.note import generate_signer_key
    from record.checks import check_log_key

    settings.LOG_SIGNING_KEY = "not a key"
    assert [e.id for e in check_log_key(None)] == ["undersigned.E001"]

    settings.LOG_SIGNING_KEY = generate_signer_key("another.example/log")[0]
    assert [e.id for e in check_log_key(None)] == ["undersigned.E002"]

    settings.LOG_SIGNING_KEY = generate_signer_key(settings.LOG_ORIGIN)[0]
    assert check_log_key(None) == []


def test_an_sqlite_without_returning_is_a_system_check_error(monkeypatch, db):
    import sqlite3

    from django.db import connection

    from record.checks import check_sqlite_version

    assert check_sqlite_version(None) == []  # the SQLite the tests run with is new enough
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 34, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.34.1")
    errors = check_sqlite_version(None)
    if connection.vendor == "sqlite":
        assert [error.id for error in errors] == ["undersigned.E003"] and "3.34.1" in errors[0].msg
    else:  # PostgreSQL does not care which SQLite Python carries
        assert errors == []
