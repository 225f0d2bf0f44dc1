"""Server time of the busiest pages: the letter page, the inbox and the public page of a letter
with 193 signatories and 20 versions, through Django's test Client on a fresh test database.

    python bench/pages.py [--runs N]

Prints JSON: median and p95 in milliseconds per page, and the target (100 ms).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("SQLITE_TEST_NAME", "")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def build():
    from orgs.actions import add_member, add_organisation
    from tests.web.builders import letter_with_signatories

    add_organisation("chn", "China", "state", "CHN", "Asia-Pacific States")
    add_organisation("ohchr", "Office of the High Commissioner for Human Rights", "un_office")
    penholder = add_member("penny", "chn", "drafter", password="bench password 1").user
    letter = letter_with_signatories(penholder, 193, versions=20)
    from record.log import integrate

    integrate()
    return penholder, letter


def timed(client, path, runs) -> dict:
    client.get(path)  # warm caches (templates, translations, CLDR data)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        penholder, letter = build()
        client = Client()
        client.force_login(penholder)
        results = {
            "letter_page": timed(client, f"/letters/{letter.id}/", args.runs),
            "inbox": timed(client, "/", args.runs),
            "public_page": timed(Client(), f"/p/{letter.handle}", args.runs),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        json.dumps(
            {"signatories": 193, "versions": 20, "runs": args.runs, "target_ms": 100, "pages": results}, indent=2
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
