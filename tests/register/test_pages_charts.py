"""Bar charts by regional group: SVG with the numbers written on them, mirrored for right-to-left
readers, with room for the longest group name of the six languages."""

import xml.etree.ElementTree as ET

from django.utils import translation

from register import vocabulary as v
from web.views import register_data as data

SVG = "{http://www.w3.org/2000/svg}"
# Average advance of a 13-pixel sans-serif character, generously: Latin, Cyrillic and Arabic.
CHARACTER_WIDTH = 6.5


def chart(language: str) -> ET.Element:
    with translation.override(language):
        rows = data.group_rows({v.AFRICAN: 22, v.ASIA_PACIFIC: 21, v.LATIN_AMERICAN: 3})
        return ET.fromstring(data.bars_svg(rows, "Supporters", translation.get_language_bidi()))


def test_every_regional_group_name_fits_in_the_labels_column_in_the_six_languages():
    for language in ["en", "fr", "es", "ru", "ar", "zh-hans"]:
        with translation.override(language):
            longest = max(len(str(label)) for label in data.GROUP_LABELS.values())
        assert longest * CHARACTER_WIDTH <= data.LABEL_WIDTH, language


def test_bars_start_after_the_labels_and_carry_their_number():
    root = chart("en")
    assert all(float(rect.get("x")) >= data.LABEL_WIDTH for rect in root.iter(f"{SVG}rect"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[:2] == ["African States", "22"]


def test_in_arabic_the_labels_stand_on_the_right_and_the_bars_grow_leftwards():
    root = chart("ar")
    for rect in root.iter(f"{SVG}rect"):
        assert float(rect.get("x")) + float(rect.get("width")) <= data.CHART_WIDTH - data.LABEL_WIDTH + 0.1
    label = next(root.iter(f"{SVG}text"))
    assert (label.get("x"), label.get("direction"), label.get("text-anchor")) == (str(data.CHART_WIDTH), "rtl", "start")
