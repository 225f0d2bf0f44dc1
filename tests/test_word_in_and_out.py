"""Word in and out: any version as DOCX and PDF, names only for those who may see them; a DOCX
uploaded as the next version's text."""

import io
import shutil
import subprocess

import docx as python_docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.oxml.ns import qn

from letters import limits
from tests.conftest import LETTER, sign


def word_text(content: bytes) -> str:
    return "\n".join(p.text for p in python_docx.Document(io.BytesIO(content)).paragraphs)


def download(persona, letter, number=1, extension="docx"):
    return persona.api.get(f"/letters/{letter['id']}/versions/{number}.{extension}")


def upload(persona, letter, content, note="From Word", base_version=1, **fields):
    file = SimpleUploadedFile("letter.docx", content, content_type="application/octet-stream")
    return persona.api.client.post(
        f"/api/v1/letters/{letter['id']}/versions",
        {"file": file, "note": note, "base_version": base_version, **fields},
        **persona.api.headers,
    )


def a_word_document() -> bytes:
    word = python_docx.Document()
    word.add_heading("Our concerns", level=1)
    paragraph = word.add_paragraph("We ")
    paragraph.add_run("urge").bold = True
    paragraph.add_run(" the High Commissioner ")
    paragraph.add_run("not").italic = True
    paragraph.add_run(" to publish.")
    word.add_paragraph("Prepared without consent;", style="List Bullet")
    word.add_paragraph("Sources the State could not answer.", style="List Bullet")
    word.add_paragraph("Costs: 5 * 3 = 15.")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


@pytest.fixture
def signed_by_two(circulating, signer, second_signer):
    assert sign(signer, circulating).status_code == 201
    assert sign(second_signer, circulating).status_code == 201
    return circulating


# ---------------------------------------------------------------- out


def test_the_penholder_downloads_a_version_as_word_with_letterhead_text_and_every_name(signed_by_two, penholder):
    response = download(penholder, signed_by_two)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "attachment" in response["Content-Disposition"]
    text = word_text(response.content)
    assert text.startswith("China\n")
    assert LETTER["title"] in text and "We urge the High Commissioner" in text
    assert "Pakistan" in text and "Cuba" in text


@pytest.mark.parametrize("persona", ["signer", "viewer"])
def test_an_invitee_finds_its_own_name_only_while_names_are_the_penholders(signed_by_two, persona, request):
    text = word_text(download(request.getfixturevalue(persona), signed_by_two).content)
    assert "Pakistan" in text
    assert "Cuba" not in text
    assert "The name of 1 other signatory is confidential." in text


def test_invitees_see_every_name_once_the_penholder_shares_them(signed_by_two, penholder, signer):
    assert (
        penholder.api.post(f"/letters/{signed_by_two['id']}/visibility", {"names_visible_to": "invitees"}).status_code
        == 201
    )
    assert "Cuba" in word_text(download(signer, signed_by_two).content)


def test_the_addressee_gets_the_delivered_letter_with_the_list_as_delivered(signed_by_two, penholder, addressee):
    assert download(addressee, signed_by_two).status_code == 404
    assert penholder.api.post(f"/letters/{signed_by_two['id']}/deliver", {"version": 1}).status_code == 201
    text = word_text(download(addressee, signed_by_two).content)
    assert "Annex: signatories as delivered (2)" in text
    assert "Pakistan" in text and "Cuba" in text


def test_the_outsider_and_a_missing_version_get_404_and_anonymous_401(signed_by_two, outsider, penholder, anonymous):
    assert download(outsider, signed_by_two).status_code == 404
    assert download(outsider, signed_by_two, extension="pdf").status_code == 404
    assert download(penholder, signed_by_two, number=9).status_code == 404
    assert anonymous.get(f"/letters/{signed_by_two['id']}/versions/1.docx").status_code == 401


def test_the_pdf_of_a_version_keeps_names_from_those_who_may_not_see_them(signed_by_two, signer, tmp_path):
    response = download(signer, signed_by_two, extension="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler) is not installed")
    (tmp_path / "v.pdf").write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "v.pdf"), "-"], capture_output=True, text=True).stdout
    assert "China" in text and "Pakistan" in text
    assert "Cuba" not in text


# ---------------------------------------------------------------- in


def test_an_uploaded_word_document_becomes_the_next_versions_markdown(draft, penholder):
    response = upload(penholder, draft, a_word_document())
    assert response.status_code == 201, response.content
    assert response.json()["body"] == (
        "# Our concerns\n\n"
        "We **urge** the High Commissioner *not* to publish.\n\n"
        "- Prepared without consent;\n- Sources the State could not answer.\n\n"
        "Costs: 5 \\* 3 = 15.\n"
    )
    assert response.json()["title"] == LETTER["title"]


def test_a_downloaded_version_edited_in_word_uploads_as_its_text_alone(draft, penholder):
    word = python_docx.Document(io.BytesIO(download(penholder, draft).content))
    body = next(p for p in word.paragraphs if "We urge" in p.text)
    body.runs[0].text = body.runs[0].text.replace("We urge", "We ask")
    out = io.BytesIO()
    word.save(out)
    response = upload(penholder, draft, out.getvalue())
    assert response.status_code == 201, response.content
    assert response.json()["body"] == LETTER["body"].replace("We urge", "We ask") + "\n"
    assert response.json()["title"] == LETTER["title"]


def test_a_file_that_is_not_word_is_refused_clearly(draft, penholder):
    response = upload(penholder, draft, b"%PDF-1.7 not a word document")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "not_docx"
    assert "not a Word document" in response.json()["error"]["message"]


def test_a_broken_word_file_is_refused(draft, penholder):
    assert upload(penholder, draft, a_word_document()[:2000]).json()["error"]["code"] == "not_docx"


def test_a_word_file_too_large_is_refused_with_413(draft, penholder):
    assert upload(penholder, draft, b"PK" + b"0" * limits.DOCX_BYTES).status_code == 413


def test_a_word_document_with_tracked_changes_is_refused(draft, penholder):
    word = python_docx.Document(io.BytesIO(a_word_document()))
    paragraph = word.paragraphs[1]._p
    inserted = paragraph.makeelement("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ins", {})
    paragraph.append(inserted)
    out = io.BytesIO()
    word.save(out)
    assert upload(penholder, draft, out.getvalue()).json()["error"]["code"] == "tracked_changes"


def test_a_form_without_a_note_is_refused_naming_the_field(draft, penholder):
    file = SimpleUploadedFile("letter.docx", a_word_document())
    response = penholder.api.client.post(
        f"/api/v1/letters/{draft['id']}/versions", {"file": file, "base_version": 1}, **penholder.api.headers
    )
    assert response.status_code == 422 and response.json()["error"]["field"] == "note"


def test_only_the_penholder_uploads_a_version(circulating, signer, outsider):
    assert upload(signer, circulating, a_word_document()).status_code == 403
    assert upload(outsider, circulating, a_word_document()).status_code == 404


def test_json_versions_work_as_before(draft, penholder):
    response = penholder.api.post(
        f"/letters/{draft['id']}/versions", {"body": "New text", "note": "n", "base_version": 1}
    )
    assert response.status_code == 201
    assert penholder.api.post(f"/letters/{draft['id']}/versions", raw="{not json").status_code == 400


def test_an_arabic_letter_reads_right_to_left_in_word(penholder):
    letter = penholder.api.post("/letters", {**LETTER, "language": "ar", "body": "نحث المفوضة السامية."}).json()
    word = python_docx.Document(io.BytesIO(download(penholder, letter).content))
    body = next(p for p in word.paragraphs if "نحث" in p.text)
    assert body._p.pPr.find(qn("w:bidi")) is not None


def test_when_every_pdf_renderer_is_busy_a_versions_pdf_is_refused_with_503(signed_by_two, signer, monkeypatch):
    from tests.pdf_slots import every_render_slot_taken
    from web import pdf

    monkeypatch.setattr(pdf, "RENDER_SLOT_WAIT", 0.1)
    with every_render_slot_taken(pdf):
        busy = download(signer, signed_by_two, extension="pdf")
    assert busy.status_code == 503 and busy.json()["error"]["code"] == "busy"
    assert download(signer, signed_by_two, extension="pdf").status_code == 200
