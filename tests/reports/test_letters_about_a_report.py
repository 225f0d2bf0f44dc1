"""A letter may name the report it concerns; the report's public page lists those letters with
their proven counts and delivery status."""

from tests.conftest import LETTER, sign


def test_a_letter_names_the_report_it_concerns_and_the_report_lists_it(
    written, penholder, signer, second_signer, viewer, anonymous
):
    made = penholder.api.post("/letters", {**LETTER, "concerning_report": written["handle"]})
    assert made.status_code == 201, made.content
    letter = made.json()
    assert letter["concerning_report"] == written["handle"]
    assert anonymous.get(f"/public/reports/{written['handle']}").json()["letters"] == []  # a draft is shown to nobody
    penholder.api.post(f"/letters/{letter['id']}/circulate", {"invitees": ["pak", "cub"]})
    sign(signer, letter)
    listed = anonymous.get(f"/public/reports/{written['handle']}").json()["letters"]
    assert listed == [
        {
            "handle": letter["handle"],
            "status": "circulating",
            "counts": [{"version": 1, "hash": letter["current_hash"], "count": 1, "own_keys": 0}],
            "delivered": False,
            "acknowledged": False,
        }
    ]


def test_a_letter_naming_an_unknown_report_is_refused(penholder):
    response = penholder.api.post("/letters", {**LETTER, "concerning_report": "no-such-report"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "concerning_report"


def test_the_letters_public_page_links_back_to_the_report(written, penholder):
    from django.test import Client

    letter = penholder.api.post("/letters", {**LETTER, "concerning_report": written["handle"]}).json()

    page = Client().get(f"/p/{letter['handle']}")

    assert f'href="/r/{written["handle"]}?lang=en"' in page.content.decode()
