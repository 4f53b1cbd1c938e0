"""Every staff URL of the admin and the API, tried with another organization's object ids, is 403 or 404."""

from importlib import import_module, util

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from portal.api import router
from portal.models import Role
from portal.registry import service_apps
from tests.portal.factories import make_tenant_objects as make_portal_objects
from tests.portal.factories import staff

DENIED = {403, 404}


def _tenant_factories():
    makers = [make_portal_objects]
    for app in (config.label for config in service_apps()):
        try:
            found = util.find_spec(f"tests.{app}.factories")
        except ModuleNotFoundError:
            found = None
        if found:
            module = import_module(f"tests.{app}.factories")
            if hasattr(module, "make_tenant_objects"):
                makers.append(module.make_tenant_objects)
    return makers


def _objects_of(model, organization):
    path = model.organization_path
    return model._default_manager.filter(**{path: organization.pk if path == "pk" else organization})


@pytest.fixture
def two_orgs(org, other_org):
    for make in _tenant_factories():
        make(org)
        make(other_org)
    return org, other_org


ROLES = [Role.ADMINISTRATOR, Role.OFFICER, Role.AUDITOR, Role.LEGAL_OFFICER, Role.EXECUTIVE]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_urls_refuse_other_organizations_objects(two_orgs, role):
    mine, theirs = two_orgs
    client = Client()
    client.force_login(staff(mine, role))
    checked = 0
    for model in list(admin.site._registry):
        if not hasattr(model, "organization_path"):
            continue
        objects = list(_objects_of(model, theirs)[:3])
        assert objects, f"no {model._meta.label} for the other organization: extend make_tenant_objects"
        info = model._meta.app_label, model._meta.model_name
        changelist = client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        for obj in objects:
            for view in ("change", "history", "delete"):
                url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk])
                response = client.get(url)
                assert response.status_code in DENIED, (url, response.status_code)
                checked += 1
            url = reverse(f"admin:{info[0]}_{info[1]}_delete", args=[obj.pk])
            assert client.post(url, {"post": "yes"}).status_code in DENIED
            assert model._default_manager.filter(pk=obj.pk).exists()
            if changelist.status_code == 200:
                change_url = reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
                assert change_url not in changelist.content.decode(), (model, obj.pk)
    assert checked > 0


@pytest.mark.django_db
def test_audit_log_entries_of_other_organizations_are_hidden(two_orgs):
    mine, theirs = two_orgs
    theirs.phone = "099"
    theirs.save()
    entry = LogEntry.objects.filter(additional_data__organization_id=theirs.pk).first()
    assert entry is not None
    client = Client()
    client.force_login(staff(mine, Role.AUDITOR))
    assert client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).status_code in DENIED
    listing = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert listing.status_code == 200
    assert reverse("admin:auditlog_logentry_change", args=[entry.pk]) not in listing.content.decode()


def _detail_url(basename, viewset, obj):
    lookup = getattr(viewset, "lookup_field", "pk")
    value = getattr(obj, lookup if lookup != "pk" else "pk")
    try:
        return reverse(f"{basename}-detail", kwargs={getattr(viewset, "lookup_url_kwarg", None) or lookup: value})
    except NoReverseMatch:
        return None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_detail_urls_refuse_other_organizations_objects(two_orgs, role):
    mine, theirs = two_orgs
    client = Client()
    client.force_login(staff(mine, role))
    checked = 0
    for _prefix, viewset, basename in router.registry:
        model = viewset.queryset.model
        if not hasattr(model, "organization_path"):
            continue
        for obj in _objects_of(model, theirs)[:3]:
            url = _detail_url(basename, viewset, obj)
            if url is None:
                continue
            if not getattr(viewset, "public_read", False):
                assert client.get(url).status_code in DENIED, url
            for method in ("put", "patch", "delete"):
                response = getattr(client, method)(url, data="{}", content_type="application/json")
                assert response.status_code in DENIED | {405}, (method, url, response.status_code)
            checked += 1
    assert checked > 0
