"""The demo data: the 2022 letter of the story, the two July 2019 letters, and the personas.

The demo is loaded once for the module, inside a transaction rolled back at the end, so the
tests share one load (a few seconds) and leave the test database as they found it.
"""

import io
import json

import pytest
from django.db import transaction
from django.test import Client

from undersigned import demo, demo_letters, demo_texts

# The mark makes pytest-django create the test database; each test then runs in a savepoint
# inside the module's transaction, so what one test changes the next does not see.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        logins = demo.load()
        yield logins
        transaction.set_rollback(True)


def counts():
    from letters.models import Delivery, Letter, Signature, Version
    from orgs.models import Member, Organisation
    from record.models import Entry

    return {
        model.__name__: model.objects.count()
        for model in (Letter, Version, Signature, Delivery, Entry, Organisation, Member)
    }


def letter(penholder, title):
    found = demo_letters.find_letter(penholder, title)
    assert found is not None
    return found


def live(letter_, version=None):
    signatures = letter_.signatures.filter(withdrawn_at=None, replaced_at=None)
    return signatures.filter(version__number=version) if version else signatures


def test_the_demo_loads_the_states_the_offices_and_three_letters(loaded):
    from orgs.models import Organisation

    assert Organisation.objects.filter(kind__in=["state", "observer"]).count() == 195
    assert set(Organisation.objects.filter(kind="un_office").values_list("slug", flat=True)) >= {
        "ohchr",
        "hrc-president",
    }
    for penholder, title in demo_letters.DEMO_LETTERS:
        letter(penholder, title)


def test_loading_twice_loads_nothing_twice_and_returns_the_same_logins(loaded):
    before = counts()

    again = demo.load()

    assert counts() == before
    assert again == loaded


def test_the_2019_counter_letter_ends_with_50_states_of_which_14_late(loaded):
    counter = letter("dza", demo_texts.COUNTER_2019_TITLE)

    assert counter.status == "published"
    assert counter.addressee.slug == "hrc-president"
    assert live(counter).count() == 50
    assert live(counter).filter(late=True).count() == 14
    withdrawn = counter.signatures.exclude(withdrawn_at=None)
    assert [(s.organisation.slug, s.withdrawal_late) for s in withdrawn] == [("qat", True)]
    first, addendum = counter.deliveries.order_by("log_index")
    assert len(first.signatories) == 37 and "qat" in first.signatories
    assert addendum.addendum_to_id == first.id and len(addendum.signatories) == 13
    assert addendum.withdrawn == ["qat"]
    yemen = live(counter).get(organisation__slug="yem")
    assert yemen.late and yemen.log_index == live(counter).order_by("-log_index").first().log_index
    assert "A/HRC/41/G/17" in counter.message


def test_the_2019_letter_has_22_signatories_all_on_8_july_and_is_published(loaded):
    letter_2019 = letter("aus", demo_texts.LETTER_2019_TITLE)

    assert letter_2019.status == "published"
    assert live(letter_2019).count() == 22
    assert {s.signed_at.date().isoformat() for s in live(letter_2019)} == {"2019-07-08"}
    (delivery,) = letter_2019.deliveries.all()
    assert len(delivery.signatories) == 22 and delivery.signatories[0] == "aus"


def test_the_2022_letter_has_two_versions_about_40_signatures_and_an_acknowledged_delivery(loaded):
    letter_2022 = letter("chn", demo_texts.LETTER_2022_TITLE)

    assert letter_2022.status == "delivered" and letter_2022.addressee.slug == "ohchr"
    v1, v2 = letter_2022.versions.order_by("number")
    assert "without a warrant and in serious breach of OHCHR's duties" in v1.body
    assert "without a warrant" not in v2.body
    for version in (v1, v2):
        assert "We urge the High Commissioner not to publish such an assessment." in version.body
        assert "undermine the credibility of the OHCHR and will harm cooperation" in version.body
    assert "never published" in v1.note and "illustrative" in letter_2022.message
    assert live(letter_2022, 2).count() == 40
    assert live(letter_2022, 1).count() == 4  # did not re-confirm
    assert letter_2022.signatures.exclude(withdrawn_at=None).count() == 1
    (delivery,) = letter_2022.deliveries.all()
    assert len(delivery.signatories) == 40 and delivery.version.number == 2
    assert delivery.acknowledged_at.date().isoformat() == "2022-08-01"
    assert letter_2022.names_visible_to == "penholder"
    assert letter_2022.invitations.filter(organisation__slug="usa").count() == 0


def test_the_2022_names_are_not_shown_to_an_invitee_nor_to_the_public(loaded):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    from letters import access

    letter_2022 = letter("chn", demo_texts.LETTER_2022_TITLE)
    users = get_user_model().objects
    assert access.can_see_names(users.get(username="chn-drafter"), letter_2022)
    assert not access.can_see_names(users.get(username="pak-signer"), letter_2022)
    assert not access.can_see_names(AnonymousUser(), letter_2022)
    assert not access.can_see_letter(users.get(username="usa-signer"), letter_2022)


def test_every_persona_in_the_description_can_log_in(loaded):
    text = demo.describe(loaded, 8123)

    assert "http://127.0.0.1:8123/" in text
    assert demo_texts.ILLUSTRATIVE_NAMES in text
    roles = {login.role for login in loaded}
    assert {"drafter", "signer", "viewer", "operator"} <= roles
    printed = {tuple(line.split()[:3]) for line in text.splitlines()}
    for login in loaded:
        assert (login.username, login.password, login.email) in printed
        assert login.email.endswith("@example.org")
        assert Client().login(username=login.username, password=login.password), login.username


def test_the_bundle_of_every_demo_letter_verifies_offline(loaded, tmp_path):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    from ledger.verify_command import main
    from letters.bundles import bundle_for

    drafters = {"chn": "chn-drafter", "aus": "drafter-aus", "dza": "drafter-dza"}
    for penholder, title in demo_letters.DEMO_LETTERS:
        letter_ = letter(penholder, title)
        for who, user in [
            ("penholder", get_user_model().objects.get(username=drafters[penholder])),
            ("public", AnonymousUser()),
        ]:
            path = tmp_path / f"{penholder}-{who}.json"
            path.write_text(json.dumps(bundle_for(user, letter_)))
            out = io.StringIO()
            assert main([str(path), "--json"], stdout=out) == 0, out.getvalue()
            verdict = json.loads(out.getvalue())
            assert verdict["ok"] is True and verdict["facts"]["status_at_last_event"] == letter_.status


def test_the_demo_register_holds_the_sourced_record_and_checks_the_spokesmans_claim(loaded):
    from register.models import Claim, Text
    from undersigned.demo_register import NEARLY_100, STATEMENT_HRC50

    claims = list(Claim.objects.filter(statement=NEARLY_100))
    texts_before = Text.objects.count()
    demo.load()

    assert len(claims) == 1 and Claim.objects.filter(statement=NEARLY_100).count() == 1
    assert STATEMENT_HRC50 in claims[0].texts
    assert Text.objects.filter(identifier="A/HRC/51/L.6").exists()
    assert Text.objects.count() == texts_before  # loading again imports nothing twice
    answer = Client().get(f"/register/claims/{claims[0].id}")
    assert answer.status_code == 200
