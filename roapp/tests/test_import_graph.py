"""The product's modules import each other one way only (docs/architecture.md, "Dependencies").

Every module of the product apps is parsed with `ast`, and every import in it counts: at module level and inside
functions alike, since an import put inside a function to dodge a cycle still makes one. Imports are resolved to
the product's own modules; a cycle is a strongly connected component of more than one module. A package's
`__init__` is only counted where a module imports it by name: importing `a.b.c` also runs `a/__init__.py`, but
that implicit step closes no cycle Python trips over.

Plain file reading: no database, no network.
"""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_APPS = ("contacts", "catalog", "orders", "integrations", "roapp", "apitokens")
# Not the product: tests, schema history, benchmarks and the fake platforms.
NOT_PRODUCT = {"tests", "migrations", "bench", "fakes", "__pycache__"}
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
# Platform-neutral beside integrations/health/ and integrations/sync/: they know platforms only by the registry.
NEUTRAL = {"integrations.services", "integrations.webhook_queue", "integrations.tasks", "integrations.refresh"}


@cache
def product_modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the product apps."""
    modules = {}
    for app in PRODUCT_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if NOT_PRODUCT & set(parts[:-1]):
                continue
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _type_checking_only(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:` blocks are never run, so what they import makes no cycle."""
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and getattr(test, "id", getattr(test, "attr", "")) == "TYPE_CHECKING"


def imports_of(path: Path):
    """Every import statement of the file, with whether it sits inside a function."""

    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            if _type_checking_only(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, in_function
            yield from walk(child, in_function or isinstance(child, FUNCTIONS))

    yield from walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), False)


def _closest_module(name: str) -> str | None:
    """The product module `name` is, or the product package it lies in ("x.models.Store" -> "x.models")."""
    modules = product_modules()
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The product modules an import statement of `module` loads by name."""
    if isinstance(node, ast.Import):
        found = {_closest_module(alias.name) for alias in node.names}
    else:
        base = node.module or ""
        if node.level:  # relative: counted from the module's package
            package = module.split(".") if product_modules()[module].name == "__init__.py" else module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base] if base else package)
        modules = product_modules()
        # `from package import name`: a submodule when there is one of that name, else something of the package.
        found = {
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else _closest_module(base)
            for alias in node.names
        }
    return {target for target in found if target and target != module}


@cache
def import_graph() -> dict[str, dict[str, list[str]]]:
    """module -> {imported module: ["file:line", ...]}."""
    graph = {}
    for module, path in product_modules().items():
        edges = graph.setdefault(module, {})
        for node, _in_function in imports_of(path):
            for target in targets(module, node):
                edges.setdefault(target, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return graph


def strongly_connected(graph: dict[str, dict]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the graph's strongly connected components."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            step = next(successors, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph.get(step, ())))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def test_the_product_modules_import_each_other_without_cycles():
    graph = import_graph()
    cycles = [component for component in strongly_connected(graph) if len(component) > 1]
    report = []
    for component in cycles:
        report.append(" <-> ".join(component))
        for module in component:
            for target in sorted(set(graph[module]) & set(component)):
                report.append(f"    {module} -> {target}  ({', '.join(graph[module][target])})")
    assert not cycles, "Import cycles (break them; an import moved into a function still counts):\n" + "\n".join(report)


def test_the_cycle_finder_sees_a_cycle_and_the_graph_holds_the_product():
    """The checks above prove nothing if the finder misses cycles or the graph misses modules."""
    ring = {"a": {"b": []}, "b": {"c": []}, "c": {"a": []}, "d": {"a": []}}
    assert strongly_connected(ring) == [["a", "b", "c"], ["d"]]
    graph = import_graph()
    assert {"integrations.services", "integrations.tasks", "integrations.health.reconcile", "roapp.i18n"} <= set(graph)
    assert not any(".tests" in module or ".fakes" in module or ".migrations" in module for module in graph)
    # Imports inside functions are edges too, and a relative import resolves like an absolute one.
    inner = ast.parse("def f():\n    from integrations.task_queue import enqueue\n").body[0].body[0]
    assert targets("integrations.services", inner) == {"integrations.task_queue"}
    relative = ast.parse("from .models import Store\nfrom . import checks\n").body
    assert set().union(*(targets("integrations.apps", node) for node in relative)) == {
        "integrations.models",
        "integrations.checks",
    }


def depends_on(module: str) -> set[str]:
    """Every product module `module` loads, directly or through others."""
    graph, seen, todo = import_graph(), set(), [module]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_services_queue_tasks_by_name_and_never_reach_the_tasks_or_the_health_checks():
    """Tasks call services and health calls the import engine, never the reverse: services queue a task by its
    dotted name through integrations.task_queue, and tell the health check of a sync through a signal."""
    importers_of_tasks = sorted(module for module, edges in import_graph().items() if "integrations.tasks" in edges)
    assert importers_of_tasks == []
    reached = depends_on("integrations.services") | depends_on("integrations.webhook_queue")
    assert not {module for module in reached if module.startswith(("integrations.health", "integrations.tasks"))}


def test_an_import_inside_a_function_says_why():
    """A comment on the import's line or the line above: why it cannot sit at the top of the module."""
    silent = []
    for path in product_modules().values():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node, in_function in imports_of(path):
            if not in_function:
                continue
            own = lines[node.lineno - 1 : node.end_lineno]
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            if not any("#" in line for line in own) and not above.startswith("#"):
                silent.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not silent, "Imports inside functions without a comment saying why:\n" + "\n".join(silent)


def test_health_and_the_import_engine_name_no_platform():
    """The platform-neutral modules reach a platform only through the registry and the Platform interface: the API
    budget, say, comes as PlatformClient.api_budget(), never from a platform's own answer."""
    graph = import_graph()
    neutral = [m for m in graph if m.startswith(("integrations.health", "integrations.sync")) or m in NEUTRAL]
    own = ("integrations.platforms.shopify", "integrations.platforms.woocommerce", "integrations.platforms.cartum")
    leaks = sorted(f"{module} -> {target}" for module in neutral for target in graph[module] if target.startswith(own))
    assert neutral and not leaks, leaks
