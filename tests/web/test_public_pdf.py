"""The PDF of a published letter: its text, its signatories and a verification footer, in any script."""

import shutil
import subprocess
import time

import pytest

from tests.conftest import LETTER, sign

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is not installed")


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def publish(penholder, signer, letter):
    assert sign(signer, letter).status_code == 201
    assert penholder.api.post(f"/letters/{letter['id']}/deliver", {"version": 1}).status_code == 201
    assert penholder.api.post(f"/letters/{letter['id']}/publish").status_code == 201


def make_letter(penholder, **fields):
    response = penholder.api.post("/letters", {**LETTER, **fields})
    assert response.status_code == 201, response.content
    letter = response.json()
    assert penholder.api.post(f"/letters/{letter['id']}/circulate", {"invitees": ["pak", "cub"]}).status_code == 201
    return letter


def test_there_is_no_pdf_before_publication(delivered, client):
    assert client.get(f"/p/{delivered['handle']}.pdf").status_code == 404


@needs_pdftotext
def test_the_pdf_of_a_published_letter_has_the_text_the_names_and_the_log_index(published, client, tmp_path):
    response = client.get(f"/p/{published['handle']}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "public" in response["Cache-Control"] and response["ETag"]
    text = pdf_text(response.content, tmp_path)
    assert "Joint letter on the assessment" in text
    assert "Pakistan" in text
    assert "log index" in text and "undersigned verify bundle.json" in text


@needs_pdftotext
def test_an_arabic_letter_renders_in_arabic(penholder, signer, second_signer, viewer, client, tmp_path):
    letter = make_letter(penholder, title="رسالة مشتركة", body="نحث المفوضة السامية على عدم النشر.", language="ar")
    publish(penholder, signer, letter)
    text = pdf_text(client.get(f"/p/{letter['handle']}.pdf").content, tmp_path)
    assert "المفوضة" in text
    assert "باكستان" in text  # Pakistan, from CLDR in the letter's language


@needs_pdftotext
def test_a_chinese_letter_renders_in_chinese(penholder, signer, second_signer, viewer, client, tmp_path):
    letter = make_letter(penholder, title="联合信", body="我们敦促高级专员不要发表该评估。", language="zh")
    publish(penholder, signer, letter)
    text = pdf_text(client.get(f"/p/{letter['handle']}.pdf").content, tmp_path)
    assert "高级专员" in text.replace(" ", "")
    assert "巴基斯坦" in text


def test_two_thousand_signatories_render_in_seconds(published):
    from letters.models import Letter
    from record.public import public_letter
    from web import pdf

    letter = Letter.objects.get(pk=published["id"])
    summary = public_letter(letter.handle)
    summary["signatories"] = ["pak"] * 2000
    started = time.monotonic()
    content = pdf.letter_pdf(letter, summary)
    assert content.startswith(b"%PDF")
    assert time.monotonic() - started < 10
