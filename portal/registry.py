"""The one list of service apps.

A service app (complaints, innovation plans, e-services, ...) subclasses `ServiceAppConfig` in its `apps.py` and
declares there, in one place, everything the portal needs to know about it:

    class ComplaintsConfig(ServiceAppConfig):
        name = "complaints"
        verbose_name = _("เรื่องร้องเรียน")
        root_url_module = "complaints.root_urls"     # webhooks, QR photos (outside /<org>/)
        api_url_module = "complaints.api.urls"       # registers viewsets on portal.api.viewsets.router
        role_permissions = {                         # model -> role -> actions; unlisted models: nothing
            "complaint": STANDARD,
            "holiday": {Role.ADMINISTRATOR: VIEW},
        }

        def service_links(self, organization): ...   # links on the organization's home page
        service_links_models = ("Category",)         # its models whose rows decide those links
        def load_demo(self, organization, *, stdout=None): ...
        def data_feeds(self): ...                      # open-data feeds (aggregates only)
        def staff_notices(self, request): ...          # "needs attention" lines on the staff dashboard
        def staff_home(self, request): ...             # panels of the person's own work queue on the admin index
        def setup_checks(self, organization): ...      # items of the administrators' set-up checklist
        def open311_provider(self): ...                # its services in Open311 GeoReport v2 (portal.open311)
        def setup_steps(self): ...                     # its steps of the clerk's set-up wizard (portal.onboarding)

`portal.urls` includes the URL modules, `portal.access.permissions` reads `role_permissions`, the organization home page
reads `service_links`, `manage.py load_demo` calls `load_demo` (in `demo_order`), the open-data app reads
`data_feeds()`, the staff dashboard (the admin index) shows every app's `staff_home` panels, `setup_checks` (to the organization's
administrators) and `staff_notices`, the Open311 gateway asks
every app's `open311_provider()`, and the clerk's set-up wizard lists every switched-on app's `setup_steps()` after
its own steps. Nothing else keeps a
list of apps: an app is in the portal when it is in INSTALLED_APPS with a ServiceAppConfig.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import util

from django.apps import AppConfig, apps

_DEFAULT = object()


@dataclass(frozen=True)
class FeedField:
    """One column of an open-data feed. `type` is one of text, integer, numeric, date, month."""

    name: str
    type: str
    unit: str = ""
    description: str = ""

    TYPES = ("text", "integer", "numeric", "date", "month")

    def __post_init__(self):
        if self.type not in self.TYPES:
            raise ValueError(f"FeedField {self.name!r}: type must be one of {self.TYPES}, not {self.type!r}")


@dataclass(frozen=True)
class DataFeed:
    """A live open-data feed: aggregates computed per organization, never personal data."""

    name: str
    title: str
    description: str
    fields: tuple[FeedField, ...]
    rows: Callable[..., Iterable[dict]]
    category: str = ""
    tags: tuple[str, ...] = ()
    update_frequency_unit: str = "วัน"  # a thai-gdc value: วัน, สัปดาห์, เดือน, ไตรมาส, ปี, ...
    update_frequency_interval: int = 1
    app_label: str = ""
    # The models its rows are read from ("app_label.Model"): the live refresh runs for an organization only after a
    # row of one of them changed there (portal.machinery.changes). A feed that names none is refreshed every time.
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShownOnce:
    """What a set-up step shows the clerk once, right after saving, and never again (a secret generated for them):
    the wizard answers the save with a page that shows it, marked not to be cached, instead of moving on."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class SetupStep:
    """One step a service app adds to the organization's set-up wizard (portal.onboarding), shown only when the
    clerk has switched the app's service on.

    name        unique within the app; the step's address is /setup/<app label>-<name>/
    title       the step's heading and its name in the progress list (lazy Thai)
    form_class  a Form built as form_class(data, files, organization=organization); a blank form shows what the
                organization has now (coming back to a step shows what was saved)
    save        save(*, organization, form, actor) -> ShownOnce | None: writes through the app's services, naming
                `actor` in the audit rows, inside the wizard's transaction (the step is marked done in the same one);
                a ValidationError it raises goes back to the clerk on the form, with a 400, nothing saved
    """

    name: str
    title: str
    form_class: type
    save: Callable[..., ShownOnce | None]
    app_label: str = ""

    @property
    def key(self) -> str:
        return f"{self.app_label}-{self.name}"


class ServiceAppConfig(AppConfig):
    """Base AppConfig of every service app; see the module docstring for what each attribute means.

    url_module        public pages, included under /<org_slug>/ (the module sets app_name); defaults to
                      "<app>.urls" when that module exists, None for none
    root_url_module   routes outside /<org_slug>/ (webhooks, /opendata/ ...)
    api_url_module    module that registers viewsets on portal.api.viewsets.router
    role_permissions  model_name -> {Role value -> {"view", "add", "change", "delete"}}. Fail closed: a model
                      that is not listed gives nothing to anyone but superusers; there is no default entry
                      (a key that is not one of the app's models is refused at start-up: portal.checks).
    demo_order        order of load_demo across apps (open data last)
    audit_events      the audit events the app's services record, each with its label (portal.audit.events)
    service_links_models  names of the app's models (with an `organization` key) whose rows decide what
                      `service_links` offers; saving or deleting one forgets that organization's rendered home
                      page (portal.web.front_door)
    """

    # Not a candidate itself when Django picks the AppConfig of an apps.py that imports this class; every
    # subclass is (see __init_subclass__), so `from portal.registry import ServiceAppConfig` is safe there.
    default = False

    url_module: str | None = _DEFAULT  # type: ignore[assignment]
    root_url_module: str | None = None
    api_url_module: str | None = None
    role_permissions: dict[str, dict[str, set[str]]] = {}
    demo_order: int = 100
    audit_events: dict = {}  # "<app>.<thing>.<verb>" -> label shown in the audit log (portal.audit.events)
    service_links_models: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def __init__(self, app_name, app_module):
        super().__init__(app_name, app_module)
        if self.url_module is _DEFAULT:
            self.url_module = f"{self.name}.urls" if _exists(f"{self.name}.urls") else None

    def actions_for(self, model_name: str, role: str) -> frozenset[str]:
        """What `role` may do on `model_name` according to `role_permissions` (empty when not listed)."""
        return frozenset(self.role_permissions.get(model_name, {}).get(role, ()))

    def service_links(self, organization) -> list[dict]:
        """{"label", "url", "description"} dicts shown on the organization's home page."""
        return []

    def load_demo(self, organization, *, stdout=None) -> list[tuple[str, str]]:
        """Create demo data for one organization (idempotent); return the (username, description) logins created."""
        return []

    def data_feeds(self) -> list[DataFeed]:
        return []

    def fake_rows_copied(self, organizations, new_pks) -> None:
        """`manage.py make_fake_organizations` (the benchmark data set) copied the demo organization's rows to
        `organizations`; `new_pks` maps each copied model to {template pk: [new pks]}. Derive here what the app
        computes from its rows rather than copies (open data: each dataset's search words)."""

    def open311_provider(self):
        """A `portal.open311.providers.Provider` publishing this app's services in Open311, or None."""
        return None

    def staff_notices(self, request) -> list[dict]:
        """{"message", "url", "link_text"} dicts: what needs the signed-in staff member's attention, counted over
        the organizations they work for only (shown on the admin index)."""
        return []

    def setup_checks(self, organization) -> list[dict]:
        """{"label", "done", "url"} items of the organization's set-up checklist (its administrators' admin home):
        what this app needs before citizens can use it."""
        return []

    def staff_home(self, request) -> list[dict]:
        """{"title", "html"} panels for the admin index: the signed-in person's own work queue in this app (due
        requests, reports to download, a set-up checklist), scoped like staff_notices."""
        return []

    def setup_steps(self) -> list[SetupStep]:
        """The app's steps of the clerk's set-up wizard, in order (kept in `<app>/setup.py`); see SetupStep."""
        return []


def _exists(module: str) -> bool:
    try:
        return util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package does not exist
        return False


def service_apps() -> list[ServiceAppConfig]:
    """The installed service apps, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, ServiceAppConfig)]


def data_feeds() -> list[DataFeed]:
    """Every service app's open-data feeds, each tagged with its app label; names are unique."""
    feeds, seen = [], {}
    for config in service_apps():
        for feed in config.data_feeds():
            if feed.name in seen:
                raise ValueError(f"data feed {feed.name!r} declared by {seen[feed.name]} and {config.label}")
            seen[feed.name] = config.label
            if not feed.app_label:
                feed = DataFeed(**{**feed.__dict__, "app_label": config.label})
            feeds.append(feed)
    return feeds


def setup_steps(off: Iterable[str] = ()) -> list[SetupStep]:
    """The wizard's steps of every service app not in `off` (app labels switched off), in INSTALLED_APPS order,
    each tagged with its app label."""
    off = set(off)
    steps = []
    for config in service_apps():
        if config.label in off:
            continue
        for step in config.setup_steps():
            steps.append(step if step.app_label else SetupStep(**{**step.__dict__, "app_label": config.label}))
    return steps


NOTICES_SECONDS = 60


def staff_notices(request) -> list[dict]:
    """Every service app's notices for the signed-in staff member, in INSTALLED_APPS order. Kept a minute per
    person and language: counting them over every organization of a large installation (a superuser's) cost half
    a second on each visit to the admin index, and a notice a minute late is still a notice."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    key = f"portal:staff-notices:{request.user.pk}:{get_language()}"
    notices = cache.get(key)
    if notices is None:
        notices = [{k: str(v) for k, v in notice.items()}
                   for config in service_apps() for notice in config.staff_notices(request)]
        cache.set(key, notices, NOTICES_SECONDS)
    return notices


WIDE_SCOPE_ORGANIZATIONS = 20


def staff_home(request) -> list[dict]:
    """Every service app's admin-index panels for the signed-in staff member, in INSTALLED_APPS order, after the
    set-up checklist of the organizations they administer. For someone whose work spans the installation (a
    superuser, or staff of more than WIDE_SCOPE_ORGANIZATIONS organizations) they are kept a minute per person and
    language, as the notices are: at 7,850 organizations their queues and counts cost 0.6 s on every visit to the
    admin index. A clerk of one organization sees their queue as it is now, after each thing they do."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    from portal.access.tenancy import user_org_ids

    def panels():
        return setup_checklist(request) + [p for config in service_apps() for p in config.staff_home(request)]

    user = request.user
    if not (user.is_superuser or len(user_org_ids(user, None)) > WIDE_SCOPE_ORGANIZATIONS):
        return panels()
    key = f"portal:staff-home:{user.pk}:{get_language()}"
    kept = cache.get(key)
    if kept is None:
        # the HTML stays marked safe through the cache; the panels hold links and GET forms only (no CSRF token)
        kept = [{"title": str(p["title"]), "html": p["html"]} for p in panels()]
        cache.set(key, kept, NOTICES_SECONDS)
    return kept


SETUP_CHECKLIST_ORGANIZATIONS = 5


def setup_checklist(request) -> list[dict]:
    """Administrators' admin home: per organization they administer, the set-up steps still open (the core's own
    and every service app's `setup_checks`), each with a link to where it is done. Nothing once all are done."""
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.translation import gettext

    from portal.access.roles import Role
    from portal.access.tenancy import user_org_ids
    from portal.models import Membership, Organization

    org_ids = user_org_ids(request.user, [Role.ADMINISTRATOR])  # below permissions: active ones kept below
    panels = []
    administered = Organization.objects.filter(pk__in=org_ids, is_active=True).order_by("name_th")
    # Someone who administers many organizations (a province's team, a test installation) gets the checklists of the
    # first few and a link to the rest: each checklist costs queries of every service app.
    for organization in administered[:SETUP_CHECKLIST_ORGANIZATIONS]:
        checks = [
            {"label": gettext("ที่อยู่ โทรศัพท์ และอีเมลขององค์กร"),
             "done": bool(organization.address and organization.phone and organization.email),
             "url": reverse("admin:portal_organization_change", args=[organization.pk])},
            {"label": gettext("หน่วยงาน (กอง/สำนัก) ขององค์กร"), "done": organization.departments.exists(),
             "url": reverse("admin:portal_department_changelist")},
            {"label": gettext("เจ้าหน้าที่ที่ดำเนินการเรื่องได้ (บทบาทเจ้าหน้าที่)"),
             "done": Membership.objects.filter(organization=organization, role=Role.OFFICER).exists(),
             "url": reverse("admin:portal_membership_changelist")},
        ]
        for config in service_apps():
            checks += config.setup_checks(organization)
        if all(c["done"] for c in checks):
            continue
        panels.append({"title": gettext("ตั้งค่าองค์กรให้พร้อมใช้งาน: %(org)s") % {"org": organization.name_th},
                       "html": render_to_string("admin/setup_checklist.html", {"checks": checks}, request=request)})
    more = administered.count() - SETUP_CHECKLIST_ORGANIZATIONS if len(org_ids) > SETUP_CHECKLIST_ORGANIZATIONS else 0
    if more > 0:
        panels.append({"title": gettext("องค์กรอื่นที่คุณดูแล"),
                       "html": render_to_string("admin/setup_checklist_more.html", {"more": more}, request=request)})
    return panels
