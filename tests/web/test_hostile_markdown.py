"""Hostile text in a letter is shown as text, never run: Markdown with HTML disabled."""

from tests.conftest import LETTER

HOSTILE = "Dear colleagues,\n\n<script>alert('x')</script> <img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))"


def test_a_script_in_the_body_is_escaped_on_the_letter_page(penholder):
    letter = penholder.api.post("/letters", {**LETTER, "body": HOSTILE}).json()
    page = penholder.web.get(f"/letters/{letter['id']}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page


def test_a_script_in_the_preview_is_escaped(penholder):
    page = penholder.web.post("/letters/preview", {"body": HOSTILE}).content.decode()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_script_in_the_title_is_escaped(penholder):
    letter = penholder.api.post("/letters", {**LETTER, "title": "<script>alert(2)</script>"}).json()
    page = penholder.web.get(f"/letters/{letter['id']}/").content.decode()
    assert "<script>alert(2)" not in page
