"""The demo's report: the Office's assessment concerning China, shared, commented on and published
on 31 August 2022 with the comments annexed; the demo's 2022 letter names it."""

import pytest
from django.db import transaction
from django.test import Client

from undersigned import demo, demo_letters, demo_reports, demo_texts

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load()
        yield demo_reports.find_report()
        transaction.set_rollback(True)


def test_the_demo_report_is_published_on_31_august_2022_with_the_comments_annexed(loaded):
    from api.reports import public

    summary = public.public_report(loaded.handle)
    assert summary["status"] == "published" and "ILLUSTRATIVE" in summary["title"]
    published = summary["timeline"][-1]
    assert published["type"] == "report.published" and published["time"].startswith("2022-08-31T21:47")
    assert [c["late"] for c in summary["comments"]] == [False]
    assert [step["type"] for step in summary["timeline"]] == [
        "report.created",
        "report.shared",
        "report.acknowledged",
        "report.commented",
        "report.published",
    ]


def test_the_2022_letter_names_the_report_and_the_report_lists_it(loaded):
    letter = demo_letters.find_letter("chn", demo_texts.LETTER_2022_TITLE)

    page = Client().get(f"/r/{loaded.handle}")

    assert letter.concerning_report_id == loaded.id
    assert letter.handle in page.content.decode()
    assert "Shared with the State concerned: version 1" in page.content.decode()


def test_loading_the_demo_again_makes_no_second_report(loaded):
    from reports.models import Report

    demo.load()

    assert Report.objects.count() == 1
