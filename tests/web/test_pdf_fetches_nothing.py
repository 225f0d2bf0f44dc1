"""The PDF renderer fetches nothing from the network: not an image, a stylesheet, a font or a page of
our own site, whatever a letter's text holds. A probe server on 127.0.0.1 counts every request."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from tests.conftest import LETTER, sign
from tests.web.test_public_pdf import needs_pdftotext, pdf_text

# The smallest valid PNG (1x1, transparent), so a fetch that did happen would also succeed.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000000000200013e2e3a0f0000000049454e44ae426082"
)


@pytest.fixture
def probe():
    """An HTTP server on 127.0.0.1 that answers every GET and remembers its path."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_address[1]}", requests=seen)
    server.shutdown()
    server.server_close()


def published_letter(penholder, signer, body):
    letter = penholder.api.post("/letters", {**LETTER, "body": body})
    assert letter.status_code == 201, letter.content
    letter = letter.json()
    assert penholder.api.post(f"/letters/{letter['id']}/circulate", {"invitees": ["pak"]}).status_code == 201
    assert sign(signer, letter).status_code == 201
    assert penholder.api.post(f"/letters/{letter['id']}/deliver", {"version": 1}).status_code == 201
    assert penholder.api.post(f"/letters/{letter['id']}/publish").status_code == 201
    return letter


def hostile_body(url):
    return (
        f"Dear colleagues,\n\n"
        f"![a remote image]({url}/markdown-image.png)\n\n"
        f"![a reference image][pixel]\n\n"
        f"![one of our own pages](/p/another.pdf)\n\n"
        f'<img src="{url}/raw-html-image.png"> <div style="background: url({url}/css-url.png)">x</div>\n\n'
        f"<style>@import url({url}/import.css);</style>\n\n"
        f"[a link]({url}/link) and <{url}/autolink>\n\n"
        f"[pixel]: {url}/reference-image.png\n"
    )


def test_an_anonymous_download_of_a_hostile_letter_fetches_nothing(penholder, signer, anonymous, probe, settings):
    settings.SITE_URL = probe.url  # so a relative image would be fetched from the probe too
    letter = published_letter(penholder, signer, hostile_body(probe.url))
    response = anonymous.client.get(f"/p/{letter['handle']}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert probe.requests == []


@needs_pdftotext
def test_an_image_in_a_published_letter_is_its_alt_text_in_the_pdf(penholder, signer, anonymous, probe, tmp_path):
    letter = published_letter(penholder, signer, f"Dear colleagues,\n\n![the mission seal]({probe.url}/seal.png)")
    text = pdf_text(anonymous.client.get(f"/p/{letter['handle']}.pdf").content, tmp_path)
    assert "the mission seal" in text and probe.requests == []


def test_the_renderer_refuses_every_url_in_its_html(probe, settings):
    """Behind the Markdown rule, the renderer itself: hostile HTML reaches no server."""
    from web.pdf import render_pdf

    settings.SITE_URL = probe.url
    url = probe.url
    html = (
        f'<html><head><link rel="stylesheet" href="{url}/link.css"><style>@import url({url}/import.css);'
        f"@font-face {{ font-family: probe; src: url({url}/font.woff) }} body {{ font-family: probe; "
        f"background: url({url}/background.png) }}</style></head><body>"
        f'<img src="{url}/img.png"><img src="/relative.png"><img src="https://{url[7:]}/tls.png">'
        f'<object data="{url}/object.png"></object><embed src="{url}/embed.png">'
        f'<svg width="10" height="10"><image href="{url}/svg.png" width="10" height="10"/></svg>'
        f'<link rel="attachment" href="{url}/attachment.txt"><a href="{url}/link">a link</a>'
        f'<img src="file:///etc/passwd"></body></html>'
    )
    assert render_pdf(html).startswith(b"%PDF")
    assert probe.requests == []


def test_the_renderer_reads_data_uris_and_our_own_static_files_from_disk(settings):
    from django.contrib.staticfiles import finders

    from web.pdf import OwnFilesOnly

    fetcher = OwnFilesOnly()
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"
    with open(finders.find("web/style.css"), "rb") as on_disk:
        assert fetcher.fetch(f"{settings.SITE_URL}{settings.STATIC_URL}web/style.css").read() == on_disk.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/anything",
        "ftp://127.0.0.1/x",
        "{site}/p/handle.pdf",
        "{site}/static/../undersigned/settings.py",
        "{site}/static/%2e%2e/%2e%2e/undersigned/settings.py",
        "{site}/static//etc/passwd",
        "{site}/static/web/does-not-exist.css",
    ],
)
def test_the_renderer_refuses_anything_else(url, settings):
    from web.pdf import OwnFilesOnly

    with pytest.raises(ValueError):
        OwnFilesOnly().fetch(url.format(site=settings.SITE_URL))
