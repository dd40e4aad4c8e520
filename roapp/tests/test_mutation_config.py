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
