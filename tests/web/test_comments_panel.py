"""The comments panel on the letter page: invitees write to the penholder, the penholder shares."""


def panel(persona, letter):
    response = persona.web.get(f"/letters/{letter['id']}/comments", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_the_letter_page_loads_the_panel(letter, signer):
    page = signer.web.get(f"/letters/{letter['id']}/").content.decode()
    assert f'hx-get="/letters/{letter["id"]}/comments?v=1"' in page


def test_a_signer_comments_and_the_penholder_reads_it(letter, signer, penholder):
    response = signer.web.post(f"/letters/{letter['id']}/comments/add", {"version": "1", "body": "Too harsh."})
    assert response.status_code == 302
    assert "Too harsh." in panel(penholder, letter)
    assert "Too harsh." in panel(signer, letter)


def test_another_invitee_does_not_read_it_until_the_penholder_shares(letter, signer, second_signer, penholder):
    signer.web.post(f"/letters/{letter['id']}/comments/add", {"version": "1", "body": "Too harsh."})
    assert "Too harsh." not in panel(second_signer, letter)
    assert penholder.web.post(f"/letters/{letter['id']}/comments/sharing", {"shared": "1"}).status_code == 302
    assert "Too harsh." in panel(second_signer, letter)


def test_the_panel_offers_the_version_as_word_and_pdf(letter, viewer):
    page = panel(viewer, letter)
    assert f"/api/v1/letters/{letter['id']}/versions/1.docx" in page
    assert f"/api/v1/letters/{letter['id']}/versions/1.pdf" in page


def test_a_viewer_reads_but_has_no_form(letter, viewer):
    response = viewer.web.post(f"/letters/{letter['id']}/comments/add", {"version": "1", "body": "Hi"})
    assert response.status_code == 403


def test_an_empty_comment_is_refused_on_the_page(letter, signer):
    response = signer.web.post(f"/letters/{letter['id']}/comments/add", {"version": "1", "body": " "})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_addressee_sees_no_comment(delivered, signer, addressee):
    assert "Comments go to the penholder" not in panel(addressee, delivered)


def test_the_outsider_gets_404(letter, outsider):
    assert outsider.web.get(f"/letters/{letter['id']}/comments").status_code == 404
    assert outsider.web.post(f"/letters/{letter['id']}/comments/add", {"version": "1", "body": "x"}).status_code == 404


def test_without_javascript_the_panel_is_a_page(letter, signer):
    page = signer.web.get(f"/letters/{letter['id']}/comments").content.decode()
    assert "Back to the letter" in page and "Send to the penholder" in page


def a_word_document(text="A text written in Word.") -> bytes:
    import io

    import docx

    word = docx.Document()
    word.add_paragraph(text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def upload(persona, letter, content, note="Edited in Word"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return persona.web.post(
        f"/letters/{letter['id']}/word",
        {"file": SimpleUploadedFile("v2.docx", content), "note": note, "base_version": "1"},
    )


def test_the_penholder_uploads_a_word_document_as_the_next_version(letter, penholder):
    assert 'enctype="multipart/form-data"' in panel(penholder, letter)
    response = upload(penholder, letter, a_word_document())
    assert response.status_code == 302
    version = penholder.api.get(f"/letters/{letter['id']}/versions/2").json()
    assert version["body"] == "A text written in Word.\n" and version["note"] == "Edited in Word"


def test_an_invitee_has_no_upload_form_and_may_not_upload(letter, signer):
    assert 'enctype="multipart/form-data"' not in panel(signer, letter)
    assert upload(signer, letter, a_word_document()).status_code == 403


def test_a_file_that_is_not_word_is_refused_on_the_page(letter, penholder):
    response = upload(penholder, letter, b"plain text, not a document")
    assert response.status_code == 422
    assert "not a Word document" in response.content.decode()


def test_the_penholders_reply_goes_to_every_invitee(letter, penholder):
    assert "Send to every invitee" in panel(penholder, letter)
