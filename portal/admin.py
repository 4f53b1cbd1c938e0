from auditlog.admin import LogEntryAdmin as BaseLogEntryAdmin
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .admin_mixins import ScopedModelAdmin
from .models import Department, Membership, Notification, Organization
from .tenancy import user_org_ids

admin.site.site_header = _("ระบบเจ้าหน้าที่ พอร์ทัลท้องถิ่น / Local portal staff")
admin.site.site_title = _("พอร์ทัลท้องถิ่น / Local portal")
admin.site.index_title = _("งานของเจ้าหน้าที่ / Staff work")

for model in (Organization, Department, Membership):
    auditlog.register(model)


@admin.register(Organization)
class OrganizationAdmin(ScopedModelAdmin):
    list_display = ["name_th", "kind", "district", "province", "code_prefix", "is_active"]
    list_filter = ["kind", "province", "is_active"]
    search_fields = ["name_th", "name_en", "district", "province", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Department)
class DepartmentAdmin(ScopedModelAdmin):
    list_display = ["name_th", "name_en", "parent", "organization", "code"]
    list_filter = ["organization"]
    search_fields = ["name_th", "name_en", "code"]
    list_select_related = ["organization", "parent"]


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
    list_display = ["user", "role", "organization", "department"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "organization", "department"]
    autocomplete_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(ScopedModelAdmin):
    list_display = ["created_at", "event", "channel", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["recipient", "subject", "related_id"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class ScopedLogEntryAdmin(BaseLogEntryAdmin):
    """Staff see the audit trail of their own organizations only (tagged through get_additional_data)."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(additional_data__organization_id__in=list(user_org_ids(request.user)))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404
