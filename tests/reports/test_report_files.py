"""Report versions and comments uploaded as PDF or DOCX files: kept by their SHA-256, their text
extracted, refused when they are not what their name says; a large file is read in chunks, so
the server's memory does not grow with it."""

import hashlib
import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from reports import files

WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{WORD}"><w:body>{body}</w:body></w:document>')
    return buffer.getvalue()


def pdf_bytes(padding: int = 0) -> bytes:
    # The smallest shape a PDF reader's first check accepts; padding in a comment makes it large.
    return b"%PDF-1.4\n%" + b"x" * padding + b"\n%%EOF\n"


def upload(persona, path, fields, name, content, content_type="application/octet-stream"):
    data = {**fields, "file": SimpleUploadedFile(name, content, content_type=content_type)}
    return persona.api.client.post(f"/api/v1{path}", data, **persona.api.headers)


def test_a_report_written_as_a_docx_keeps_its_hash_name_type_and_text(office):
    content = docx_bytes("Assessment of the situation.", "Second paragraph.")
    fields = {"title": "Assessment (illustrative)", "concerning": "chn", "note": "As a Word file"}

    response = upload(office, "/reports", fields, "assessment.docx", content)

    assert response.status_code == 201, response.content
    version = office.api.get(f"/reports/{response.json()['id']}/versions/1").json()
    assert version["file_sha256"] == hashlib.sha256(content).hexdigest() == version["hash"]
    assert version["file_name"] == "assessment.docx"
    assert version["media_type"] == files.DOCX
    assert version["body"] == "Assessment of the situation.\n\nSecond paragraph."
    downloaded = office.api.get(f"/reports/{response.json()['id']}/versions/1/file")
    assert b"".join(downloaded.streaming_content) == content


def test_a_new_version_may_be_a_pdf(office, written):
    content = pdf_bytes()
    fields = {"note": "The final layout", "base_version": "1"}

    response = upload(office, f"/reports/{written['id']}/versions", fields, "final.pdf", content, files.PDF)

    assert response.status_code == 201, response.content
    assert response.json()["file_sha256"] == hashlib.sha256(content).hexdigest()
    assert response.json()["media_type"] == files.PDF


def test_the_state_may_comment_with_a_file(shared, state_signer):
    content = docx_bytes("Our comments.")
    fields = {"version_hash": shared["current_hash"], "annex": "true"}

    response = upload(state_signer, f"/reports/{shared['id']}/comments", fields, "comments.docx", content)

    assert response.status_code == 201, response.content
    assert response.json()["hash"] == hashlib.sha256(content).hexdigest() and response.json()["annex"] is True


@pytest.mark.parametrize(
    ("name", "content", "content_type", "code"),
    [
        ("report.pdf", docx_bytes("a zip, not a PDF"), "application/pdf", "mislabelled_file"),
        ("report.docx", pdf_bytes(), "application/octet-stream", "mislabelled_file"),
        ("report.docx", b"PK\x03\x04 not really a zip", "application/octet-stream", "mislabelled_file"),
        ("report.pdf", pdf_bytes(), "text/html", "mislabelled_file"),
        ("report.exe", pdf_bytes(), "application/octet-stream", "invalid"),
        ("report.pdf", b"", "application/pdf", "invalid"),
    ],
)
def test_a_malformed_or_mislabelled_file_is_refused_with_a_clear_error(office, name, content, content_type, code):
    fields = {"title": "T", "concerning": "chn", "note": "n"}

    response = upload(office, "/reports", fields, name, content, content_type)

    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == code


def test_a_file_over_the_limit_is_refused(office, monkeypatch):
    monkeypatch.setattr(files.limits, "FILE_BYTES", 1000)
    fields = {"title": "T", "concerning": "chn", "note": "n"}

    response = upload(office, "/reports", fields, "big.pdf", pdf_bytes(2000), files.PDF)

    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_a_body_and_a_file_together_are_refused(office):
    fields = {"title": "T", "concerning": "chn", "note": "n", "body": "Text too"}

    response = upload(office, "/reports", fields, "r.pdf", pdf_bytes(), files.PDF)

    assert response.status_code == 422


def test_storing_a_5_mb_file_does_not_hold_it_in_memory(db):
    size = 5 * 1024 * 1024
    uploaded = TemporaryUploadedFile("large.pdf", files.PDF, size, None)
    uploaded.write(pdf_bytes(size))
    uploaded.flush()
    tracemalloc.start()
    try:
        stored = files.store_upload(uploaded)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        uploaded.close()
    assert stored.size > size
    # Chunks of 64 KiB, and the storage's own buffers: far below the file's 5 MB.
    assert peak < 1024 * 1024, peak


def test_a_docx_that_inflates_beyond_the_cap_is_read_only_up_to_it(office, monkeypatch):
    monkeypatch.setattr(files, "MAX_XML_BYTES", 400)
    content = docx_bytes(*[f"Paragraph {n}." for n in range(1000)])
    fields = {"title": "A long document", "concerning": "chn", "note": "n"}

    response = upload(office, "/reports", fields, "long.docx", content)

    assert response.status_code == 201, response.content
    body = office.api.get(f"/reports/{response.json()['id']}/versions/1").json()["body"]
    assert body.startswith("Paragraph 0.") and "Paragraph 999." not in body
    assert response.json()["current_hash"] == hashlib.sha256(content).hexdigest()  # the file is whole


def test_a_pdfs_text_is_extracted_for_search_and_diffs(office):
    import shutil

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) is not installed")
    from weasyprint import HTML

    content = HTML(string="<p>The assessment's findings.</p>").write_pdf()
    fields = {"title": "A PDF report", "concerning": "chn", "note": "n"}

    response = upload(office, "/reports", fields, "report.pdf", content, files.PDF)

    body = office.api.get(f"/reports/{response.json()['id']}/versions/1").json()["body"]
    assert "The assessment's findings." in body
