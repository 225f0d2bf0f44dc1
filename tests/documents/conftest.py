"""The report personas and fixtures of tests/reports/conftest.py, beside the letters' of
tests/conftest.py: each test here runs the same step in both flows."""

from tests.reports import conftest as report_fixtures

office, written = report_fixtures.office, report_fixtures.written
