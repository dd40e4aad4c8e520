"""What a mutation run's pytest sessions do differently (docs/mutation-testing.md). Loaded by conftest.py
under mutmut only, which names the mutant under test in MUTANT_UNDER_TEST.

mutmut tests every mutant in a pytest session of its own, forked from the process that ran the unmutated
tests first. Each such session:
- runs only the tests that name a rule the mutated module carries ([tool.roapp.mutation_rules] in
  pyproject.toml); mutmut has already narrowed them to the tests that execute the mutated function;
- runs them fastest first, so the first failure, which ends the session, comes as early as it can;
- loads the test database the first session migrated instead of migrating again: migrating SQLite's
  in-memory database takes about a second, longer than the tests of most mutants (on PostgreSQL it sets up
  the database as pytest-django does);
- leaves the inherited heap out of garbage collection;
- tries property tests with hypothesis's "mutation" profile: 25 examples, the same for every mutant.
"""

import fnmatch
import gc
import os
import re
import sqlite3
import tomllib
from functools import cache
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests try the same 25 examples for every mutant: a verdict must not depend on chance, and the tests
# that generate hostile payloads run for every mutant of the sync engine (integrations/tests/test_hostile_payloads).
settings.register_profile("mutation", max_examples=25, derandomize=True, database=None)
settings.load_profile("mutation")

RULE_IN_TEST_NAME = re.compile(r"_R(\d+)(?=_)")  # test_R7_..., test_R3_R4_R42_..., test_contract_R41_...

_migrated: bytes | None = None  # the first session's freshly migrated SQLite test database


def pytest_configure(config):
    """Each mutant's session starts in a fork of a process that has run every rule test once, and holds
    all their objects. Frozen, the garbage collector leaves those alone: pytest collects garbage at the
    end of each session (for unraisable exceptions), which otherwise scanned the whole inherited heap and,
    copying every page it touched, took longer than most mutants' tests. Collection of what the session
    itself creates is unchanged. The module-to-rules table is read here too, once in mutmut's own process
    before it forks, rather than again in every mutant's session."""
    rules_by_module_pattern()
    gc.freeze()


@cache
def rules_by_module_pattern() -> dict[str, frozenset[int]]:
    """[tool.roapp.mutation_rules] of pyproject.toml: a glob of rule modules -> the rules they carry."""
    config = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    return {pattern: frozenset(rules) for pattern, rules in config["tool"]["roapp"]["mutation_rules"].items()}


def rules_of_mutant(mutant_name: str) -> frozenset[int] | None:
    """The rules the module of `mutant_name` carries, or None when it names no mutant (mutmut's own runs:
    "stats", "fail", "" for the clean run). A name is the module's dotted path, then `x_<function>__mutmut_<n>`
    or `xǁ<class>ǁ<method>__mutmut_<n>`."""
    if "__mutmut_" not in mutant_name:
        return None
    module = re.split(r"\.x_|\.xǁ", mutant_name, maxsplit=1)[0]
    candidates = (module.replace(".", "/") + ".py", module.replace(".", "/") + "/__init__.py")
    for pattern, rules in rules_by_module_pattern().items():
        if any(fnmatch.fnmatch(path, pattern) for path in candidates):
            return rules
    raise LookupError(f"{module} is mutated but [tool.roapp.mutation_rules] names no rules for it")


def rules_named_by(test_name: str) -> set[int]:
    return {int(number) for number in RULE_IN_TEST_NAME.findall(test_name)}


def pytest_collection_modifyitems(config, items):
    """Leave out the tests that name none of the mutated module's rules. With none left the session ends
    with pytest's "no tests ran", which mutmut reports as "no tests"."""
    rules = rules_of_mutant(os.environ.get("MUTANT_UNDER_TEST", ""))
    if rules is None:
        return
    kept, left_out = [], []
    for item in items:
        (kept if rules_named_by(item.name) & rules else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
    items[:] = fastest_first(kept)


def fastest_first(items):
    """mutmut names a mutant's tests in no particular order (a set) and stops at the first failure, so the
    fastest tests run first: a mutant the pure mapping tests catch costs milliseconds, not the seconds of
    an import test that happened to come first. Durations are those mutmut measured on the unmutated code."""
    from mutmut.state import state

    duration_by_test = state().duration_by_test
    return sorted(items, key=lambda item: (duration_by_test.get(item.nodeid, 0.0), item.nodeid))


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
