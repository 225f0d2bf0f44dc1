"""The `undersigned` command for operators: organisations, members, tokens, the log's health."""

import json
import re

import pytest

from orgs.models import KINDS, ROLES, Organisation
from record.models import Entry
from tests.conftest import ApiClient, sign
from undersigned.cli import main


def test_an_operator_adds_an_organisation_whose_key_is_registered_in_the_log(db, capsys):
    assert main(["org", "add", "che", "--name", "Switzerland", "--kind", "state", "--country", "CHE"]) == 0

    organisation = Organisation.objects.get(slug="che")
    entry = json.loads(bytes(Entry.objects.get(index=organisation.key_log_index).data))
    assert (entry["type"], entry["org"], entry["country"]) == ("org.registered", "che", "CHE")
    assert "added: che" in capsys.readouterr().out


def test_adding_an_organisation_twice_changes_nothing(db, capsys):
    main(["org", "add", "che", "--name", "Switzerland", "--kind", "state"])
    before = Entry.objects.count()

    assert main(["org", "add", "che", "--name", "Switzerland", "--kind", "state"]) == 0
    assert Entry.objects.count() == before


def test_a_bad_slug_is_refused_with_a_reason(db, capsys):
    assert main(["org", "add", "Bad Slug!", "--name", "X", "--kind", "ngo"]) == 1
    assert "slug" in capsys.readouterr().err


def test_an_unknown_kind_is_a_usage_error(db):
    with pytest.raises(SystemExit) as exit:
        main(["org", "add", "x", "--name", "X", "--kind", "club"])
    assert exit.value.code == 2


@pytest.mark.parametrize(
    "command, option, stored",
    [
        (["org", "add", "x", "--name", "X"], "--kind", KINDS),
        (["member", "add", "x", "--org", "x"], "--role", ROLES),
    ],
)
def test_the_command_line_offers_exactly_the_kinds_and_roles_that_are_stored(capsys, command, option, stored):
    with pytest.raises(SystemExit):
        main([*command, option, "?"])
    offered = re.search(r"choose from (.*)\)", capsys.readouterr().err).group(1)
    assert offered.replace("'", "").split(", ") == [value for value, label in stored]


def test_import_un_loads_195_states_and_the_ohchr_once(db, capsys):
    assert main(["org", "import-un"]) == 0
    assert main(["org", "import-un"]) == 0

    assert Organisation.objects.filter(kind__in=["state", "observer"]).count() == 195
    assert Organisation.objects.filter(regional_group="African States").count() == 54
    assert Organisation.objects.filter(slug="ohchr", kind="un_office").exists()
    assert "0 organisations added" in capsys.readouterr().out


def test_token_create_prints_the_token_alone_and_it_works(orgs, capsys):
    main(["member", "add", "ana", "--org", "chn", "--role", "drafter"])
    capsys.readouterr()

    assert main(["token", "create", "ana"]) == 0
    token = capsys.readouterr().out
    assert token.endswith("\n") and len(token.strip().split()) == 1
    assert ApiClient(token.strip()).get("/letters").status_code == 200


def test_token_create_for_an_unknown_user_fails(db, capsys):
    assert main(["token", "create", "nobody"]) == 1
    assert "nobody" in capsys.readouterr().err


def test_log_check_passes_on_a_healthy_log_and_names_a_tampered_entry(signer, circulating, capsys):
    sign(signer, circulating)
    from record.log import integrate

    integrate()
    assert main(["log", "check"]) == 0

    tampered = Entry.objects.order_by("-index").first()
    Entry.objects.filter(index=tampered.index).update(data=bytes(tampered.data).replace(b"false", b"true "))
    capsys.readouterr()

    assert main(["log", "check"]) == 1
    assert f"entry {tampered.index}" in capsys.readouterr().out


def test_log_audit_lists_every_event_of_a_handle(signer, circulating, capsys):
    sign(signer, circulating)
    capsys.readouterr()

    assert main(["log", "audit", circulating["handle"]]) == 0

    out = capsys.readouterr().out
    assert "letter.created" in out and "signature.signed" in out and "3 events" in out


def test_verify_checks_a_bundle_without_django(signer, penholder, circulating, tmp_path, capsys):
    sign(signer, circulating)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(penholder.api.get(f"/letters/{circulating['id']}/bundle").json()))

    assert main(["verify", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_every_model_change_has_its_migration(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_an_auditor_checks_a_letters_history_in_the_public_log_over_http(signer, penholder, circulating, capsys):
    from django.test import Client

    from ledger.audit_command import main as audit_main
    from record import log

    sign(signer, circulating)
    penholder.api.post(f"/letters/{circulating['id']}/close")
    log.integrate()
    web = Client()

    def fetch(path):
        response = web.get(f"/log/{path}")
        assert response.status_code == 200, path
        return response.content

    status = audit_main(
        [circulating["handle"], "--url", "http://testserver/log/", "--vkey", log.vkey(), "--json"], fetch=fetch
    )

    report = json.loads(capsys.readouterr().out)
    assert status == 0, report
    assert len(report["events"]) == 4
