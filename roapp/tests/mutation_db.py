"""The test database of a mutation run: migrated once per run, not once per mutant (docs/mutation-testing.md).

mutmut tests every mutant in a pytest session of its own, forked from the process that ran the unmutated
tests first. Migrating SQLite's in-memory test database takes about a second a session, longer than the
tests of most mutants; so the first session keeps the migrated database's bytes, and each later one (the
forks inherit them) loads those bytes instead of migrating again. Loaded by conftest.py under mutmut only;
on PostgreSQL it sets up the database as pytest-django does.
"""

import gc
import sqlite3

import pytest

_migrated: bytes | None = None  # the first session's freshly migrated SQLite test database


def pytest_configure(config):
    """Each mutant's session starts in a fork of a process that has run every rule test once, and holds
    all their objects. Frozen, the garbage collector leaves those alone: pytest collects garbage at the
    end of each session (for unraisable exceptions), which otherwise scanned the whole inherited heap and,
    copying every page it touched, took longer than most mutants' tests. Collection of what the session
    itself creates is unchanged."""
    gc.freeze()


def _load_migrated(connection):
    """Point `connection` at its in-memory test database, as Django's create_test_db does, filled from
    `_migrated`; returns what teardown_databases expects."""
    from django.conf import settings

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    template = sqlite3.connect(":memory:")
    try:
        template.deserialize(_migrated)
        template.backup(connection.connection)
    finally:
        template.close()
    return [(connection, old_name, True)]


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    global _migrated
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        if connection.vendor == "sqlite" and _migrated is not None:
            db_cfg = _load_migrated(connection)
        else:
            db_cfg = setup_databases(verbosity=0, interactive=False)
            if connection.vendor == "sqlite":
                _migrated = connection.connection.serialize()
    yield
    with django_db_blocker.unblock():
        teardown_databases(db_cfg, verbosity=0)
