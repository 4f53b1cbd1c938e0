"""List filters of the complaint admins: overdue, department queue, category, reopen requests."""

from django.contrib import admin
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from portal.access.tenancy import user_org_ids
from portal.admin import mixins as admin_mixins
from portal.models import Department, Membership, Organization

from .. import workflow
from ..models import Category


class OverdueFilter(admin_mixins.OverdueFilter):
    open_states = workflow.OPEN_STATES
    deadline_field = "sla_deadline"


# Beyond this many organizations (a superuser, an auditor of a province) the category and department filters
# offer each kind once, by its code (every organization's "road", every "works" division), instead of one entry per
# organization's row: 78,500 categories made the list page of an installation of 7,850 organizations 14 MB.
WIDE = 20


def wide(request) -> bool:
    if not hasattr(request, "_complaints_wide"):
        request._complaints_wide = (Organization.objects.count() > WIDE if request.user.is_superuser
                                    else len(user_org_ids(request.user)) > WIDE)
    return request._complaints_wide


CODES_SECONDS = 300


def _by_code(model, request):
    """[(code, name)] of the rows the user sees, one per code (the name of the first organization's row). Grouping
    78,500 rows costs a tenth of a second: the list is kept for a few minutes (a new kind of category shows up in
    the filter that much later; the rows themselves are always current)."""
    from django.core.cache import cache

    key = f"complaints:filter-codes:{model._meta.model_name}:" + (
        "all" if request.user.is_superuser else str(request.user.pk))
    names = cache.get(key)
    if names is None:
        rows = model.objects.order_by()
        if not request.user.is_superuser:
            rows = rows.filter(organization__in=user_org_ids(request.user))
        names = dict(rows.values_list("code").annotate(name=Min("name_th")))
        cache.set(key, names, CODES_SECONDS)
    return [(f"code:{code}", name) for code, name in sorted(names.items(), key=lambda pair: pair[1])]


class DepartmentQueueFilter(admin.SimpleListFilter):
    title = _("คิวหน่วยงาน")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        choices = [("mine", _("หน่วยงานของฉัน")), ("none", _("ยังไม่ระบุ"))]
        if wide(request):
            return choices + _by_code(Department, request)
        departments = Department.objects.select_related("parent")
        if not request.user.is_superuser:
            departments = departments.filter(organization__in=user_org_ids(request.user))
        return choices + [(str(d.pk), str(d)) for d in departments]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            mine = Membership.objects.filter(user=request.user, department__isnull=False).values("department")
            return queryset.filter(department__in=mine)
        if value == "none":
            return queryset.filter(department__isnull=True)
        if value and value.isdigit():
            return queryset.filter(department_id=int(value))
        if value and value.startswith("code:"):
            return queryset.filter(department__code=value[5:])
        return queryset


class CategoryFilter(admin.SimpleListFilter):
    title = _("ประเภทเรื่อง")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        if wide(request):
            return _by_code(Category, request)
        cats = Category.objects.all()
        if not request.user.is_superuser:
            cats = cats.filter(organization__in=user_org_ids(request.user))
        return [(str(c.pk), c.name) for c in cats]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value.startswith("code:"):
            return queryset.filter(category__code=value[5:])
        return queryset.filter(category_id=int(value)) if value.isdigit() else queryset


class ReopenRequestFilter(admin.SimpleListFilter):
    title = _("ขอเปิดเรื่องใหม่")
    parameter_name = "reopen"

    def lookups(self, request, model_admin):
        return [("yes", _("ผู้แจ้งไม่พอใจ"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(rating__reopen_requested=True).exclude(status=workflow.Status.REOPENED)
        return queryset
