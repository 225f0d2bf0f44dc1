"""Passkeys' settings: an origin that is not one, or a relying party the origin does not belong
to, stops start-up with its own check ID; a member reading the passkeys page at another address
than the configured origin is told where passkeys work, and offered no ceremony that would fail."""

import pytest

from web.checks import check_passkey_settings


def ids(settings, origin, rp_id) -> list[str]:
    settings.WEBAUTHN_ORIGIN, settings.WEBAUTHN_RP_ID = origin, rp_id
    return [problem.id for problem in check_passkey_settings(None)]


@pytest.mark.parametrize(
    ("origin", "rp_id"),
    [
        ("https://undersigned.example", "undersigned.example"),
        ("https://sign.undersigned.example", "undersigned.example"),
        ("http://localhost:8000", "localhost"),
    ],
)
def test_an_origin_and_the_domain_it_belongs_to_pass(settings, origin, rp_id):
    assert ids(settings, origin, rp_id) == []


@pytest.mark.parametrize("origin", ["undersigned.example", "ftp://undersigned.example", "https://x.example/sign"])
def test_an_origin_that_is_not_one_is_refused(settings, origin):
    assert ids(settings, origin, "undersigned.example") == ["undersigned.E005"]


@pytest.mark.parametrize("rp_id", ["evil.example", "example.org", "dersigned.example", ""])
def test_a_relying_party_the_origin_does_not_belong_to_is_refused(settings, rp_id):
    assert ids(settings, "https://undersigned.example", rp_id) == ["undersigned.E006"]


def test_the_page_read_elsewhere_says_where_passkeys_work_and_offers_no_ceremony(settings, signer):
    settings.WEBAUTHN_ORIGIN, settings.WEBAUTHN_RP_ID = "http://localhost:8000", "localhost"
    page = signer.web.get("/settings/passkeys/").content.decode()
    assert "Passkeys of this site are made and used at http://localhost:8000: open this page there." in page
    assert 'id="passkey-add"' not in page


def test_the_page_read_at_the_configured_origin_offers_the_ceremony(settings, signer):
    settings.WEBAUTHN_ORIGIN, settings.WEBAUTHN_RP_ID = "http://testserver", "testserver"
    page = signer.web.get("/settings/passkeys/").content.decode()
    assert "open this page there" not in page
    assert 'id="passkey-add"' in page


def test_the_demo_makes_its_passkeys_at_localhost(monkeypatch):
    """The demo serves http://127.0.0.1, an address browsers refuse as a relying party."""
    from argparse import Namespace

    from undersigned import cli

    environment: dict[str, str] = {}
    monkeypatch.setattr(cli.os, "environ", environment)
    cli._demo_environment(Namespace(port=8123))
    assert environment["WEBAUTHN_ORIGIN"] == "http://localhost:8123"
