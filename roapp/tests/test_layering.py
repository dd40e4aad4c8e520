"""The product stands without its development tools: no product module imports the fake platforms or graphql-core.

Production installs requirements.txt only; the fakes (fakes/, the `fake_platform` command) and graphql-core, which
only the fake Shopify needs, come with requirements-dev.txt. The modules are read with `ast`, never imported, so an
import hidden inside a function is found as surely as one at the top of a module.
"""

import ast
import json
import subprocess
import sys
import sysconfig
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]

# What is not product: the fakes themselves, the benchmarks, the tests and pytest's own files.
NOT_PRODUCT_DIRS = {"fakes", "bench", "tests", "mutants"}
DEV_ONLY_PACKAGES = {"fakes", "graphql"}

# Modules over the size limit, each waiting to be split; shrinking one below the limit removes it from here.
PRODUCT_MODULES_STILL_OVER_300_LINES: set[str] = set()


def product_modules() -> list[Path]:
    modules = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if any(part.startswith(".") for part in parts) or NOT_PRODUCT_DIRS.intersection(parts[:-1]):
            continue
        if path.name == "conftest.py" or path.name.startswith("test_"):
            continue
        modules.append(path)
    return modules


def fake_modules() -> list[Path]:
    return sorted((ROOT / "fakes").rglob("*.py"))


def top_package(dotted: str) -> str:
    return dotted.split(".", 1)[0]


def imported_packages(path: Path) -> set[str]:
    """Top-level packages a module imports: import statements, and import_module("...") / __import__("...")."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(top_package(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(top_package(node.module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"import_module", "__import__"} and isinstance(node.args[0].value, str):
                found.add(top_package(node.args[0].value))
    return found


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_walk_finds_the_product_and_leaves_out_the_fakes_tests_and_benchmarks():
    names = {str(path.relative_to(ROOT)) for path in product_modules()}
    assert {"manage.py", "roapp/settings.py", "integrations/webhooks.py", "orders/services.py"} <= names
    assert not any(name.startswith(("fakes/", "bench/")) or "/tests/" in name for name in names)
    assert "conftest.py" not in names


def test_no_product_module_imports_the_fakes_or_graphql():
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & DEV_ONLY_PACKAGES)
        for path in product_modules()
        if imported_packages(path) & DEV_ONLY_PACKAGES
    }
    assert offenders == {}, "production installs requirements.txt only: move these imports to tests, bench or fakes"


def test_the_import_reader_sees_imports_inside_functions_and_by_name(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "import importlib\n"
        "def serve():\n"
        "    from fakes.shopify import FakeShopify\n"
        "    import graphql.language\n"
        "    return importlib.import_module('fakes.server')\n"
        "from . import fakes\n",  # a relative import names a module of the product's own package
        encoding="utf-8",
    )
    assert imported_packages(module) == {"importlib", "fakes", "graphql"}


# Run in a fresh interpreter whose site-packages is this one's without graphql-core, as production installs it.
WITHOUT_GRAPHQL = """
import importlib, json, os, site, sys
sys.path[:] = [path for path in sys.path if "-packages" not in path]
site.addsitedir(sys.argv[1])
sys.path.insert(0, sys.argv[2])
os.environ["DJANGO_SETTINGS_MODULE"] = "roapp.settings"
import django
from django.conf import settings
from django.core.management import get_commands
django.setup()
for module in json.loads(sys.argv[3]):
    importlib.import_module(module)
try:
    import graphql
    graphql_found = True
except ImportError:
    graphql_found = False
print(json.dumps({"graphql": graphql_found, "fakes": "fakes" in settings.INSTALLED_APPS,
                  "fake_platform": "fake_platform" in get_commands()}))
"""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_product_starts_without_graphql_core_and_then_has_no_fakes_nor_their_command(tmp_path):
    assert "fake_platform" in get_commands()  # here, with the development requirements, the command exists
    site_packages = {Path(sysconfig.get_paths()[kind]) for kind in ("purelib", "platlib")}
    for directory in site_packages:
        for entry in directory.iterdir():
            if not entry.name.startswith("graphql") and not (tmp_path / entry.name).exists():
                (tmp_path / entry.name).symlink_to(entry)
    modules = [module_name(p) for p in product_modules() if "migrations" not in p.parts and p.name != "manage.py"]
    probe = [sys.executable, "-S", "-c", WITHOUT_GRAPHQL, str(tmp_path), str(ROOT), json.dumps(modules)]
    result = subprocess.run(probe, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {"graphql": False, "fakes": False, "fake_platform": False}


def test_no_fake_module_is_over_500_lines():
    assert fake_modules(), "the fakes live in fakes/"
    assert {str(p.relative_to(ROOT)): line_count(p) for p in fake_modules() if line_count(p) > 500} == {}


def test_no_product_module_is_over_300_lines_but_those_waiting_to_be_split():
    over = {
        str(path.relative_to(ROOT))
        for path in product_modules()
        if "migrations" not in path.parts and line_count(path) > 300
    }
    assert over - PRODUCT_MODULES_STILL_OVER_300_LINES == set(), "split the module: aim under 300 lines"
    shrunk = PRODUCT_MODULES_STILL_OVER_300_LINES - over
    assert shrunk == set(), "these are under 300 lines now: remove them from PRODUCT_MODULES_STILL_OVER_300_LINES"
