import pytest
from django.apps import apps
from django.urls import reverse

from portal import registry
from portal.access.permissions import can, require, role_actions
from portal.access.roles import Role
from portal.registry import DataFeed, FeedField, ServiceAppConfig, data_feeds, service_apps
from tests.portal.factories import staff


def test_existing_apps_are_service_apps_and_the_registry_is_the_only_list():
    labels = [config.label for config in service_apps()]
    assert "complaints" in labels and "innovation_plans" in labels
    assert "portal" not in labels
    import portal.access.permissions
    import portal.demo
    import portal.urls

    for module in (portal.urls, portal.access.permissions, portal.demo):
        assert not hasattr(module, "SERVICE_APPS") and not hasattr(module, "PROJECT_APPS")


def test_url_modules_come_from_the_config():
    config = apps.get_app_config("complaints")
    assert config.url_module == "complaints.urls"
    assert config.root_url_module == "complaints.root_urls"
    assert reverse("open311-services", kwargs={"fmt": "json"})  # root_url_module included


def test_role_permissions_fail_closed_for_unlisted_models(monkeypatch):
    config = apps.get_app_config("complaints")
    monkeypatch.setattr(config, "role_permissions", {"complaint": {Role.OFFICER: {"view"}}})
    assert role_actions("complaints", "complaint", Role.OFFICER) == {"view"}
    assert role_actions("complaints", "complaint", Role.ADMINISTRATOR) == set()
    assert role_actions("complaints", "asset", Role.ADMINISTRATOR) == set()  # not listed: nothing
    monkeypatch.setattr(config, "role_permissions", {"*": {Role.AUDITOR: {"view"}}})
    assert role_actions("complaints", "asset", Role.AUDITOR) == {"view"}


def test_apps_that_are_not_service_apps_give_nothing():
    assert role_actions("auth", "user", Role.ADMINISTRATOR) == set()
    assert role_actions("nosuchapp", "thing", Role.ADMINISTRATOR) == set()


@pytest.mark.parametrize("model,role,expected", [
    ("protectedcomplaint", Role.ADMINISTRATOR, set()),
    ("protectedcomplaint", Role.OFFICER, set()),
    ("protectedcomplaint", Role.LEGAL_OFFICER, {"view", "change"}),
    ("protectedcomplaint", Role.EXECUTIVE, {"view"}),
    ("complaint", Role.OFFICER, {"view", "add", "change"}),
    ("complaint", Role.ADMINISTRATOR, {"view", "add", "change", "delete"}),
    ("category", Role.OFFICER, {"view"}),
    ("holiday", Role.ADMINISTRATOR, {"view"}),
    ("complaintupdate", Role.AUDITOR, {"view"}),
])
def test_complaints_table_keeps_todays_behaviour(model, role, expected):
    assert role_actions("complaints", model, role) == expected


@pytest.mark.parametrize("model,role,expected", [
    ("plan", Role.LEGAL_OFFICER, {"view"}),
    ("plan", Role.OFFICER, {"view", "add", "change"}),
    ("evidencefile", Role.AUDITOR, {"view"}),
    ("reportjob", Role.ADMINISTRATOR, set()),
])
def test_innovation_plans_table_keeps_todays_behaviour(model, role, expected):
    assert role_actions("innovation_plans", model, role) == expected


@pytest.mark.django_db
def test_can_and_require_use_the_role_in_the_objects_own_organization(org, other_org):
    from django.core.exceptions import PermissionDenied

    user = staff(org, Role.OFFICER)
    staff_elsewhere = staff(other_org, Role.ADMINISTRATOR)
    assert can(user, "change", org) is False  # portal.organization: administrators only
    admin = staff(org, Role.ADMINISTRATOR)
    assert can(admin, "change", org)
    assert not can(staff_elsewhere, "change", org)
    with pytest.raises(PermissionDenied):
        require(staff_elsewhere, "change", org)
    require(admin, "change", org)
    require(None, "change", org)  # the system actor (task, command)


def test_data_feeds_collects_and_tags_feeds(monkeypatch):
    feed = DataFeed(name="x-feed", title="t", description="d", fields=(FeedField("month", "month"),),
                    rows=lambda organization: [])
    config = apps.get_app_config("complaints")
    monkeypatch.setattr(config, "data_feeds", lambda: [feed])
    feeds = [f for f in data_feeds() if f.name == "x-feed"]
    assert feeds and feeds[0].app_label == "complaints"
    monkeypatch.setattr(apps.get_app_config("innovation_plans"), "data_feeds", lambda: [feed])
    with pytest.raises(ValueError):
        data_feeds()


def test_feed_field_type_is_checked():
    with pytest.raises(ValueError):
        FeedField("a", "float")


def test_an_apps_py_importing_the_base_still_gets_its_own_config():
    assert type(apps.get_app_config("complaints")).__name__ == "ComplaintsConfig"
    assert registry.ServiceAppConfig.default is False
    assert issubclass(type(apps.get_app_config("innovation_plans")), ServiceAppConfig)


@pytest.mark.django_db
def test_home_page_links_and_demo_come_from_the_registry(org, monkeypatch):
    from portal.selectors import organization_services

    config = apps.get_app_config("complaints")
    monkeypatch.setattr(config, "service_links", lambda organization: [{"label": "L", "url": "/x/"}])
    assert {"label": "L", "url": "/x/"} in organization_services(org)

    calls = []
    for c in service_apps():
        monkeypatch.setattr(c, "load_demo", lambda organization, stdout=None, c=c: calls.append(c.label) or
                            [(f"{c.label}-login", "d")])
    from portal.demo import load_all

    logins = load_all()
    assert {"complaints", "innovation_plans"} <= set(calls)
    assert ("complaints-login", "d") in logins


def test_open311_keys_are_the_administrators_only():
    assert role_actions("portal", "apikey", Role.ADMINISTRATOR) == {"view", "add", "change", "delete"}
    assert role_actions("portal", "apikey", Role.OFFICER) == set()
    assert role_actions("complaints", "apikey", Role.ADMINISTRATOR) == set()
