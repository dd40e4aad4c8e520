"""Test-wide fixtures and markers; factories live in each app's tests/factories.py."""

import os

import pytest

os.environ.setdefault("ROAPP_ALLOW_INSECURE_PLATFORM_URLS", "true")
os.environ.setdefault("ROAPP_TASKS_SYNC", "true")


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield
