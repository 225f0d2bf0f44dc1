"""The public page leads with one sentence a journalist can quote, in plain words and the
reader's language: how many signed which version, to whom, when it was delivered and
acknowledged, who joined later and who withdrew. Hashes are explained and tucked away, the log's
key and a one-command verifier are given, and /log/ says what the log is."""

import html
import re

from django.utils import timezone, translation

from record.log import vkey
from tests.conftest import sign
from web.templatetags.undersigned import longdate

OHCHR = "the Office of the High Commissioner for Human Rights"


def public_page(client, letter, language="en") -> str:
    return html.unescape(client.get(f"/p/{letter['handle']}?lang={language}").content.decode())


def sentence(page: str) -> str:
    return re.search(r'<p class="lede quotable" id="summary-sentence">(.*?)</p>', page, re.S).group(1)


def today(language="en") -> str:
    with translation.override(language):
        return longdate(timezone.now())


def test_before_delivery_the_sentence_counts_the_signatures_so_far_and_names_the_addressee(signed, client):
    page = public_page(client, signed)
    assert sentence(page) == f"1 signatory has signed version 1 of this letter to {OHCHR} so far."
    assert "Pakistan" not in page and "China" not in page


def test_a_letter_nobody_signed_says_so(letter, client):
    assert sentence(public_page(client, letter)) == f"Nobody has signed version 1 of this letter to {OHCHR} yet."


def test_once_delivered_and_acknowledged_the_sentence_gives_the_dates_and_the_withdrawals(
    signed, second_signer, penholder, addressee, client
):
    assert sign(second_signer, signed).status_code == 201
    delivery = penholder.api.post(f"/letters/{signed['id']}/deliver", {"version": 1}).json()
    assert addressee.api.post(f"/deliveries/{delivery['id']}/acknowledge").status_code in (200, 201)
    assert second_signer.api.post(f"/letters/{signed['id']}/withdraw", {"reason": "x"}).status_code in (200, 201)
    assert sentence(public_page(client, signed)) == (
        f"2 States signed version 1 of this letter to {OHCHR}; it was delivered on {today()} and its receipt "
        f"acknowledged on {today()}; 1 signatory withdrew."
    )


def test_a_late_signature_is_told_as_an_addendum_and_named_once_published(delivered, second_signer, penholder, client):
    assert sign(second_signer, delivered).status_code == 201
    assert penholder.api.post(f"/letters/{delivered['id']}/deliver", {"version": 1}).status_code == 201
    assert "1 more signed later and went in an addendum on" in sentence(public_page(client, delivered))
    assert penholder.api.post(f"/letters/{delivered['id']}/publish").status_code == 201
    page = public_page(client, delivered)
    late = page[page.index("Joined after delivery, by addendum") :]
    assert "Cuba" in late[: late.index("</ul>")]


def test_once_published_the_text_and_the_version_notes_are_on_the_page(published, client):
    page = public_page(client, published)
    assert "We urge the High Commissioner not to publish such an assessment." in page
    assert "Versions and their notes" in page and "First draft for circulation" in page


def test_the_sentence_is_in_arabic_with_arabic_punctuation_and_dates(delivered, client):
    page = public_page(client, delivered, "ar")
    said = sentence(page)
    assert "؛" in said and "Office" not in said and today("ar") in said
    assert 'dir="rtl"' in page


def test_hashes_and_the_checkpoint_are_explained_in_details_and_left_to_right(signed, client):
    from record.log import integrate

    integrate()
    page = public_page(client, signed, "ar")
    hashes = page[page.index('<details class="hashes">') :]
    assert '<code class="hash" dir="ltr">' in hashes[: hashes.index("</details>")]
    checkpoint = page[page.index('<details class="checkpoint-details">') :]
    assert '<pre class="checkpoint" dir="ltr">' in checkpoint[: checkpoint.index("</details>")]


def test_the_page_gives_the_logs_key_and_one_command_to_verify(signed, client):
    page = public_page(client, signed)
    assert vkey() in page
    assert f"/api/v1/public/letters/{signed['handle']}/bundle | python -m ledger verify - --vkey {vkey()}" in page


def test_the_log_page_says_what_the_log_is_and_how_to_verify_in_the_readers_language(db, client):
    from record.log import integrate

    integrate()
    page = html.unescape(client.get("/log/").content.decode())
    assert "The public log" in page and vkey() in page and "python -m ledger verify" in page
    assert "python -m ledger audit HANDLE" in page
    arabic = client.get("/log/?lang=ar")
    assert arabic["Content-Language"] == "ar" and "The public log" not in arabic.content.decode()
    assert arabic["Cache-Control"].startswith("public")


def test_a_published_letter_says_when_it_was_published(published, client):
    assert sentence(public_page(client, published)).endswith(f"; it was published on {today()}.")


def test_an_abandoned_letter_says_so(signed, penholder, client):
    assert penholder.api.post(f"/letters/{signed['id']}/abandon").status_code in (200, 201)
    assert sentence(public_page(client, signed)).endswith(f"; the penholder abandoned it on {today()}.")
