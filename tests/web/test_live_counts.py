"""The live count fragment: 304 while nothing changed, the new count as soon as something did."""

from tests.conftest import sign


def test_an_unchanged_count_answers_304_with_no_body(letter, signer):
    url = f"/letters/{letter['id']}/live"
    first = signer.web.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = signer.web.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_new_signature_changes_the_etag_and_the_count(letter, signer, second_signer):
    url = f"/letters/{letter['id']}/live"
    etag = signer.web.get(url)["ETag"]
    assert sign(second_signer, letter).status_code == 201
    response = signer.web.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert '<span class="big">1</span>' in response.content.decode()


def test_the_letter_page_polls_the_fragment(letter, signer):
    page = signer.web.get(f"/letters/{letter['id']}/").content.decode()
    assert f'hx-get="/letters/{letter["id"]}/live"' in page
