"""Layers point one way and the shared pieces live only in portal/ (issue 8, items 1 and 4)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("complaints", "innovation_plans", "eservice", "opendata", "taxpay")


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
        assert "django_ratelimit.decorators" not in imports, f"{path}: use portal.inputs.ratelimit"
        source = path.read_text()
        assert "def _insert_with_code" not in source, f"{path}: use portal.outputs.codes.insert_with_code"
        assert "ImageOps.exif_transpose" not in source, f"{path}: use portal.inputs.uploads"
        assert "csv.writer(" not in source, f"{path}: use portal.outputs.exports"
        assert not any(name == "qrcode" or name.startswith("qrcode.") for name in imports), \
            f"{path}: use portal.outputs.qr"
        assert "def csv_bytes" not in source, f"{path}: use portal.outputs.exports.csv_bytes"
    for gone in ("complaints/images.py", "innovation_plans/uploads.py"):
        assert not (ROOT / gone).exists()


# --- the project's import graph: no circles, and the layers point one way --------------------------------------------

PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))
# models (and the workflow tables they use) -> selectors -> services -> the entry points (views, admin, API, forms,
# tasks, URLs). A module may import its own layer or a lower one, never a higher one.
LAYER = {"workflow": 0, "models": 0, "selectors": 1, "services": 2, "views": 3, "admin": 3, "api": 3, "forms": 3,
         "tasks": 3, "urls": 3, "root_urls": 3}
# Circles known today, each to be broken and then removed from here (the test fails when one is gone, too).
KNOWN_CIRCLES = []


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
    assert "complaints.models" in graph["complaints.services.filing"]
    assert "portal.access.tenancy" in graph["portal.models.organizations"]


def test_the_cycle_finder_finds_a_function_level_circle():
    assert circles({"a.models": {"a.services"}, "a.services": {"a.sla"}, "a.sla": {"a.models"}, "b": {"a.models"}}) \
        == [{"a.models", "a.services", "a.sla"}]


def test_no_import_circles_between_project_modules():
    """e.g. complaints.models <-> services <-> sla, portal.models <-> portal.access.tenancy: broken, and kept broken."""
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
        source = layer_of(module)
        for target in targets:
            layer = layer_of(target)
            if source is not None and layer is not None and layer > source:
                upward.append(f"{module} -> {target}")
    assert upward == []


# portal's sub-system folders: the layer is named by the module inside (portal.web.views is a view).
SUBSYSTEMS = {"web", "access", "audit", "inputs", "outputs", "machinery", "onboarding"}


def layer_of(module: str) -> int | None:
    """complaints.admin.filters is admin, portal.api.pagination is api, portal.web.views is views,
    portal.machinery.workflow is workflow."""
    parts = module.split(".")
    if len(parts) > 2 and parts[1] in SUBSYSTEMS:
        return LAYER.get(parts[2])
    return LAYER.get(parts[1]) if len(parts) > 1 else None


def test_layers_are_read_from_sub_packages_too():
    assert [layer_of(m) for m in ("portal.machinery.workflow", "portal.web.views", "complaints.admin.filters",
                                  "portal.api.pagination", "portal.thai", "portal")] == [0, 3, 3, 3, None, None]


# --- portal/ is sorted into sub-systems; no app imports another ------------------------------------------------------

# Top-level modules of portal/: the project's wiring, and the core's own models/selectors/services and Thai helpers.
# Everything else lives in the sub-package of its sub-system, so a newcomer finds it by folder.
PORTAL_TOP = {"__init__", "apps", "celery", "checks", "demo", "registry", "selectors", "services",
              "settings", "thai", "urls", "wsgi"}
PORTAL_PACKAGES = {"access", "admin", "api", "audit", "inputs", "machinery", "management", "migrations", "models",
                   "notifications", "onboarding", "open311", "outputs", "templatetags", "web"}


def test_portal_keeps_each_shared_piece_in_its_sub_system():
    top = {p.stem for p in (ROOT / "portal").glob("*.py")}
    assert top - PORTAL_TOP == set(), "put a new shared module into the portal/ sub-package of its sub-system"
    packages = {p.parent.name for p in (ROOT / "portal").glob("*/__init__.py")}
    assert packages == PORTAL_PACKAGES


# App -> other app imports known today, each to be removed (the list can only shrink: the test fails when one is
# gone, too). E-service counts working days on portal.machinery.calendar, as complaints does.
KNOWN_APP_TO_APP = []


def app_to_app_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports from one service app into another, or from portal into any service app (apps build on portal only)."""
    found = []
    for module, targets in graph.items():
        package = module.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if other != package and other != "portal":
                found.append(f"{module} -> {target}")
    return sorted(found)


def test_no_app_imports_another_app():
    found = app_to_app_imports(import_graph())
    assert [edge for edge in found if edge not in KNOWN_APP_TO_APP] == [], "an app imports another app"
    assert [edge for edge in KNOWN_APP_TO_APP if edge not in found] == [], "gone: remove from KNOWN_APP_TO_APP"


def test_the_app_import_check_finds_a_planted_import():
    graph = {"taxpay.services": {"portal.models", "taxpay.models"}, "portal.checks": {"complaints.models"},
             "opendata.feeds": {"eservice.selectors"}}
    assert app_to_app_imports(graph) == ["opendata.feeds -> eservice.selectors", "portal.checks -> complaints.models"]


# --- writes only through services --------------------------------------------------------------------------------

WRITE_METHODS = {"save", "delete", "create", "update", "bulk_create", "bulk_update", "get_or_create",
                 "update_or_create"}
# The modules requests, webhooks, staff pages, the API and the set-up wizard's app steps (setup.py) enter through;
# portal's admin mixins and staff pages too.
ENTRY_POINTS = {"views", "staff_views", "line", "open311", "callback", "feeds", "qr", "admin", "web",
                "import_review", "api", "forms", "urls", "root_urls", "setup"}
SERVICE_APPS = ("complaints", "innovation_plans", "eservice", "opendata", "taxpay", "portal")


def _orm_writes(path: Path) -> list[str]:
    """Calls that write rows: `x.save()`, `Model.objects.create(...)`, `qs.filter(...).update(...)` ... (a file's
    or an image's `.save(out, ...)` with arguments is not a row, nor a form's `save(commit=False)`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, ast.unparse(node.func.value)
        if method not in WRITE_METHODS:
            continue
        if any(k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
               for k in node.keywords):
            continue
        through_orm = ".objects" in receiver or "filter(" in receiver or receiver.endswith("_set")
        if (method in ("save", "delete") and not node.args) or through_orm:
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            found.append(f"{where}:{node.lineno} {ast.unparse(node)[:80]}")
    return found


def entry_point_writes(app_dir: Path) -> list[str]:
    writes = []
    for path in sorted(app_dir.rglob("*.py")):
        parts = path.relative_to(app_dir).with_suffix("").parts
        # any folder or file on the path (complaints/admin/filing.py, portal/web/views.py, portal/inputs/forms.py),
        # but a sub-package's own services (portal/open311/services.py)
        if "migrations" not in parts and any(part in ENTRY_POINTS for part in parts) and parts[-1] != "services":
            writes += _orm_writes(path)
    return writes


@pytest.mark.parametrize("app", SERVICE_APPS)
def test_entry_points_write_only_through_services(app):
    """Views, staff pages, webhooks (LINE, payment callbacks), Open311, the admin's own pages and the API call the
    app's services, which record who did it; they never save rows themselves."""
    assert entry_point_writes(ROOT / app) == []


@pytest.mark.parametrize("app", SERVICE_APPS)
def test_the_write_check_finds_a_planted_direct_write(app, tmp_path):
    """The check above can fail in every app: the app's own views and admin, copied with a direct save and an
    update planted in them, are caught (and a form's save(commit=False) is not)."""
    app_dir = ROOT / app
    for name in ("views.py", "admin.py", "admin/__init__.py"):
        if (app_dir / name).exists():
            (tmp_path / name).parent.mkdir(exist_ok=True)
            (tmp_path / name).write_text((app_dir / name).read_text())
    assert entry_point_writes(tmp_path) == []
    with (tmp_path / "views.py").open("a") as views:
        views.write("\n\ndef planted(request, obj):\n    obj.save()\n    form.save(commit=False)\n")
    admin_file = tmp_path / ("admin.py" if (tmp_path / "admin.py").exists() else "admin/__init__.py")
    with admin_file.open("a") as admin_module:
        admin_module.write("\n\ndef planted(qs):\n    qs.model.objects.filter(pk=1).update(a=2)\n")
    found = sorted(w.split(" ", 1)[1] for w in entry_point_writes(tmp_path))
    assert found == ["obj.save()", "qs.model.objects.filter(pk=1).update(a=2)"]


def test_admin_writes_go_through_a_service():
    """The rule for the admin: every project ModelAdmin that can add, change or delete inherits
    portal.admin.mixins.ServiceSavesMixin, so Django's plain save/delete (inline rows too) becomes
    portal.services.save_row / delete_row with its audit row; an admin whose writes have rules of their own
    overrides those hooks with its app's service (and the scan above keeps it from saving rows itself)."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from portal.admin.mixins import ServiceSavesMixin

    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    plain = []
    for model, model_admin in admin.site._registry.items():
        module = type(model_admin).__module__.split(".")[0]
        if module not in SERVICE_APPS and model._meta.app_label not in SERVICE_APPS:
            continue
        writes = (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
                  or model_admin.has_delete_permission(request))
        if writes and not isinstance(model_admin, ServiceSavesMixin):
            plain.append(type(model_admin).__name__)
    assert plain == []


def unused_actor_arguments(path: Path) -> list[str]:
    """Service functions that take who-did-it (`user`, `by`, `actor`, `granted_by`) and never look at it."""
    unused = []
    for fn in ast.parse(path.read_text()).body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        names = {a.arg for a in fn.args.args + fn.args.kwonlyargs} & {"user", "by", "actor", "granted_by"}
        read = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
        unused += [f"{fn.name}({name}=)" for name in sorted(names - read)]
    return unused


@pytest.mark.parametrize("app", SERVICE_APPS)
def test_services_do_not_ignore_who_did_it(app, tmp_path):
    """A service that is told who acts passes it on (a permission check, the audit row, a "by" column)."""
    for path in service_files(ROOT / app):
        assert unused_actor_arguments(path) == [], path
    # The check can fail: the app's own services with a planted one that ignores its user.
    copy = tmp_path / "services.py"
    copy.write_text(service_files(ROOT / app)[0].read_text() + "\n\ndef planted(*, obj, user=None):\n    obj.save()\n")
    assert unused_actor_arguments(copy) == ["planted(user=)"]


# --- every write names who made it -----------------------------------------------------------------------------------

ACTOR_ARGUMENTS = {"user", "actor", "by", "granted_by"}
# Calls that name the actor of the rows written inside a function: portal.audit.trail.acting(user),
# system("task:..."), citizen("web", ...) and record(..., actor=...).
NAMING_CALLS = {"acting", "system", "citizen"}
# Writes nobody decides (portal/audit/trail.py): derived copies and counters kept by the shared machinery, each
# only ever run inside (or right after) a write that records its own actor.
BOOKKEEPING = {
    # an API key's last-used stamp (portal.open311); a LINE chat's unfinished draft between messages (the complaint it becomes is
    # recorded when submitted, and the chat's start and stop are recorded)
    "complaints/services/chat.py": {"lock_line_conversation", "save_line_draft"},
    "portal/open311/services.py": {"organization_for_key"},
    "opendata/services.py": {"count_download", "reindex", "sync_terms", "touch",
                             "organization_saved", "setup_saved"},  # counters, the search index
    "eservice/queues/services.py": {"ensure_slots"},  # the day's slots materialised from the opening hours
    "taxpay/services/register.py": {"ensure_tax_settings", "reserve_numbers"},  # a default row, the numbering counter
    # an outbox row written, or its personal data scrubbed, inside the service that records the event (anonymize)
    "portal/notifications/services.py": {"notify", "scrub"},
}
# A citizen's complaint, kept to a single INSERT (measured in BENCHMARKS.md): the row written is itself the record of
# who did it, the citizen on `channel`, with its tracking code and time, and no staff `filed_by`. Everything else a
# citizen does is recorded with audit.citizen(channel).
CITIZEN_ROW_IS_THE_RECORD = {
    "complaints/services/filing.py": {"submit_complaint"},
    "complaints/services/protected.py": {"submit_corruption_report"},
}


def _called_name(node):
    if isinstance(node, ast.Call):
        func = node.func
        return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return None


def _querysets(fn) -> set[str]:
    """Local names bound to a queryset (`rows = Model.objects.filter(...)`), so `rows.update(...)` is a write."""
    return {target.id for node in ast.walk(fn) if isinstance(node, ast.Assign)
            and _through_orm(ast.unparse(node.value), set())
            for target in node.targets if isinstance(target, ast.Name)}


def _through_orm(receiver: str, querysets: set[str]) -> bool:
    return (".objects" in receiver or "filter(" in receiver or receiver.endswith("_set")
            or receiver.split(".", 1)[0] in querysets)


def _writes_directly(fn) -> bool:
    querysets = _querysets(fn)
    return any(isinstance(node, ast.Call) and _orm_writes_node(node, querysets) for node in ast.walk(fn))


def _orm_writes_node(node: ast.Call, querysets: set[str]) -> bool:
    if not isinstance(node.func, ast.Attribute) or node.func.attr not in WRITE_METHODS:
        return False
    if any(k.arg == "commit" for k in node.keywords):
        return False
    receiver = ast.unparse(node.func.value)
    return (node.func.attr in ("save", "delete") and not node.args) or _through_orm(receiver, querysets)


def _takes_an_actor(fn) -> bool:
    return bool({a.arg for a in fn.args.args + fn.args.kwonlyargs} & ACTOR_ARGUMENTS)


def _names_its_actor(fn) -> bool:
    if _takes_an_actor(fn):
        return True
    for node in ast.walk(fn):
        name = _called_name(node)
        if name in NAMING_CALLS or (name == "record" and any(k.arg == "actor" for k in node.keywords)):
            return True
    return False


def unnamed_writers(paths: list[Path], known_writers: set[str] = frozenset()) -> dict[str, set[str]]:
    """Public functions of `paths` that write rows (themselves, through a helper of their module, or through a
    writing service of the same app) and neither take an actor nor name one. Files are read in order, services.py
    first, so tasks.py sees its app's writing services. Calling a public service that names its own actor (a
    citizen's filing, say) is not a write of the caller's: that service records it."""
    found, writers = {}, set(known_writers)
    for path in paths:
        tree = ast.parse(path.read_text())
        functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
        # a management command's methods (handle, its helpers) count as the module's functions
        functions.update({f.name: f for c in tree.body if isinstance(c, ast.ClassDef) and c.name == "Command"
                          for f in c.body if isinstance(f, ast.FunctionDef)})
        writing = {name for name, fn in functions.items() if _writes_directly(fn)}
        while True:  # a function that calls (or hands on, e.g. `take = _take_place`) a writing one writes too
            passing = {name for name in writing
                       if name.startswith("_") or _takes_an_actor(functions[name])
                       or not _names_its_actor(functions[name])} | writers
            more = {name for name, fn in functions.items() if name not in writing and any(
                (isinstance(n, ast.Name) and n.id in passing) or _called_name(n) in passing for n in ast.walk(fn))}
            if not more:
                break
            writing |= more
        writers |= {name for name in writing if not name.startswith("_") and (
            _takes_an_actor(functions[name]) or not _names_its_actor(functions[name]))}
        unnamed = {name for name in writing if not name.startswith("_") and not _names_its_actor(functions[name])}
        if unnamed:
            found[str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name] = unnamed
    return found


def service_files(app_dir: Path) -> list[Path]:
    """An app's services: `services.py`, or the modules of a `services/` package (one per topic), read in name
    order (a module whose service calls another module's writing service is read after it)."""
    return sorted(p for p in [*app_dir.rglob("services.py"), *app_dir.rglob("services/*.py")]
                  if "migrations" not in p.parts)


def _service_modules(app_dir: Path) -> list[Path]:
    services = service_files(app_dir)
    return services + sorted(app_dir.glob("tasks.py")) + sorted(app_dir.glob("management/commands/[!_]*.py"))


def test_every_service_that_writes_names_who_did_it():
    """A service, task or management command that writes takes its actor (user=, actor=, by=) or names one: acting(user),
    record(..., actor=...), system("task:<name>") for tasks and commands, citizen("<channel>", code) for what a
    citizen does from the web, Open311 or LINE (no login: the channel and the tracking code are who)."""
    found, exempt = {}, set()
    for app in SERVICE_APPS:
        for where, names in unnamed_writers(_service_modules(ROOT / app)).items():
            allowed = BOOKKEEPING.get(where, set()) | CITIZEN_ROW_IS_THE_RECORD.get(where, set())
            exempt |= {f"{where}:{name}" for name in names & allowed}
            if names - allowed:
                found[where] = sorted(names - allowed)
    assert found == {}, "writes that name nobody"
    # Each exemption is still a writer that names nobody (one that starts naming its actor leaves the lists).
    declared = {f"{where}:{name}" for lists in (BOOKKEEPING, CITIZEN_ROW_IS_THE_RECORD)
                for where, names in lists.items() for name in names}
    assert sorted(declared - exempt) == []


def test_the_actor_check_finds_a_planted_unnamed_write(tmp_path):
    """The check can fail: a service writing through a helper, one calling a service that needs an actor, and a
    task calling them, none naming anyone, are found; the same with system("task:..."), citizen(...), a user=
    argument, or a wrapper of a service that names its own actor are not."""
    services = tmp_path / "services.py"
    services.write_text("def _helper(obj):\n    obj.save()\n\n\ndef planted(*, obj):\n    _helper(obj)\n\n\n"
                        "def named(*, obj, user):\n    _helper(obj)\n\n\n"
                        "def filed(*, obj):\n    _helper(obj)\n    record(obj, actor=citizen('web'), event='x')\n\n\n"
                        "def wrapper(*, obj):\n    filed(obj=obj)\n\n\ndef passes_on(*, obj):\n    named(obj=obj)\n")
    tasks = tmp_path / "tasks.py"
    tasks.write_text("from . import services\n\n\ndef nightly():\n    services.planted(obj=None)\n\n\n"
                     "def nightly_named():\n    with acting(system('task:nightly')):\n"
                     "        services.planted(obj=None)\n")
    command = tmp_path / "make_things.py"
    command.write_text("class Command:\n    def handle(self, **options):\n        Thing.objects.bulk_create([])\n\n"
                       "    def tidy(self):\n        rows = Thing.objects.all()\n        rows.exclude(a=1).update(b=2)\n")
    assert unnamed_writers([services, tasks, command]) == {
        "services.py": {"planted", "passes_on"}, "tasks.py": {"nightly"}, "make_things.py": {"handle", "tidy"}}

