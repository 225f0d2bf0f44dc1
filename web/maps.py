"""A world map coloured by category, drawn on the server as SVG.

The shapes are Natural Earth's 1:110m countries (public domain, `core/data/world_110m.geojson`,
see `core/data/README.md`), in the Robinson projection. The SVG needs no script and no style
sheet: fills are presentation attributes, so the same string works inline in a page whose CSP
forbids inline styles, saved as a file, and in a PDF. Each State's shape carries its UN short
name in the reader's language as a `<title>`; a page shows a table of the same facts beside the
map, which is also where the States too small for 1:110m shapes are found.
"""

import csv
import json
import math
from functools import lru_cache
from html import escape

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core import datafiles

WIDTH = 1000
LATITUDE_TOP, LATITUDE_BOTTOM = 84.0, -58.0
LEGEND_HEIGHT = 40

# Category → (fill, label). Okabe and Ito's palette, which readers with any common colour
# vision deficiency can tell apart; the table beside the map says the same in words.
CATEGORIES = {
    "supports": ("#0072B2", _("Supports")),
    "some": ("#56B4E9", _("Supports some of the texts")),
    "withdrew": ("#E69F00", _("Withdrew")),
    "yes": ("#009E73", _("Yes")),
    "no": ("#D55E00", _("No")),
    "abstain": ("#F0E442", _("Abstained")),
    "absent": ("#CC79A7", _("Absent")),
    "not_member": ("#BBBBBB", _("Not a member")),
}
NO_CATEGORY_FILL = "#E8E8E8"
NOT_A_STATE_FILL = "#F4F4F4"
STROKE = "#FFFFFF"

# Robinson's table: for every 5 degrees of latitude, the length of the parallel and its distance
# from the equator, as fractions (Robinson 1974, as tabulated by Snyder, "Map Projections: A
# Working Manual", 1987, table 42).
_ROBINSON = [
    (1.0000, 0.0000),
    (0.9986, 0.0620),
    (0.9954, 0.1240),
    (0.9900, 0.1860),
    (0.9822, 0.2480),
    (0.9730, 0.3100),
    (0.9600, 0.3720),
    (0.9427, 0.4340),
    (0.9216, 0.4958),
    (0.8962, 0.5571),
    (0.8679, 0.6176),
    (0.8350, 0.6769),
    (0.7986, 0.7346),
    (0.7597, 0.7903),
    (0.7186, 0.8435),
    (0.6732, 0.8936),
    (0.6213, 0.9394),
    (0.5722, 0.9761),
    (0.5322, 1.0000),
]


def _robinson(longitude: float, latitude: float) -> tuple[float, float]:
    """Robinson's projection on a unit sphere, interpolating its table linearly."""
    step = min(abs(latitude), 90.0) / 5.0
    row = min(int(step), 17)
    share = step - row
    (length0, height0), (length1, height1) = _ROBINSON[row], _ROBINSON[row + 1]
    length = length0 + (length1 - length0) * share
    height = height0 + (height1 - height0) * share
    return 0.8487 * length * math.radians(longitude), math.copysign(1.3523 * height, latitude)


_SCALE = WIDTH / (2 * _robinson(180.0, 0.0)[0])
_TOP = _robinson(0.0, LATITUDE_TOP)[1]
MAP_HEIGHT = round((_TOP - _robinson(0.0, LATITUDE_BOTTOM)[1]) * _SCALE)


def _point(longitude: float, latitude: float) -> str:
    x, y = _robinson(longitude, latitude)
    return f"{(x * _SCALE + WIDTH / 2):.1f} {((_TOP - y) * _SCALE):.1f}"


def _path(multipolygon) -> str:
    rings = (ring for polygon in multipolygon for ring in polygon)
    return "".join("M" + "L".join(_point(lon, lat) for lon, lat in ring[:-1]) + "Z" for ring in rings)


@lru_cache(maxsize=1)
def shapes() -> tuple[tuple[str, str], ...]:
    """(ISO3, SVG path) per shape, projected once per process."""
    with datafiles.path("world_110m.geojson").open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return tuple((f["properties"]["iso3"], _path(f["geometry"]["coordinates"])) for f in features)


@lru_cache(maxsize=1)
def _names() -> dict[str, dict[str, str]]:
    with datafiles.path("un_names.csv").open(encoding="utf-8") as handle:
        return {row.pop("iso3"): row for row in csv.DictReader(handle)}


def un_states() -> list[str]:
    """The ISO3 codes of the 195 States (193 Members, 2 observers)."""
    return sorted(_names())


def states_without_shapes() -> list[str]:
    """States too small to have a shape at 1:110m: a page lists them beside the map."""
    drawn = {iso3 for iso3, _path in shapes()}
    return [iso3 for iso3 in un_states() if iso3 not in drawn]


def state_name(iso3: str, language: str) -> str:
    """The UN's short name (M49) in one of the six languages; English otherwise."""
    column = (language or "en").split("-")[0].lower()
    names = _names().get(iso3)
    if names is None:
        return iso3
    return names.get(column) or names["en"]


def world_map(categories: dict[str, str], language: str, title: str) -> str:
    """An SVG map: each State in `categories` ({ISO3: category key}) filled by its category.

    States not in `categories` are drawn without a category; shapes that are not one of the 195
    States (territories, Antarctica is left out) are drawn lighter and have no name.
    """
    unknown = set(categories.values()) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown map categories: {sorted(unknown)}")
    with translation.override(language):
        labels = {key: str(label) for key, (_fill, label) in CATEGORIES.items()}
        no_category = str(_("Not in the record"))
        return _svg(categories, language, title, labels, no_category)


def _svg(categories, language, title, labels, no_category) -> str:
    names = _names()
    height = MAP_HEIGHT + LEGEND_HEIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="world-map" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<g stroke="{STROKE}" stroke-width="0.5" stroke-linejoin="round">',
    ]
    for iso3, path in shapes():
        parts.append(_shape(iso3, path, categories, language, names, labels, no_category))
    parts.append("</g>")
    parts.append(_legend(categories, labels))
    parts.append("</svg>")
    return "".join(parts)


def _shape(iso3, path, categories, language, names, labels, no_category) -> str:
    if iso3 not in names:
        return f'<path d="{path}" fill="{NOT_A_STATE_FILL}"/>'
    category = categories.get(iso3)
    fill = CATEGORIES[category][0] if category else NO_CATEGORY_FILL
    label = labels[category] if category else no_category
    name = f"{state_name(iso3, language)}: {label}"
    return f'<path d="{path}" fill="{fill}" data-iso3="{iso3}"><title>{escape(name)}</title></path>'


def _legend(categories, labels) -> str:
    """One swatch per category used, in the order of CATEGORIES, from the reading side.

    Direction and anchor are written on each text: inline in a right-to-left page the SVG would
    otherwise inherit the page's direction, and "end" would mean the other side."""
    used = [key for key in CATEGORIES if key in set(categories.values())]
    right_to_left = translation.get_language_bidi()
    direction = 'direction="rtl"' if right_to_left else 'direction="ltr"'
    items, x = [], 10.0
    for key in used:
        label = labels[key]
        width = 26 + 8.5 * len(label)
        left = WIDTH - x - width if right_to_left else x
        swatch_x = left + width - 18 if right_to_left else left
        text_x = swatch_x - 8 if right_to_left else left + 26
        items.append(
            f'<rect x="{swatch_x:.0f}" y="{MAP_HEIGHT + 12}" width="18" height="18" '
            f'fill="{CATEGORIES[key][0]}" stroke="#555555" stroke-width="0.5"/>'
            f'<text x="{text_x:.0f}" y="{MAP_HEIGHT + 26}" font-size="15" {direction} text-anchor="start" '
            f'fill="#222222">{escape(label)}</text>'
        )
        x += width + 16
    return f'<g class="world-map-legend">{"".join(items)}</g>'
