"""The penholder's table of invitees: summary counts, sorting by name, filters, withdrawal
reasons, the invitation message on the letter, and a reminder to those who have not answered."""

import html

import pytest
from django.core import mail

from letters.actions.reminding import remind_unanswered
from tests.conftest import sign


def letter_page(persona, letter, query="") -> str:
    return html.unescape(persona.web.get(f"/letters/{letter['id']}/{query}").content.decode())


def table(page: str) -> str:
    start = page.index('id="invitees-table"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def answered(letter, penholder, signer, second_signer):
    """pak signed; cub signed and withdrew, saying why."""
    assert sign(signer, letter).status_code == 201
    assert sign(second_signer, letter).status_code == 201
    reason = {"reason": "Instructions from the capital"}
    assert second_signer.api.post(f"/letters/{letter['id']}/withdraw", reason).status_code in (200, 201)
    return letter


def test_the_penholder_sees_how_many_were_invited_opened_signed_and_withdrew(answered, penholder, outsider):
    assert penholder.api.post(f"/letters/{answered['id']}/circulate", {"invitees": ["usa"]}).status_code == 201
    counts = table(letter_page(penholder, answered))
    # pak and cub read the letter before signing; usa, just invited, has not opened it.
    for count, word in [(3, "invited"), (2, "opened"), (1, "signed"), (1, "withdrew")]:
        assert f"<strong>{count}</strong> {word}" in counts


def test_the_table_is_sorted_by_the_names_people_read_and_gives_withdrawal_reasons(answered, penholder):
    rows = table(letter_page(penholder, answered))
    assert rows.index("Cuba") < rows.index("Pakistan")
    assert 'withdrew: <q dir="auto">Instructions from the capital</q>' in rows
    penholder.web.cookies["django_language"] = "ar"
    arabic = table(letter_page(penholder, answered))
    assert arabic.index("باكستان") < arabic.index("كوبا")  # Arabic order: bā' before kāf


def test_the_penholder_filters_the_table(answered, penholder):
    signed_only = table(letter_page(penholder, answered, "?invitees=signed"))
    assert "Pakistan" in signed_only and "Cuba" not in signed_only
    withdrew = table(letter_page(penholder, answered, "?invitees=withdrew"))
    assert "Cuba" in withdrew and "Pakistan" not in withdrew
    unanswered = table(letter_page(penholder, answered, "?invitees=unanswered"))
    assert "Cuba" in unanswered and "Pakistan" not in unanswered


def test_an_invitee_sees_no_table_but_reads_the_invitation_message(draft, penholder, signer):
    invitation = {"invitees": ["pak"], "message": "Please sign by Friday."}
    assert penholder.api.post(f"/letters/{draft['id']}/circulate", invitation).status_code == 201
    page = letter_page(signer, draft)
    assert "Please sign by Friday." in page and 'id="invitees-table"' not in page


def test_the_reminder_goes_to_the_signers_of_invitees_that_have_not_signed(
    answered, penholder, signer, second_signer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = penholder.web.post(f"/letters/{answered['id']}/remind")
    assert response.status_code == 302
    assert [m.to[0] for m in mail.outbox] == [second_signer.user.email]
    assert f"/letters/{answered['id']}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        penholder.web.post(f"/letters/{answered['id']}/remind")
    assert len(mail.outbox) == 1, "a second reminder the same day sends nothing more"


def test_only_the_penholder_may_remind(answered, signer):
    from core.errors import Forbidden

    with pytest.raises(Forbidden):
        remind_unanswered(signer.user, answered["id"])
    assert signer.web.post(f"/letters/{answered['id']}/remind").status_code == 403


def test_the_page_offers_the_reminder_with_its_count(answered, penholder):
    assert "Remind the 1 invitee that has not signed version 1" in letter_page(penholder, answered)


def test_the_versions_an_invitee_opened_read_as_runs(circulating, penholder, signer):
    """pak opened versions 1 to 3 and 5, not 4: the table says "v1–v3, v5", not each number."""

    def revise(number):
        edit = {"body": f"Text {number}.", "note": "edit", "base_version": number - 1}
        assert penholder.api.post(f"/letters/{circulating['id']}/versions", edit).status_code == 201

    letter_page(signer, circulating)
    for number in (2, 3, 4, 5):
        revise(number)
        if number != 4:
            letter_page(signer, circulating)
    rows = table(letter_page(penholder, circulating))
    pakistan = rows[rows.index("Pakistan") :]
    assert '<td dir="ltr">v1–v3, v5</td>' in pakistan[: pakistan.index("</tr>")]
