"""`manage.py check` refuses an admin or API viewset that would show every organization's rows."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from rest_framework import viewsets

from complaints.models import Asset, Category
from portal import checks
from portal.admin.mixins import ScopedModelAdmin
from portal.api.viewsets import OrganizationScopedViewSetMixin, router


class UnscopedAssetAdmin(admin.ModelAdmin):
    pass


class DeclaredGlobalAdmin(admin.ModelAdmin):
    tenancy_global = "installation-wide catalogue kept by the operator"


@pytest.fixture
def swap_asset_admin():
    original = admin.site._registry[Asset]

    def swap(admin_class):
        admin.site.unregister(Asset)
        admin.site.register(Asset, admin_class)

    yield swap
    admin.site.unregister(Asset)
    admin.site._registry[Asset] = original


def test_project_as_shipped_passes():
    assert checks.admin_errors() == []
    assert checks.api_errors() == []
    call_command("check")


def test_unscoped_admin_fails_manage_py_check(swap_asset_admin):
    swap_asset_admin(UnscopedAssetAdmin)
    errors = checks.tenancy_check()
    assert [e.id for e in errors] == ["portal.E001"]
    assert "complaints.Asset" in errors[0].msg
    with pytest.raises(SystemCheckError, match="portal.E001"):
        call_command("check")


def test_explicitly_global_admin_is_accepted(swap_asset_admin):
    swap_asset_admin(DeclaredGlobalAdmin)
    assert checks.tenancy_check() == []


def test_scoped_admin_is_accepted(swap_asset_admin):
    swap_asset_admin(type("FineAssetAdmin", (ScopedModelAdmin,), {}))
    assert checks.tenancy_check() == []


def test_unscoped_inline_is_refused():
    from complaints.models import Complaint, ComplaintUpdate

    class BareInline(admin.TabularInline):
        model = ComplaintUpdate

    site = admin.AdminSite(name="check-test")
    site.register(Complaint, type("A", (ScopedModelAdmin,), {"inlines": [BareInline]}))
    assert [e.id for e in checks.admin_errors(site)] == ["portal.E002"]


class UnscopedCategoryViewSet(viewsets.ModelViewSet):
    queryset = Category.objects.all()


class PublicWritableViewSet(viewsets.ModelViewSet):
    queryset = Category.objects.all()
    public_read = True


class ScopedCategoryViewSet(OrganizationScopedViewSetMixin, viewsets.ModelViewSet):
    queryset = Category.objects.all()


def test_unscoped_viewset_fails_manage_py_check():
    router.registry.append(("bad-categories", UnscopedCategoryViewSet, "bad-category"))
    try:
        assert [e.id for e in checks.tenancy_check()] == ["portal.E003"]
        with pytest.raises(SystemCheckError, match="portal.E003"):
            call_command("check")
    finally:
        router.registry.pop()


def test_public_read_does_not_excuse_writes():
    registry = [("p", PublicWritableViewSet, "p"), ("s", ScopedCategoryViewSet, "s")]
    assert [e.obj for e in checks.api_errors(registry)] == [PublicWritableViewSet]
