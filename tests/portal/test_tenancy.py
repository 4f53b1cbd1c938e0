"""Tenancy, tested generically for every app: staff of one organization never see or change another's rows.

Rows come from `TENANCY_FACTORIES = {Model: callable(organization) -> saved instance}` in each
tests/<app>/factories.py, which must cover EVERY model that declares `organization_path` (a model nobody can build
fails `test_every_organization_owned_model_has_a_tenancy_factory`: it is not skipped). A factories module may also
name `TENANCY_PUBLIC_MODELS`: rows citizens see by design; every other factory row must stay out of public viewsets
(so build unpublished rows: a draft plan, an internal note).

Walked here, for two organizations A ("mine") and B ("theirs"):
* positive controls: A's staff see A's rows in every admin list, change page and staff API list;
* every admin URL (change, history, delete, custom URLs of get_urls()) with B's ids: 403/404, nothing changed;
* every admin action of every app with B's ids, by a user who is staff in A and an auditor in B (B's rows are
  visible to her): nothing in the database changed and no notification queued;
* every API route (detail, PUT/PATCH/DELETE, @action routes) with B's ids: 403/404/405, nothing changed;
* public viewsets: B's unpublished rows are 404 for anonymous callers and for A's staff.
"""

import uuid
from importlib import import_module, util

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import helpers
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, reverse

from portal.access.permissions import can_in_organization
from portal.api.viewsets import router
from portal.models import Membership, Notification, Role
from tests.conftest import isolated_settings
from tests.portal.factories import staff

DENIED = {403, 404}
ROLES = [Role.ADMINISTRATOR, Role.OFFICER, Role.AUDITOR, Role.LEGAL_OFFICER, Role.EXECUTIVE]
STANDARD_ADMIN_VIEWS = {"changelist", "add", "history", "delete", "change", "autocomplete"}


def _factories_modules():
    for config in apps.get_app_configs():
        name = f"tests.{config.label}.factories"
        try:
            found = util.find_spec(name)
        except ModuleNotFoundError:
            found = None
        if found:
            yield import_module(name)


def tenancy_factories() -> dict:
    result = {}
    for module in _factories_modules():
        result.update(getattr(module, "TENANCY_FACTORIES", {}))
    return result


def public_models() -> set:
    return set().union(*(getattr(m, "TENANCY_PUBLIC_MODELS", set()) for m in _factories_modules()))


def org_owned_models():
    return [m for m in apps.get_models() if hasattr(m, "organization_path")]


def test_every_organization_owned_model_has_a_tenancy_factory():
    covered = tenancy_factories()
    missing = [m._meta.label for m in org_owned_models() if m not in covered]
    assert not missing, f"add these models to TENANCY_FACTORIES in tests/<app>/factories.py: {missing}"


def _build(organization) -> dict:
    return {model: make(organization) for model, make in tenancy_factories().items()}


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both organizations' rows of every model, built once for the module (three seconds a time, for 22 tests) in
    a transaction rolled back at its end, as Django's TestCase.setUpTestData does: each test runs inside it and its
    own changes are rolled back to a savepoint (pytest-django's `db`)."""
    from tests.portal.factories import OrganizationFactory

    built_in = isolated_settings(tmp_path_factory.mktemp("tenancy"))
    with django_db_blocker.unblock(), override_settings(**built_in), transaction.atomic():
        mine, theirs = OrganizationFactory(), OrganizationFactory()
        rows = {"mine": _build(mine), "theirs": _build(theirs)}
        for side in rows.values():
            for model, obj in side.items():
                assert obj is not None and obj.pk is not None, \
                    f"TENANCY_FACTORIES[{model._meta.label}] built nothing"
        yield mine.pk, theirs.pk, rows, built_in
        transaction.set_rollback(True)


@pytest.fixture
def tenants(_built, db, settings):
    from portal.models import Organization

    mine, theirs, rows, built_in = _built
    # the files the factories wrote, where this test's storage looks for them
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = built_in["MEDIA_ROOT"], built_in["PRIVATE_MEDIA_ROOT"]
    # fresh instances: a test that changes its organization in memory must not hand the change to the next one
    return Organization.objects.get(pk=mine), Organization.objects.get(pk=theirs), rows


def _as(organization, role, **extra_roles):
    user = staff(organization, role)
    for org, extra in extra_roles.values():
        Membership.objects.create(user=user, organization=org, role=extra)
    client = Client()
    client.force_login(user)
    return user, client


def _snapshot():
    """Every row of every project model (the audit log of reads aside), to prove nothing changed."""
    from portal.registry import service_apps

    labels = {"portal", "auth"} | {config.label for config in service_apps()}
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in labels and not model._meta.proxy:
            state[model._meta.label] = sorted(map(repr, model._default_manager.order_by("pk").values()))
    return state


def _diff(before, after):
    return [label for label in before if before[label] != after.get(label)]


def _registered():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if hasattr(model, "organization_path")]


def _viewer_role(model, organization):
    """A role that may view `model` in `organization` (None: nobody but superusers)."""
    for role in ROLES:
        if can_in_organization(_FakeUser({role: {organization.pk}}), "view", model, organization.pk):
            return role
    return None


class _FakeUser:
    is_active = True
    is_superuser = False
    is_authenticated = True

    def __init__(self, roles):
        self._portal_roles = roles


# --- positive controls ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_staff_see_their_own_organizations_rows_in_the_admin(tenants):
    mine, _theirs, rows = tenants
    seen = 0
    for model, _model_admin in _registered():
        role = _viewer_role(model, mine)
        if role is None:
            continue
        obj = rows["mine"][model]
        _user, client = _as(mine, role)
        info = model._meta.app_label, model._meta.model_name
        listing = client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        assert listing.status_code == 200, (model, role, listing.status_code)
        change_url = reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
        assert change_url in listing.content.decode(), (model._meta.label, role, "own row missing from the list")
        assert client.get(change_url).status_code == 200, (model._meta.label, role)
        seen += 1
    assert seen >= 10


@pytest.mark.django_db
def test_staff_see_their_own_organizations_rows_in_the_api(tenants):
    mine, _theirs, rows = tenants
    _user, client = _as(mine, Role.ADMINISTRATOR)
    seen = 0
    for _prefix, viewset, basename in router.registry:
        model = viewset.queryset.model if viewset.queryset is not None else None
        if model not in rows["mine"]:
            continue
        obj = rows["mine"][model]
        url = _detail_url(basename, viewset, obj)
        if url is None:
            continue
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        seen += 1
    assert seen >= 3


# --- admin -------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_urls_refuse_other_organizations_objects(tenants, role):
    mine, theirs, rows = tenants
    _user, client = _as(mine, role)
    checked = 0
    before = _snapshot()  # once for the whole walk: a snapshot of every table costs more than the requests
    for model, model_admin in _registered():
        obj = rows["theirs"][model]
        info = model._meta.app_label, model._meta.model_name
        changelist = client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        for view in ("change", "history", "delete"):
            url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk])
            response = client.get(url)
            assert response.status_code in DENIED, (url, response.status_code)
            checked += 1
        assert client.post(reverse(f"admin:{info[0]}_{info[1]}_delete", args=[obj.pk]),
                           {"post": "yes"}).status_code in DENIED
        assert client.post(reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk]),
                           {}).status_code in DENIED
        for url in _custom_admin_urls(model_admin, obj, theirs):
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in DENIED | {405}, (method, url, response.status_code)
                checked += 1
        if changelist.status_code == 200:
            change_url = reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
            assert change_url not in changelist.content.decode(), (model, obj.pk)
    assert _diff(before, _snapshot()) == []  # the tables any refused request wrote to
    assert checked > 0


def _custom_admin_urls(model_admin, obj, organization):
    """The ModelAdmin's own URLs (get_urls beyond Django's), with `obj`'s id (or its organization's) filled in."""
    urls = []
    for pattern in model_admin.get_urls():
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        if pattern.name.rsplit("_", 1)[-1] in STANDARD_ADMIN_VIEWS:
            continue
        converters = pattern.pattern.converters
        if not converters:
            continue
        kwargs = {name: _url_value(name, converter, obj, organization) for name, converter in converters.items()}
        urls.append(reverse(f"admin:{pattern.name}", kwargs=kwargs))
    return urls


def _url_value(name, converter, obj, organization):
    """The id a custom admin URL takes: the organization's, a background job's of that organization (a uuid),
    or the row's own."""
    from django.urls.converters import UUIDConverter

    if isinstance(converter, UUIDConverter):
        from portal.models import BackgroundJob

        return BackgroundJob.objects.filter(organization=organization).values_list("uuid", flat=True).first() \
            or uuid.uuid4()
    return organization.pk if "org" in name else obj.pk


@pytest.mark.django_db
def test_custom_admin_urls_are_walked(tenants):
    _mine, theirs, rows = tenants
    walked = [url for model, model_admin in _registered()
              for url in _custom_admin_urls(model_admin, rows["theirs"][model], theirs)]
    assert any(url.endswith("/act/") for url in walked), walked
    assert any("map.json" in url for url in walked), walked


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_admin_action_with_other_organizations_ids_changes_nothing(tenants, role):
    """The user is `role` in A and only an auditor in B, so B's rows are in her lists: the action must still not
    touch them (the user of the original report held an officer role in A)."""
    mine, theirs, rows = tenants
    user, client = _as(mine, role, b=(theirs, Role.AUDITOR))
    walked = 0
    before, outbox = _snapshot(), Notification.objects.count()  # once for the whole walk, as above
    for model, model_admin in _registered():
        info = model._meta.app_label, model._meta.model_name
        request = _request_for(user)
        for name, (func, _action, _label) in model_admin.get_actions(request).items():
            permissions = getattr(func, "allowed_permissions", None) or ("change",)
            if all(p == "view" for p in permissions):
                continue  # read-only actions (exports, QR sheets): reading B's rows as B's auditor is allowed
            response = client.post(reverse(f"admin:{info[0]}_{info[1]}_changelist"), {
                "action": name, helpers.ACTION_CHECKBOX_NAME: [str(rows["theirs"][model].pk)], "index": "0",
                "post": "yes"})
            assert response.status_code in {302, 403, 404}, (model._meta.label, name, response.status_code)
            assert Notification.objects.count() == outbox, (model._meta.label, name)
            walked += 1
    assert _diff(before, _snapshot()) == []  # the tables any refused action wrote to
    if role in (Role.ADMINISTRATOR, Role.OFFICER):
        assert walked >= 4  # bulk_accept, anonymise, route_to_..., plan transitions, delete_selected


@pytest.mark.django_db
def test_admin_actions_positive_control(tenants):
    """The same actions on A's own rows by A's administrator are not refused (the check is not "refuse all")."""
    mine, _theirs, rows = tenants
    user, client = _as(mine, Role.ADMINISTRATOR)
    refused = []
    for model, model_admin in _registered():
        info = model._meta.app_label, model._meta.model_name
        for name, (_func, _action, _label) in model_admin.get_actions(_request_for(user)).items():
            if name == "delete_selected":
                continue
            response = client.post(reverse(f"admin:{info[0]}_{info[1]}_changelist"), {
                "action": name, helpers.ACTION_CHECKBOX_NAME: [str(rows["mine"][model].pk)], "index": "0"})
            if response.status_code == 403:
                refused.append((model._meta.label, name))
    assert refused == []


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


# --- API ---------------------------------------------------------------------------------------------------------

def _detail_url(basename, viewset, obj, url_name="detail"):
    lookup = getattr(viewset, "lookup_field", "pk")
    value = getattr(obj, lookup)
    try:
        return reverse(f"{basename}-{url_name}",
                       kwargs={getattr(viewset, "lookup_url_kwarg", None) or lookup: value})
    except NoReverseMatch:
        return None


def _api_model(viewset):
    return viewset.queryset.model if getattr(viewset, "queryset", None) is not None else None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_routes_refuse_other_organizations_objects(tenants, role):
    """Reads with a role in A only; writes and @action routes also by a user who is an auditor in B."""
    mine, theirs, rows = tenants
    _user, only_mine = _as(mine, role)
    _user, also_auditor = _as(mine, role, b=(theirs, Role.AUDITOR))
    public = public_models()
    checked = 0
    before, outbox = _snapshot(), Notification.objects.count()  # once for the whole walk, as above
    for _prefix, viewset, basename in router.registry:
        model = _api_model(viewset)
        if model not in rows["theirs"]:
            continue
        obj = rows["theirs"][model]
        url = _detail_url(basename, viewset, obj)
        if url is None:
            continue
        if not (getattr(viewset, "public_read", False) and model in public):
            assert only_mine.get(url).status_code in DENIED, url
        for client in (only_mine, also_auditor):
            for method in ("put", "patch", "delete"):
                response = getattr(client, method)(url, data="{}", content_type="application/json")
                assert response.status_code in DENIED | {405}, (method, url, response.status_code)
            for extra in viewset.get_extra_actions():
                if not extra.detail:
                    continue
                action_url = _detail_url(basename, viewset, obj, extra.url_name)
                for method in set(extra.mapping) - {"get", "head", "options"}:
                    response = getattr(client, method)(action_url, data={"to_status": "accepted", "message": "x"},
                                                       content_type="application/json")
                    assert response.status_code in DENIED | {405}, (method, action_url, response.status_code)
                    checked += 1
        assert Notification.objects.count() == outbox, url
        checked += 1
    assert _diff(before, _snapshot()) == []  # the tables any refused call wrote to
    assert checked >= 3


@pytest.mark.django_db
def test_public_viewsets_hide_unpublished_rows_of_other_organizations(tenants):
    mine, _theirs, rows = tenants
    public = public_models()
    _user, staff_client = _as(mine, Role.ADMINISTRATOR)
    hidden = 0
    for _prefix, viewset, basename in router.registry:
        model = _api_model(viewset)
        if not getattr(viewset, "public_read", False) or model not in rows["theirs"] or model in public:
            continue
        url = _detail_url(basename, viewset, rows["theirs"][model])
        if url is None:
            continue
        for client in (Client(), staff_client):
            assert client.get(url).status_code == 404, url
        # positive control: the owner's staff reach their own unpublished row
        own = _detail_url(basename, viewset, rows["mine"][model])
        assert staff_client.get(own).status_code == 200, own
        hidden += 1
    assert hidden >= 2  # innovation plans and activities of a draft plan


@pytest.mark.django_db
def test_audit_log_entries_of_other_organizations_are_hidden(tenants):
    from auditlog.models import LogEntry

    mine, theirs, _rows = tenants
    theirs.phone = "099"
    theirs.save()
    entry = LogEntry.objects.filter(additional_data__organization_id=theirs.pk).first()
    assert entry is not None
    _user, client = _as(mine, Role.AUDITOR)
    assert client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).status_code in DENIED
    listing = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert listing.status_code == 200
    assert reverse("admin:auditlog_logentry_change", args=[entry.pk]) not in listing.content.decode()
