"""A file sent by someone the action refuses anyway is refused before it is stored: storage keeps
no file from a person who may not comment on or revise the report (docs/reports.md, "Files")."""

import hashlib

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import files
from tests.reports.test_report_files import pdf_bytes, upload


def kept(content: bytes) -> bool:
    return default_storage.exists(files.storage_name(hashlib.sha256(content).hexdigest()))


def comments_as_a_file(persona, report, content):
    fields = {"version_hash": report["current_hash"], "annex": "true"}
    return upload(persona, f"/reports/{report['id']}/comments", fields, "comments.pdf", content, files.PDF)


def test_the_outsider_sending_a_file_as_comments_finds_no_report_and_leaves_no_file(outsider, shared):
    content = pdf_bytes() + b"% the outsider's comments\n"

    response = comments_as_a_file(outsider, shared, content)

    assert response.status_code == 404
    assert not kept(content)


def test_a_drafter_of_the_state_concerned_who_is_not_its_signer_leaves_no_file(penholder, shared):
    content = pdf_bytes() + b"% comments of a drafter who may not send them\n"

    response = comments_as_a_file(penholder, shared, content)

    assert response.status_code == 403
    assert not kept(content)


def test_the_states_signer_sending_its_comments_as_a_file_keeps_it(state_signer, shared):
    content = pdf_bytes() + b"% the State's comments\n"

    response = comments_as_a_file(state_signer, shared, content)

    assert response.status_code == 201, response.content
    assert kept(content)


def test_the_states_signer_sending_a_new_version_as_a_file_is_refused_and_leaves_no_file(state_signer, shared):
    content = pdf_bytes() + b"% a version the State may not write\n"
    fields = {"note": "Our own version", "base_version": "1"}

    response = upload(state_signer, f"/reports/{shared['id']}/versions", fields, "version.pdf", content, files.PDF)

    assert response.status_code == 403
    assert not kept(content)


def test_the_outsider_sending_a_new_version_as_a_file_finds_no_report_and_leaves_no_file(outsider, written):
    content = pdf_bytes() + b"% the outsider's version\n"
    fields = {"note": "Not theirs to write", "base_version": "1"}

    response = upload(outsider, f"/reports/{written['id']}/versions", fields, "version.pdf", content, files.PDF)

    assert response.status_code == 404
    assert not kept(content)


def test_a_drafter_of_the_state_concerned_reviewing_a_file_on_the_page_leaves_no_file(penholder, shared):
    """The page's second look keeps the file for the confirmation: only for the State's signer."""
    content = pdf_bytes() + b"% comments a drafter tries to hold for the confirmation\n"
    chosen = SimpleUploadedFile("comments.pdf", content, content_type=files.PDF)
    fields = {"version": "1", "annex": "yes", "review": "1", "file": chosen}

    response = penholder.web.post(f"/reports/{shared['id']}/comment", fields)

    assert response.status_code == 403
    assert "Only a signer of the State concerned" in response.content.decode()
    assert not kept(content)
