"""Six UN languages: the reader's choice of language, right-to-left Arabic, CLDR country names."""

import pytest


@pytest.mark.parametrize(
    "code, word", [("fr", "Signatures"), ("es", "Firmas"), ("ru", "Подписи"), ("zh-hans", "签名"), ("ar", "التوقيعات")]
)
def test_the_letter_page_speaks_the_readers_language(letter, signer, code, word):
    signer.web.post("/i18n/setlang/", {"language": code, "next": "/"})
    page = signer.web.get(f"/letters/{letter['id']}/").content.decode()
    assert f'lang="{code}"' in page
    assert word in page


def test_arabic_pages_are_right_to_left_and_name_states_in_arabic(letter, signer):
    response = signer.web.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert response.status_code == 302
    page = signer.web.get(f"/letters/{letter['id']}/").content.decode()
    assert 'dir="rtl"' in page
    assert "الصين" in page  # China, from CLDR


def test_the_browser_language_is_followed_until_the_reader_picks_one(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'lang="ru"' in page and 'dir="ltr"' in page


def test_the_public_page_language_comes_from_the_url_not_a_cookie(signed, signer):
    signer.web.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = signer.web.get(f"/p/{signed['handle']}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page
    arabic = signer.web.get(f"/p/{signed['handle']}?lang=ar").content.decode()
    assert 'dir="rtl"' in arabic


@pytest.mark.parametrize(
    "code, counted",
    [
        ("en", "Version 1, 1 signatory"),
        ("fr", "Version 1, 1 signataire"),
        ("ru", "Версия 1, 1 подписант"),
        ("ar", "النسخة 1، موقّع واحد"),
    ],
)
def test_a_delivery_of_one_signatory_is_counted_in_the_singular(delivered, penholder, code, counted):
    penholder.web.post("/i18n/setlang/", {"language": code, "next": "/"})
    page = penholder.web.get(f"/letters/{delivered['id']}/").content.decode()
    assert counted in page
