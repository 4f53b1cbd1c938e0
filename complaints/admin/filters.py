"""List filters of the complaint admins: overdue, department queue, category, reopen requests."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.access.permissions import organization_ids_for
from portal.admin import mixins as admin_mixins
from portal.models import Department
from portal.selectors import own_departments

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
        departments = Department.objects.select_related("parent").filter(
            organization__in=organization_ids_for(request.user, "view", model_admin.model))
        return choices + [(str(d.pk), str(d)) for d in departments]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            mine = own_departments(request.user)
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
        cats = Category.objects.filter(organization__in=organization_ids_for(request.user, "view", model_admin.model))
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
