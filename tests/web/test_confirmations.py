"""Signing, withdrawing, delivering and publishing from the letter page ask for a second look,
in words, before anything happens; the confirmation page's button then acts. Programs posting
without `review` act at once, as before."""

import html
import re

from letters.models import Delivery, Letter, Signature
from tests.conftest import make_persona, sign


def page(response) -> str:
    return html.unescape(response.content.decode())


def confirm_form_fields(text: str) -> dict:
    form = text[text.index('<form method="post" action="/letters/') :]
    form = form[: form.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def test_every_irreversible_form_on_the_letter_page_asks_for_review(signed, penholder, signer):
    penholder.api.post(f"/letters/{signed['id']}/close")
    for persona in (penholder, signer):
        text = page(persona.web.get(f"/letters/{signed['id']}/"))
        for action in ("sign", "withdraw", "deliver", "publish"):
            form_of_action = rf'<form method="post" action="/letters/{signed["id"]}/{action}".*?</form>'
            for form in re.findall(form_of_action, text, re.S):
                assert 'name="review"' in form, f"{action} acts on one click"


def test_the_signer_is_asked_to_sign_version_1_on_behalf_of_pakistan_and_nothing_is_signed_yet(letter, signer):
    version = Letter.objects.get(id=letter["id"]).version(1)
    fields = {"version": 1, "version_hash": version.hash, "organisation": "pak", "review": "1"}
    text = page(signer.web.post(f"/letters/{letter['id']}/sign", fields))
    assert "Sign version 1 on behalf of Pakistan" in text
    assert "We urge the High Commissioner" in text  # the text signed is in front of the signer
    assert "This signature is late" not in text
    assert not Signature.objects.filter(letter_id=letter["id"]).exists()

    kept = confirm_form_fields(text)
    assert kept == {"version": "1", "version_hash": version.hash, "organisation": "pak"}
    assert signer.web.post(f"/letters/{letter['id']}/sign", kept).status_code == 302
    assert Signature.objects.filter(letter_id=letter["id"], organisation__slug="pak").exists()


def test_a_late_signature_says_it_is_late(delivered, second_signer):
    version = Letter.objects.get(id=delivered["id"]).version(1)
    fields = {"version": 1, "version_hash": version.hash, "review": "1"}
    text = page(second_signer.web.post(f"/letters/{delivered['id']}/sign", fields))
    assert "Sign version 1 on behalf of Cuba" in text
    assert "This signature is late: the letter was delivered on" in text


def test_the_penholder_sees_what_the_addressee_will_receive_before_delivering(signed, penholder, second_signer):
    assert sign(second_signer, signed).status_code == 201
    text = page(penholder.web.post(f"/letters/{signed['id']}/deliver", {"version": 1, "review": "1"}))
    assert "Deliver version 1 with 2 signatories to the Office of the High Commissioner for Human Rights" in text
    assert "What the Office of the High Commissioner for Human Rights receives" in text
    preview = text[text.index("receives-heading") :]
    assert "We urge the High Commissioner" in preview
    assert preview.index("Pakistan") < preview.index("Cuba")  # in the order the delivery binds them
    assert not Delivery.objects.filter(letter_id=signed["id"]).exists()

    assert penholder.web.post(f"/letters/{signed['id']}/deliver", confirm_form_fields(text)).status_code == 302
    assert Delivery.objects.filter(letter_id=signed["id"]).count() == 1


def test_one_signatory_reads_in_the_singular(signed, penholder):
    text = page(penholder.web.post(f"/letters/{signed['id']}/deliver", {"version": 1, "review": "1"}))
    assert "Deliver version 1 with 1 signatory to" in text


def test_publishing_says_how_many_names_become_public_and_that_it_cannot_be_undone(delivered, penholder):
    text = page(penholder.web.post(f"/letters/{delivered['id']}/publish", {"review": "1"}))
    assert "Publish: 1 name becomes public; this cannot be undone" in text
    assert Letter.objects.get(id=delivered["id"]).status == "delivered"
    assert penholder.web.post(f"/letters/{delivered['id']}/publish", confirm_form_fields(text)).status_code == 302
    assert Letter.objects.get(id=delivered["id"]).status == "published"


def test_withdrawing_keeps_the_reason_on_the_confirmation_page(signed, signer):
    fields = {"organisation": "pak", "reason": "New instructions from the capital", "review": "1"}
    text = page(signer.web.post(f"/letters/{signed['id']}/withdraw", fields))
    assert "Withdraw the signature of Pakistan" in text
    assert "The signature on version 1 is withdrawn." in text
    assert ">New instructions from the capital</textarea>" in text
    assert Signature.objects.get(letter_id=signed["id"]).withdrawn_at is None


def test_the_confirmation_speaks_the_readers_language(letter, signer):
    signer.web.cookies["django_language"] = "ar"
    version = Letter.objects.get(id=letter["id"]).version(1)
    fields = {"version": 1, "version_hash": version.hash, "organisation": "pak", "review": "1"}
    text = page(signer.web.post(f"/letters/{letter['id']}/sign", fields))
    assert 'dir="rtl"' in text and "باكستان" in text and "Sign version" not in text


def test_an_outsider_gets_no_confirmation_page(letter, orgs):
    outsider = make_persona("olga", [("usa", "signer")])
    response = outsider.web.post(f"/letters/{letter['id']}/sign", {"version": 1, "review": "1"})
    assert response.status_code == 404


def test_a_review_for_an_organisation_one_does_not_sign_for_is_refused_by_the_action(letter, signer):
    fields = {"version": 1, "version_hash": "0" * 64, "organisation": "nosuchmission", "review": "1"}
    response = signer.web.post(f"/letters/{letter['id']}/sign", fields)
    assert response.status_code in (400, 403, 404, 409, 422)
    assert not Signature.objects.filter(letter_id=letter["id"]).exists()
