"""The PDF of a published letter: its text, its signatories and a verification footer, in any script."""

import shutil
import subprocess
import time

import pytest

from tests.conftest import LETTER, sign

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


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
    from letters.public import public_letter
    from web import pdf

    letter = Letter.objects.get(pk=published["id"])
    summary = public_letter(letter.handle)
    summary["signatories"] = ["pak"] * 2000
    started = time.monotonic()
    content = pdf.letter_pdf(letter, summary)
    assert content.startswith(b"%PDF")
    assert time.monotonic() - started < 10


# ---- Kept PDFs: rendered once per state of the record, then served from storage -------------


def integrated():
    """The test transaction never commits, so the log's integration never ran after it."""
    from record.log import integrate

    integrate()


def renders_done():
    from web.pdf import renders_done as done

    return done()


def kept_file(handle):
    from django.core.files.storage import default_storage

    from letters.models import Letter
    from letters.public import public_letter
    from web.pdf import kept_name

    return default_storage, kept_name(Letter.objects.get(handle=handle), public_letter(handle))


def test_a_published_pdf_is_rendered_once_then_served_from_storage(published, anonymous):
    integrated()
    before = renders_done()
    first = anonymous.client.get(f"/p/{published['handle']}.pdf")
    second = anonymous.client.get(f"/p/{published['handle']}.pdf")
    assert first.status_code == second.status_code == 200
    assert renders_done() - before == 1
    assert second.content == first.content and second["ETag"] == first["ETag"]
    storage, name = kept_file(published["handle"])
    with storage.open(name, "rb") as kept:
        assert kept.read() == second.content
    assert second["Content-Type"] == "application/pdf"
    assert second["Content-Disposition"] == f'inline; filename="letter-{published["handle"]}.pdf"'
    assert second["Cache-Control"] == "public, max-age=60"
    assert anonymous.client.get(f"/p/{published['handle']}.pdf", HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304


@needs_pdftotext
def test_a_late_signature_after_publication_makes_a_new_pdf_that_names_it(
    published, second_signer, anonymous, tmp_path
):
    integrated()
    first = anonymous.client.get(f"/p/{published['handle']}.pdf")
    assert "Cuba" not in pdf_text(first.content, tmp_path)
    assert sign(second_signer, published).status_code == 201
    integrated()
    before = renders_done()
    second = anonymous.client.get(f"/p/{published['handle']}.pdf")
    assert renders_done() - before == 1
    assert "Cuba" in pdf_text(second.content, tmp_path)
    assert second["ETag"] != first["ETag"]


def test_a_pdf_is_not_kept_before_the_log_has_integrated_the_letters_last_event(published, anonymous):
    before = renders_done()
    anonymous.client.get(f"/p/{published['handle']}.pdf")
    anonymous.client.get(f"/p/{published['handle']}.pdf")
    assert renders_done() - before == 2
    storage, name = kept_file(published["handle"])
    assert not storage.exists(name)
    integrated()
    anonymous.client.get(f"/p/{published['handle']}.pdf")
    assert storage.exists(name)


def test_a_half_written_kept_pdf_is_not_served_and_one_left_by_a_dead_process_is_replaced(published, anonymous):
    import os

    from django.core.files.base import ContentFile

    integrated()
    storage, name = kept_file(published["handle"])
    storage.save(name, ContentFile(b"%PDF-1.7\nhalf of a PDF"))
    response = anonymous.client.get(f"/p/{published['handle']}.pdf")
    assert response.status_code == 200 and response.content.rstrip().endswith(b"%%EOF")
    assert storage.open(name, "rb").read() == b"%PDF-1.7\nhalf of a PDF"  # perhaps still being written
    two_minutes_ago = storage.get_modified_time(name).timestamp() - 120
    os.utime(storage.path(name), (two_minutes_ago, two_minutes_ago))
    before = renders_done()
    replaced = anonymous.client.get(f"/p/{published['handle']}.pdf")
    assert storage.open(name, "rb").read() == replaced.content
    assert anonymous.client.get(f"/p/{published['handle']}.pdf").content == replaced.content
    assert renders_done() - before == 1


def test_past_the_rate_new_pdfs_are_refused_with_429_and_kept_ones_still_served(
    published, second_signer, anonymous, settings
):
    settings.PDF_RENDER_RATE = "1/m"
    integrated()
    assert anonymous.client.get(f"/p/{published['handle']}.pdf").status_code == 200
    assert anonymous.client.get(f"/p/{published['handle']}.pdf").status_code == 200  # kept: no render
    assert sign(second_signer, published).status_code == 201
    integrated()
    before = renders_done()
    refused = anonymous.client.get(f"/p/{published['handle']}.pdf", HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 429 and renders_done() == before
    assert 0 < int(refused["Retry-After"]) <= 60 and refused["Cache-Control"] == "no-store"
    assert refused["Content-Type"].startswith("text/plain")
    assert refused.content.decode().startswith("Trop de nouveaux PDF")  # in the reader's language
    # X-Forwarded-For is no new address unless TRUSTED_PROXY_COUNT says a proxy wrote it.
    posing = anonymous.client.get(f"/p/{published['handle']}.pdf", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert posing.status_code == 429
    # The limit is per client address: another reader is served.
    other = anonymous.client.get(f"/p/{published['handle']}.pdf", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200 and renders_done() - before == 1


def test_when_every_renderer_is_busy_a_new_pdf_is_refused_with_503(published, anonymous, monkeypatch):
    from web import pdf

    integrated()
    monkeypatch.setattr(pdf, "RENDER_SLOT_WAIT", 0.1)
    held = 0
    while pdf._render_slots.acquire(blocking=False):  # another request renders in each slot
        held += 1
    try:
        busy = anonymous.client.get(f"/p/{published['handle']}.pdf")
    finally:
        for _ in range(held):
            pdf._render_slots.release()
    assert busy.status_code == 503 and busy["Retry-After"] and busy["Cache-Control"] == "no-store"
    assert anonymous.client.get(f"/p/{published['handle']}.pdf").status_code == 200


def test_there_is_no_pdf_of_a_circulating_letter_and_nothing_is_rendered(circulating, anonymous):
    before = renders_done()
    assert anonymous.client.get(f"/p/{circulating['handle']}.pdf").status_code == 404
    assert anonymous.client.get("/p/no-such-handle.pdf").status_code == 404
    assert renders_done() == before


@pytest.mark.django_db(transaction=True)
def test_readers_who_ask_at_once_for_a_new_pdf_share_one_render(published):
    import threading

    from django.db import connections
    from django.test import Client

    integrated()
    before = renders_done()
    barrier = threading.Barrier(3)
    answers = []

    def download():
        try:
            barrier.wait()
            answers.append(Client().get(f"/p/{published['handle']}.pdf"))
        finally:
            connections.close_all()

    readers = [threading.Thread(target=download) for _ in range(3)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len({a.content for a in answers}) == 1
    assert renders_done() - before == 1
