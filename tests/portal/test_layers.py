"""Layers point one way and the shared pieces live only in portal/ (issue 8, items 1 and 4)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("complaints", "innovation_plans")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved against its package (function bodies included)."""
    tree = ast.parse(path.read_text())
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("module,forbidden", [
    ("innovation_plans/jobs.py", "innovation_plans.views"),
    ("innovation_plans/services.py", "innovation_plans.views"),
    ("innovation_plans/import_review.py", "innovation_plans.views"),
    *((str(p.relative_to(ROOT)), "complaints.views") for p in sorted((ROOT / "complaints" / "admin").glob("*.py"))),
    ("innovation_plans/admin.py", "innovation_plans.views"),
])
def test_lower_layers_do_not_import_views(module, forbidden):
    assert forbidden not in _imports(ROOT / module)


@pytest.mark.parametrize("app", APPS)
def test_no_app_keeps_its_own_copy_of_a_shared_block(app):
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        imports = _imports(path)
        assert "django_ratelimit.decorators" not in imports, f"{path}: use portal.ratelimit"
        source = path.read_text()
        assert "def _insert_with_code" not in source, f"{path}: use portal.codes.insert_with_code"
        assert "ImageOps.exif_transpose" not in source, f"{path}: use portal.uploads"
        assert "csv.writer(" not in source, f"{path}: use portal.exports"
    for gone in ("complaints/images.py", "innovation_plans/uploads.py"):
        assert not (ROOT / gone).exists()


# --- the project's import graph: no circles, and the layers point one way --------------------------------------------

PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))
# models (and the workflow tables they use) -> selectors -> services -> the entry points (views, admin, API, forms,
# tasks, URLs). A module may import its own layer or a lower one, never a higher one.
LAYER = {"workflow": 0, "models": 0, "selectors": 1, "services": 2, "views": 3, "admin": 3, "api": 3, "forms": 3,
         "tasks": 3, "urls": 3, "root_urls": 3}
# Circles known today, each to be broken and then removed from here (the test fails when one is gone, too).
KNOWN_CIRCLES = [
    # The report package's __init__ and its format modules import each other (csvfile/pdf/xlsx use the row
    # builders defined in __init__, which imports csvfile inside a function).
    {"innovation_plans.reports", "innovation_plans.reports.csvfile", "innovation_plans.reports.pdf",
     "innovation_plans.reports.xlsx"},
]


def _project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (at module level or inside a function: an import moved into a
    function to dodge a circle is still a circle)."""
    modules = _project_modules()
    graph = {}
    for name, path in modules.items():
        edges = set()
        for target in _imports(path):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                edges.add(target)
        graph[name] = edges
    return graph


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_covers_every_project_package():
    graph = import_graph()
    assert {"portal", "complaints", "innovation_plans", "eservice"} <= set(PACKAGES)
    assert "complaints.models" in graph["complaints.services"]
    assert "portal.tenancy" in graph["portal.models"]


def test_the_cycle_finder_finds_a_function_level_circle():
    assert circles({"a.models": {"a.services"}, "a.services": {"a.sla"}, "a.sla": {"a.models"}, "b": {"a.models"}}) \
        == [{"a.models", "a.services", "a.sla"}]


def test_no_import_circles_between_project_modules():
    """e.g. complaints.models <-> services <-> sla, portal.models <-> portal.tenancy: broken, and kept broken."""
    found = circles(import_graph())
    unexpected = [sorted(c) for c in found if c not in KNOWN_CIRCLES]
    assert unexpected == [], f"import circles: {unexpected}"
    fixed = [sorted(c) for c in KNOWN_CIRCLES if c not in found]
    assert fixed == [], f"no longer circular, remove from KNOWN_CIRCLES: {fixed}"


def test_layers_point_one_way():
    """models -> selectors -> services -> views/admin/API/forms/tasks, across apps too (an app's models never
    import another app's services)."""
    upward = []
    for module, targets in import_graph().items():
        source = LAYER.get(module.split(".")[1]) if "." in module else None
        for target in targets:
            layer = LAYER.get(target.split(".")[1]) if "." in target else None
            if source is not None and layer is not None and layer > source:
                upward.append(f"{module} -> {target}")
    assert upward == []


# --- writes only through services --------------------------------------------------------------------------------

WRITE_METHODS = {"save", "delete", "create", "update", "bulk_create", "bulk_update", "get_or_create",
                 "update_or_create"}
ENTRY_POINTS = {"views", "line", "open311", "feeds", "qr", "admin", "api", "forms", "urls", "root_urls"}


def _orm_writes(path: Path) -> list[str]:
    """Calls that write rows: `x.save()`, `Model.objects.create(...)`, `qs.filter(...).update(...)` ... (a file's
    or an image's `.save(out, ...)` with arguments is not a row)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, ast.unparse(node.func.value)
        if method not in WRITE_METHODS:
            continue
        through_orm = ".objects" in receiver or "filter(" in receiver or receiver.endswith("_set")
        if (method in ("save", "delete") and not node.args) or through_orm:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)[:80]}")
    return found


@pytest.mark.parametrize("app", ["complaints"])
def test_entry_points_write_only_through_services(app):
    """Views, the LINE webhook, Open311, the admin's own pages and the API call complaints.services, which records
    who did it; they never save rows themselves."""
    writes = []
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT / app).with_suffix("").parts
        if parts[0] in ENTRY_POINTS:
            writes += _orm_writes(path)
    assert writes == []
