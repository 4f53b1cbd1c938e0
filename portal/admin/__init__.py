"""Staff screens of the shared core: organizations, departments, memberships, the outbox and the audit log. Beside
them, the pieces every app's admin is built from: `mixins` (tenancy, audited saves, list columns), `dates`
(Buddhist-era dates in every admin page) and `forms`."""

from auditlog.admin import LogEntryAdmin as BaseLogEntryAdmin
from auditlog.filters import CIDFilter, ResourceTypeFilter
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.render import get_field_verbose_name
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import services
from portal.access.permissions import organization_ids_for
from portal.admin.forms import MembershipForm
from portal.admin.mixins import ScopedModelAdmin, ServiceSavesMixin
from portal.admin.onboarding import OrganizationActivationMixin
from portal.audit import events
from portal.models import Department, Holiday, Membership, Notification, Organization, OrganizationHost
from portal.open311 import admin as open311_admin  # noqa: F401  (registers the Open311 API keys)

admin.site.site_header = _("ระบบเจ้าหน้าที่ พอร์ทัลท้องถิ่น")
admin.site.site_title = _("พอร์ทัลท้องถิ่น")
admin.site.index_title = _("งานของเจ้าหน้าที่")

for model in (Organization, Department, Membership, OrganizationHost):
    auditlog.register(model)


@admin.register(Organization)
class OrganizationAdmin(OrganizationActivationMixin, ScopedModelAdmin):
    list_display = ["name_th", "kind", "district", "province", "code_prefix", "is_active"]
    list_filter = ["kind", "province", "is_active"]
    search_fields = ["name_th", "name_en", "district", "province", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(OrganizationHost)
class OrganizationHostAdmin(ScopedModelAdmin):
    """Host names are accepted as ALLOWED_HOSTS (portal.web.hosts): no staff role may add one, only the
    installation's superusers."""

    list_display = ["host", "organization", "created_at"]
    search_fields = ["host", "organization__name_th", "organization__slug"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]


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


@admin.register(Holiday)
class HolidayAdmin(ServiceSavesMixin, admin.ModelAdmin):
    """One calendar for the whole installation (not per organization): superusers edit it, administrators read it."""

    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


admin.site.unregister(LogEntry)


def model_label(content_type) -> str:
    """"กรรมการ" rather than the content type's internal name "committeemember"."""
    model = content_type.model_class()
    return str(capfirst(model._meta.verbose_name)) if model is not None else content_type.model


class ModelNameFilter(ResourceTypeFilter):
    """The library lists record types by internal model name; staff read the model's own (translated) name."""

    title = _("ประเภทข้อมูล")

    def lookups(self, request, model_admin):
        ids = model_admin.get_queryset(request).values_list("content_type_id", flat=True).distinct().order_by()
        types = [ContentType.objects.get_for_id(pk) for pk in set(ids)]  # cached per id by Django
        return sorted(((ct.pk, model_label(ct)) for ct in types), key=lambda item: item[1])


class RequestIdFilter(CIDFilter):
    title = _("รหัสคำขอ")


@admin.register(LogEntry)
class ScopedLogEntryAdmin(BaseLogEntryAdmin):
    """Staff see the audit trail of their own organizations only (tagged through get_additional_data).

    The column headings, the action names and the record types are written in the staff member's language
    (the library's own are English and name models by their internal names)."""

    list_display = ["created", "resource_url", "event", "action", "msg_short", "user_url", "cid_url"]
    list_filter = ["action", ModelNameFilter, RequestIdFilter]
    readonly_fields = ["created", "resource_url", "event", "action", "user_url", "msg"]
    fieldsets = [
        (None, {"fields": ["created", "user_url", "resource_url", "cid"]}),
        (_("การเปลี่ยนแปลง"), {"fields": ["event", "action", "msg"]}),
    ]

    @admin.display(description=_("เหตุการณ์"))
    def event(self, obj):
        """The registered event's label in the staff member's language, never its internal name; rows the
        library wrote by itself (no event) show nothing here."""
        name = (obj.additional_data or {}).get("event", "") if isinstance(obj.additional_data, dict) else ""
        return events.label(name) or name

    @admin.display(description=_("เวลา"), ordering="timestamp")
    def created(self, obj):
        return super().created(obj)

    @admin.display(description=_("ผู้ทำรายการ"))
    def user_url(self, obj):
        return super().user_url(obj) if obj.actor else _("ระบบ")

    @admin.display(description=_("ข้อมูลที่เปลี่ยน"))
    def resource_url(self, obj):
        from django.urls import NoReverseMatch, reverse

        label = model_label(obj.content_type)
        try:
            link = reverse(f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change",
                           args=[obj.object_pk if obj.object_id is None else obj.object_id])
        except NoReverseMatch:
            return f"{label}: {obj.object_repr}"
        return format_html('<a href="{}">{}: {}</a>', link, label, obj.object_repr)

    @admin.display(description=_("การเปลี่ยนแปลง"))
    def msg_short(self, obj):
        if obj.action in (LogEntry.Action.DELETE, LogEntry.Action.ACCESS):
            return ""
        changes = obj.changes_dict
        names = ", ".join(str(get_field_verbose_name(obj, field)) for field in changes)
        if len(names) > 75:
            names = names[:names.rfind(",", 0, 75)] + " …"
        return ngettext("%(n)s ช่อง: %(fields)s", "%(n)s ช่อง: %(fields)s", len(changes)) % {
            "n": len(changes), "fields": names}

    @admin.display(description=_("การเปลี่ยนแปลง"))
    def msg(self, obj):
        return super().msg(obj)

    @admin.display(description=_("รหัสคำขอ"))
    def cid_url(self, obj):
        return super().cid_url(obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        qs = qs.filter(additional_data__organization_id__in=list(organization_ids_for(request.user)))
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
