"""The public page: counts and log indexes for anyone, nothing confidential before publication, cacheable."""

from tests.conftest import LETTER


def test_before_publication_the_public_page_shows_counts_but_no_title_and_no_names(signed, client):
    response = client.get(f"/p/{signed['handle']}")
    page = response.content.decode()
    assert response.status_code == 200
    assert LETTER["title"] not in page and "urge" not in page
    assert "Pakistan" not in page and "China" not in page
    assert "Signatures per version" in page
    assert f"/api/v1/public/letters/{signed['handle']}/bundle" in page
    assert "undersigned verify bundle.json" in page


def test_the_public_page_is_cacheable_by_a_cdn(signed, client):
    response = client.get(f"/p/{signed['handle']}")
    assert response["Cache-Control"].startswith("public")
    assert "Cookie" not in response.get("Vary", "")
    assert "Set-Cookie" not in str(response.cookies) and not response.cookies
    assert client.get(f"/p/{signed['handle']}", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_a_signed_in_penholder_gets_the_same_public_page_as_anyone(signed, penholder, client):
    mine = penholder.web.get(f"/p/{signed['handle']}")
    assert mine["ETag"] == client.get(f"/p/{signed['handle']}")["ETag"]
    assert LETTER["title"] not in mine.content.decode()


def test_names_appear_before_publication_only_when_the_penholder_made_them_public(signed, penholder, client):
    penholder.api.post(f"/letters/{signed['id']}/visibility", {"names_visible_to": "public"})
    page = client.get(f"/p/{signed['handle']}").content.decode()
    assert "Pakistan" in page and LETTER["title"] not in page


def test_after_publication_the_page_shows_title_names_event_indexes_and_the_pdf(published, client):
    from record.log import integrate

    integrate()  # the test transaction never commits, so integration never ran after it
    page = client.get(f"/p/{published['handle']}").content.decode()
    assert LETTER["title"] in page and "Pakistan" in page
    assert f"/p/{published['handle']}.pdf" in page
    assert "Latest checkpoint" in page
    from letters.public import public_events

    for event in public_events(published["handle"]):
        assert f"<td>{event['index']}</td>" in page


def test_an_unknown_handle_is_404(client, db):
    assert client.get("/p/nosuchhandle").status_code == 404
