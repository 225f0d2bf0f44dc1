"""What every register page shares: rendered in the reader's language (?lang= or
Accept-Language, as the public letter pages), downloadable as CSV, and the regional-group chart
and the list of States too small for the map that the text, vote and claim pages show."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

from register import names
from web import maps
from web.views import register_data as data
from web.views.public import public_language


def page(request, template: str, context: dict, status: int = 200):
    """Render in the reader's language, with what the public base template needs; a page that
    refuses what the reader asked (status 400) still shows the form to ask again."""
    language = public_language(request)
    with translation.override(language):
        context = {**context, "language": language, "languages": settings.LANGUAGES}
        if callable(context.get("build")):
            context.update(context.pop("build")(language))
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language"
    return response


def wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


def group_chart(counts: dict[str, int], title: str) -> dict:
    """A bar chart by regional group and the rows of the table beside it."""
    groups = data.group_rows(counts)
    return {
        "groups": groups,
        "chart_title": title,
        "bars": data.bars_svg(groups, title, translation.get_language_bidi()),
    }


def small_states(categories: dict[str, str], language: str) -> list[dict]:
    """The States with a category that the map cannot show: too small for its shapes."""
    labels = {key: label for key, (_fill, label) in maps.CATEGORIES.items()}
    small = [iso3 for iso3 in maps.states_without_shapes() if iso3 in categories]
    return [
        {"name": names.display_name(iso3, language), "iso3": iso3, "category": labels[categories[iso3]]}
        for iso3 in small
    ]
