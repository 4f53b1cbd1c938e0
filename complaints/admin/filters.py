"""List filters of the complaint admins: overdue, department queue, category, reopen requests."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.access.tenancy import user_org_ids
from portal.admin import mixins as admin_mixins
from portal.models import Department, Membership

from .. import workflow
from ..models import Category


class OverdueFilter(admin_mixins.OverdueFilter):
    open_states = workflow.OPEN_STATES
    deadline_field = "sla_deadline"


class DepartmentQueueFilter(admin.SimpleListFilter):
    title = _("คิวหน่วยงาน")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        choices = [("mine", _("หน่วยงานของฉัน")), ("none", _("ยังไม่ระบุ"))]
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
        return queryset


class CategoryFilter(admin.SimpleListFilter):
    title = _("ประเภทเรื่อง")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        cats = Category.objects.all()
        if not request.user.is_superuser:
            cats = cats.filter(organization__in=user_org_ids(request.user))
        return [(str(c.pk), c.name) for c in cats]

    def queryset(self, request, queryset):
        return queryset.filter(category_id=int(self.value())) if (self.value() or "").isdigit() else queryset


class ReopenRequestFilter(admin.SimpleListFilter):
    title = _("ขอเปิดเรื่องใหม่")
    parameter_name = "reopen"

    def lookups(self, request, model_admin):
        return [("yes", _("ผู้แจ้งไม่พอใจ"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(rating__reopen_requested=True).exclude(status=workflow.Status.REOPENED)
        return queryset
