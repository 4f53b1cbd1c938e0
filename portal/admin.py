from auditlog.admin import LogEntryAdmin as BaseLogEntryAdmin
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import services
from .admin_forms import MembershipForm
from .admin_mixins import ScopedModelAdmin
from .models import Department, Membership, Notification, Organization
from .tenancy import user_org_ids

admin.site.site_header = _("ระบบเจ้าหน้าที่ พอร์ทัลท้องถิ่น")
admin.site.site_title = _("พอร์ทัลท้องถิ่น")
admin.site.index_title = _("งานของเจ้าหน้าที่")

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
    form = MembershipForm
    list_display = ["user", "role", "organization", "department"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "organization", "department"]

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class ScopedForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, request_user=request.user, **kw)

        return ScopedForm

    def get_fieldsets(self, request, obj=None):
        account = (_("บัญชีใหม่"), {"fields": ["new_username", "new_password", "first_name", "last_name"]})
        role = (None, {"fields": ["organization", "role", "department", "user"]})
        return [role, account] if obj is None else [role]

    def save_model(self, request, obj, form, change):
        # Every role change goes through the service: protected roles (legal officer, executive) only from a
        # superuser, audited, and announced to the organization's legal officers.
        data = form.cleaned_data
        if change or not data.get("new_username"):
            services.save_membership(membership=obj, granted_by=request.user)
            return
        membership = services.add_staff_member(
            organization=data["organization"], role=data["role"], department=data.get("department"),
            username=data["new_username"], password=data["new_password"], first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""), granted_by=request.user)
        obj.pk = membership.pk
        obj.user = membership.user


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
        qs = qs.filter(additional_data__organization_id__in=list(user_org_ids(request.user)))
        # Rows some readers may not see (corruption reports: only their legal officers and executives) hide their
        # audit entries too: a model says which through `audit_hidden_ids(user)`.
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType

        for model in apps.get_models():
            hidden = getattr(model, "audit_hidden_ids", None)
            if hidden is None or model._meta.proxy:
                continue
            family = [model, *(m for m in apps.get_models() if m._meta.proxy and m._meta.concrete_model is model)]
            types = ContentType.objects.get_for_models(*family, for_concrete_models=False)
            qs = qs.exclude(content_type__in=list(types.values()), object_id__in=hidden(request.user))
        return qs

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404
