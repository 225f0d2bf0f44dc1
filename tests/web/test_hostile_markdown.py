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


IMAGES = (
    "Dear colleagues,\n\n![the tracking pixel](https://tracker.example/pixel.png?reader=1) and "
    "![a <b>bold</b> alt][logo]\n\n[logo]: https://tracker.example/logo.png\n"
)


def test_an_image_in_a_letter_is_shown_as_its_alt_text_on_the_letter_page(penholder):
    letter = penholder.api.post("/letters", {**LETTER, "body": IMAGES}).json()
    page = penholder.web.get(f"/letters/{letter['id']}/").content.decode()
    assert "the tracking pixel" in page and "a &lt;b&gt;bold&lt;/b&gt; alt" in page
    assert "tracker.example" not in page and "<img" not in page.split('class="letter-text"')[1].split("</div>")[0]


def test_an_image_in_the_preview_is_shown_as_its_alt_text(penholder):
    page = penholder.web.post("/letters/preview", {"body": IMAGES}).content.decode()
    assert "the tracking pixel" in page
    assert "tracker.example" not in page and "<img" not in page


def test_an_image_inside_a_link_leaves_the_link_and_its_alt_text():
    from web.text import render_markdown

    html = render_markdown("[![badge](https://tracker.example/b.png)](https://example.org/)")
    assert html == '<p><a href="https://example.org/">badge</a></p>\n'
