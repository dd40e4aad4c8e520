"""`make mutants` still starts (docs/mutation-testing.md): the quick check CI runs instead of the run itself."""

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def mutmut_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]


def python_files_under(paths) -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for path in paths for p in (ROOT / path).rglob("*.py"))


def test_every_rule_module_named_for_mutation_exists_inside_the_mutated_apps():
    config = mutmut_config()
    files = python_files_under(config["source_paths"])
    unmatched = [pattern for pattern in config["only_mutate"] if not fnmatch.filter(files, pattern)]
    assert not unmatched, f"only_mutate names no file for {unmatched}: update the list in pyproject.toml"
    assert all((ROOT / path).exists() for path in config["also_copy"])


def test_mutmut_makes_mutants_of_a_rule_module():
    from mutmut.mutation.file_mutation import mutate_file_contents

    path = "integrations/platforms/signatures.py"
    mutated = mutate_file_contents(path, (ROOT / path).read_text(encoding="utf-8"))
    assert any("hmac_sha256_base64_matches__mutmut_" in name for name in mutated.mutant_names)


def test_every_project_package_is_copied_into_the_mutation_run():
    """mutmut runs the tests from a copy (mutants/); an app of the project left out of the copy fails the
    run at its first import (a new app, say)."""
    from django.conf import settings  # configured by pytest-django, not at this module's import

    config = mutmut_config()
    copied = {Path(path).parts[0] for path in [*config["source_paths"], *config["also_copy"]]}
    apps = {app.split(".")[0] for app in settings.INSTALLED_APPS}
    ours = {app for app in apps if (ROOT / app / "__init__.py").exists()}
    assert ours <= copied, f"add {sorted(ours - copied)} to also_copy in pyproject.toml"


def test_every_mutated_module_names_its_rules_and_the_run_selects_the_tests_of_those_rules():
    """Each pattern of only_mutate has its rules in [tool.roapp.mutation_rules], and the run's test selection
    (-k) names exactly the rules some mutated module carries: a rule added to a module's list is tested."""
    import re

    config = mutmut_config()
    rules = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["roapp"]["mutation_rules"]
    assert list(rules) == config["only_mutate"]
    selection = config["pytest_add_cli_args_test_selection"]
    expression = selection[selection.index("-k") + 1]
    assert {int(n) for n in re.findall(r"_R(\d+)_", expression)} == {r for module in rules.values() for r in module}


def test_a_mutant_runs_the_tests_of_its_modules_rules_only():
    from roapp.tests.mutation_run import rules_named_by, rules_of_mutant

    sync = rules_of_mutant("integrations.sync.writing.x_order_update__mutmut_18")
    assert {7, 8, 40} <= sync and 52 not in sync and 41 not in sync
    assert rules_of_mutant("integrations.sync.x__apply__mutmut_3") == sync  # the package's __init__.py
    assert rules_of_mutant("integrations.sync.xǁSyncResultǁas_text__mutmut_1") == sync
    assert rules_of_mutant("integrations.platforms.shopify.mapping.x__line__mutmut_2") == sync
    assert rules_of_mutant("integrations.platforms.signatures.x_hmac_sha256_base64_matches__mutmut_1") == {42, 46, 49}
    assert rules_of_mutant("stats") is None and rules_of_mutant("") is None and rules_of_mutant("fail") is None
    # Names are built here so that this file, which proves no rule, is not listed among any rule's proofs.
    assert rules_named_by("test_{}_{}_{}_connect_and_poll".format(*(f"R{n}" for n in (3, 4, 42)))) == {3, 4, 42}
    assert rules_named_by("test_contract_{}_faults[shopify]".format(f"R{41}")) == {41}
    assert rules_named_by("test_orders_{}".format(f"R{52}")) == set()  # a rule is named between underscores
