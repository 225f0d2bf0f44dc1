"""One resolver from what people write to ISO3; the UN's own names in the six languages."""

import pytest

from register.names import CountryNameError, display_name, resolve


@pytest.mark.parametrize(
    "written, iso3",
    [
        ("RUS", "RUS"),
        ("rus", "RUS"),
        ("Russian Federation", "RUS"),
        ("the Russian Federation", "RUS"),
        ("Russia", "RUS"),
        ("North Korea", "PRK"),
        ("DPRK", "PRK"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Republic of Korea", "KOR"),
        ("South Korea", "KOR"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("cote d'ivoire", "CIV"),
        ("Czech Republic", "CZE"),
        ("Czechia", "CZE"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("TURKIYE", "TUR"),
        ("Swaziland", "SWZ"),
        ("Eswatini", "SWZ"),
        ("Lao PDR", "LAO"),
        ("Laos", "LAO"),
        ("State of Palestine", "PSE"),
        ("Holy See", "VAT"),
        ("the Holy See", "VAT"),
        ("the Netherlands", "NLD"),
        ("Netherlands (Kingdom of the)", "NLD"),
        ("United States", "USA"),
        ("USA", "USA"),
        ("UK", "GBR"),
        ("Guinea Bissau", "GNB"),
        ("Timor-Leste", "TLS"),
        ("  Viet   Nam ", "VNM"),
        ("Vietnam", "VNM"),
    ],
)
def test_the_forms_people_write_resolve_to_one_state(written, iso3):
    assert resolve(written) == iso3


@pytest.mark.parametrize(
    "written, iso3",
    [("Chine", "CHN"), ("中国", "CHN"), ("Китай", "CHN"), ("الصين", "CHN"), ("Estados Unidos de América", "USA")],
)
def test_the_un_names_in_the_six_languages_resolve_too(written, iso3):
    assert resolve(written) == iso3


@pytest.mark.parametrize(
    "written, iso3",
    [
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Guinea", "GIN"),
        ("Sudan", "SDN"),
        ("South Sudan", "SSD"),
        ("Dominica", "DMA"),
        ("Congo", "COG"),
        ("the Congo", "COG"),
    ],
)
def test_whole_names_are_matched_never_prefixes(written, iso3):
    assert resolve(written) == iso3


def test_an_ambiguous_name_is_refused_with_its_candidates():
    with pytest.raises(CountryNameError) as refused:
        resolve("Korea")
    assert refused.value.candidates == ["KOR", "PRK"]
    assert "Republic of Korea (KOR)" in refused.value.message
    assert refused.value.code == "ambiguous_country"


def test_an_unknown_name_is_refused_with_the_closest_names():
    with pytest.raises(CountryNameError) as refused:
        resolve("Germny")
    assert refused.value.candidates[0] == "DEU"
    assert "Closest names: Germany (DEU)" in refused.value.message


def test_a_name_like_no_state_is_refused_without_candidates():
    with pytest.raises(CountryNameError) as refused:
        resolve("Atlantis of the Deep Blue Sea 123")
    assert refused.value.candidates == []


def test_an_iso_code_of_a_territory_that_is_no_state_is_refused():
    with pytest.raises(CountryNameError):
        resolve("PRI")  # Puerto Rico


@pytest.mark.parametrize(
    "language, name",
    [
        ("en", "Côte d’Ivoire"),
        ("fr", "Côte d’Ivoire"),
        ("ar", "كوت ديفوار"),
        ("zh-hans", "科特迪瓦"),
        ("ru", "Кот-д'Ивуар"),
        ("es-419", "Côte d’Ivoire"),
    ],
)
def test_display_names_are_the_un_short_names_in_the_readers_language(language, name):
    assert display_name("CIV", language) == name


def test_display_names_are_the_uns_not_cldrs():
    assert display_name("TUR", "en") == "Türkiye"
    assert display_name("PRK", "en") == "Democratic People's Republic of Korea"
    assert display_name("BOL", "es") == "Bolivia (Estado Plurinacional de)"


def test_a_language_the_un_does_not_use_falls_back_to_english():
    assert display_name("DEU", "de") == "Germany"
