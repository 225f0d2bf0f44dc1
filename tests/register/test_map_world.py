"""The world map: Natural Earth's shapes, one per State that has one, named in the reader's
language, filled by category, readable without script or style sheet."""

import xml.etree.ElementTree as ET

import pytest

from web import maps

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def state_paths(root: ET.Element) -> dict[str, ET.Element]:
    return {p.get("data-iso3"): p for p in root.iter(f"{SVG}path") if p.get("data-iso3")}


def test_every_state_is_either_drawn_or_listed_as_too_small_for_the_map():
    root = parse(maps.world_map({}, "en", "Empty map"))
    drawn = set(state_paths(root))
    small = set(maps.states_without_shapes())
    assert len(maps.un_states()) == 195
    assert drawn | small == set(maps.un_states())
    assert not drawn & small
    assert len(drawn) == 166
    assert {"LIE", "MHL", "NRU", "PLW", "BHR", "SGP", "VAT"} <= small


def test_the_map_is_one_image_with_a_name_for_screen_readers():
    root = parse(maps.world_map({"CHN": "yes"}, "en", "Vote on A/HRC/51/L.6"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Vote on A/HRC/51/L.6"
    assert root.find(f"{SVG}title").text == "Vote on A/HRC/51/L.6"


def test_a_state_is_filled_by_its_category_and_named_in_the_readers_language():
    root = parse(maps.world_map({"CIV": "no", "DEU": "yes"}, "fr", "Vote"))
    paths = state_paths(root)
    assert paths["CIV"].get("fill") == maps.CATEGORIES["no"][0]
    assert paths["DEU"].get("fill") == maps.CATEGORIES["yes"][0]
    assert paths["CIV"].find(f"{SVG}title").text == "Côte d’Ivoire: Non"
    assert paths["FRA"].get("fill") == maps.NO_CATEGORY_FILL


def test_the_names_are_the_uns_short_names_in_arabic_and_chinese():
    paths = state_paths(parse(maps.world_map({}, "ar", "خريطة")))
    assert paths["PRK"].find(f"{SVG}title").text.startswith(maps.state_name("PRK", "ar"))
    assert maps.state_name("CHN", "zh-hans") == "中国"
    assert maps.state_name("TUR", "en") == "Türkiye"


def test_shapes_that_are_not_one_of_the_195_states_carry_no_name_and_no_category():
    root = parse(maps.world_map({}, "en", "Map"))
    unnamed = [p for p in root.iter(f"{SVG}path") if not p.get("data-iso3")]
    assert unnamed, "Natural Earth draws territories such as Greenland and Western Sahara"
    assert all(p.find(f"{SVG}title") is None for p in unnamed)
    assert all(p.get("fill") == maps.NOT_A_STATE_FILL for p in unnamed)


def test_the_legend_shows_only_the_categories_on_the_map_and_reads_from_the_right_in_arabic():
    english = parse(maps.world_map({"CHN": "supports", "QAT": "withdrew"}, "en", "Letter"))
    labels = [t.text for t in english.iter(f"{SVG}text")]
    assert labels == ["Supports", "Withdrew"]
    arabic = parse(maps.world_map({"CHN": "supports"}, "ar", "رسالة"))
    texts = list(arabic.iter(f"{SVG}text"))
    assert {(t.get("direction"), t.get("text-anchor")) for t in texts} == {("rtl", "start")}
    swatch = next(arabic.iter(f"{SVG}rect"))
    assert float(swatch.get("x")) > float(texts[0].get("x")), "the swatch stands to the right of its label"


def test_an_unknown_category_is_refused():
    with pytest.raises(ValueError, match="unknown map categories"):
        maps.world_map({"CHN": "maybe"}, "en", "Map")


def test_the_map_needs_no_style_sheet_and_no_script():
    svg = maps.world_map({"CHN": "yes"}, "en", "Map")
    assert "<script" not in svg and "style=" not in svg and "<style" not in svg


def test_the_shipped_shapes_stay_small():
    from core import datafiles

    assert datafiles.path("world_110m.geojson").stat().st_size < 300_000
