"""The one list of service apps.

A service app (complaints, innovation plans, e-services, ...) subclasses `ServiceAppConfig` in its `apps.py` and
declares there, in one place, everything the portal needs to know about it:

    class ComplaintsConfig(ServiceAppConfig):
        name = "complaints"
        verbose_name = _("เรื่องร้องเรียน")
        root_url_module = "complaints.root_urls"     # /open311/..., webhooks (outside /<org>/)
        api_url_module = "complaints.api.urls"       # registers viewsets on portal.api.viewsets.router
        role_permissions = {                         # model -> role -> actions; unlisted models: nothing
            "complaint": STANDARD,
            "holiday": {Role.ADMINISTRATOR: VIEW},
        }

        def service_links(self, organization): ...   # links on the organization's home page
        def load_demo(self, organization, *, stdout=None): ...
        def data_feeds(self): ...                      # open-data feeds (aggregates only)
        def staff_notices(self, request): ...          # "needs attention" lines on the staff dashboard

`portal.urls` includes the URL modules, `portal.access.permissions` reads `role_permissions`, the organization home page
reads `service_links`, `manage.py load_demo` calls `load_demo` (in `demo_order`), the open-data app reads
`data_feeds()` and the staff dashboard (the admin index) shows every app's `staff_notices`. Nothing else keeps a
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


class ServiceAppConfig(AppConfig):
    """Base AppConfig of every service app; see the module docstring for what each attribute means.

    url_module        public pages, included under /<org_slug>/ (the module sets app_name); defaults to
                      "<app>.urls" when that module exists, None for none
    root_url_module   routes outside /<org_slug>/ (webhooks, /open311/, /opendata/ ...)
    api_url_module    module that registers viewsets on portal.api.viewsets.router
    role_permissions  model_name -> {Role value -> {"view", "add", "change", "delete"}}. Fail closed: a model
                      that is not listed gives nothing to anyone but superusers. Key "*" is the default for the
                      app's models not listed.
    demo_order        order of load_demo across apps (open data last)
    """

    # Not a candidate itself when Django picks the AppConfig of an apps.py that imports this class; every
    # subclass is (see __init_subclass__), so `from portal.registry import ServiceAppConfig` is safe there.
    default = False

    url_module: str | None = _DEFAULT  # type: ignore[assignment]
    root_url_module: str | None = None
    api_url_module: str | None = None
    role_permissions: dict[str, dict[str, set[str]]] = {}
    demo_order: int = 100

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
        table = self.role_permissions.get(model_name)
        if table is None:
            table = self.role_permissions.get("*", {})
        return frozenset(table.get(role, ()))

    def service_links(self, organization) -> list[dict]:
        """{"label", "url", "description"} dicts shown on the organization's home page."""
        return []

    def load_demo(self, organization, *, stdout=None) -> list[tuple[str, str]]:
        """Create demo data for one organization (idempotent); return the (username, description) logins created."""
        return []

    def data_feeds(self) -> list[DataFeed]:
        return []

    def staff_notices(self, request) -> list[dict]:
        """{"message", "url", "link_text"} dicts: what needs the signed-in staff member's attention, counted over
        the organizations they work for only (shown on the admin index)."""
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


def staff_notices(request) -> list[dict]:
    """Every service app's notices for the signed-in staff member, in INSTALLED_APPS order."""
    return [notice for config in service_apps() for notice in config.staff_notices(request)]
