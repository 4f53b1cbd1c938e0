"""Staff triage: queues by department, filters, nearby reports, QR sheets, and a separate corruption-report admin
that only legal officers and executives reach. The staff pages beside the model admins live in this package:
the one-form change page with its workflow actions (change_page), filing on a citizen's behalf (filing), the
dashboard (dashboard), exports (exports) and the list filters (filters)."""


from auditlog.registry import auditlog
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.access.permissions import organization_ids_for
from portal.admin.dates import be_display
from portal.admin.mixins import (
    ReadOnlyScopedInline,
    ScopedInlineMixin,
    ScopedModelAdmin,
    StaffChoiceField,
    date_column,
    deadline_column,
    person_column,
    staff_who_may_act,
    status_column,
)
from portal.models import Department, Role

from .. import selectors, services, workflow
from ..models import (
    Asset,
    Category,
    Complaint,
    ComplaintPhoto,
    ComplaintUpdate,
    ProtectedComplaint,
    Rating,
)
from . import filters
from .change_page import ChangePageActionsMixin
from .dashboard import DashboardMixin
from .exports import ExportActionsMixin
from .filing import FileOnBehalfMixin
from .filters import CategoryFilter, DepartmentQueueFilter, OverdueFilter, ReopenRequestFilter

PROTECTED_ROLES = (Role.LEGAL_OFFICER, Role.EXECUTIVE)
ASSIGNEE_ROLES = (Role.ADMINISTRATOR, Role.OFFICER)


@admin.register(Category)
class CategoryAdmin(ScopedModelAdmin):
    list_display = ["name_th", "name_en", "code", "department", "sla_days", "is_public", "is_protected", "is_active",
                    "organization"]
    list_filter = ["is_public", "is_protected", "is_active"]
    list_select_related = ["department__parent", "organization"]
    search_fields = ["name_th", "name_en", "code"]


@admin.action(description=_("พิมพ์สติกเกอร์ QR (PDF)"), permissions=["view"])
def print_qr_sheet(modeladmin, request, queryset):
    from ..qr import qr_sheet_pdf

    pdf = qr_sheet_pdf(request, queryset.select_related("organization").order_by("organization", "code"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="qr-stickers.pdf"'
    return response


@admin.register(Asset)
class AssetAdmin(ScopedModelAdmin):
    list_display = ["code", "kind", "name", "village", "batch", "scan_count", "report_count", "organization"]
    list_filter = ["kind", "batch", "village"]
    search_fields = ["code", "name", "village"]
    readonly_fields = ["scan_count"]
    actions = [print_qr_sheet]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).select_related("organization").annotate(n_reports=Count("complaints"))

    @admin.display(description=_("จำนวนเรื่องที่แจ้ง"), ordering="n_reports")
    def report_count(self, obj):
        return obj.n_reports


class PhotoInline(ScopedInlineMixin, admin.TabularInline):
    model = ComplaintPhoto
    extra = 0
    fields = ["preview", "kind", "created_at"]
    readonly_fields = ["preview", "kind", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ภาพ"))
    def preview(self, obj):
        # The image is the link's only content: its alt text names the link for screen readers (axe link-name).
        alt = gettext("ภาพ%(kind)s %(when)s (เปิดขนาดเต็มในแท็บใหม่)") % {
            "kind": obj.get_kind_display(), "when": be_display(obj.created_at)}
        return format_html('<a href="{0}" target="_blank" rel="noopener"><img src="{0}" alt="{1}" '
                           'style="max-height:90px"></a>', obj.url, alt)


class UpdateInline(ReadOnlyScopedInline):
    model = ComplaintUpdate
    fields = ["created_at", "kind", "from_status", "to_status", "message", "is_public", "author"]
    verbose_name_plural = _("ความคืบหน้า")


class CappedCountPaginator(Paginator):
    """Counting a million matching rows costs more than the page itself: count at most CAP (+1) rows.
    Beyond that the list still pages up to CAP; narrower filters reach the rest."""

    CAP = 10_000

    @cached_property
    def count(self):
        # unordered: sorting every matching row only to count the first CAP of them cost a superuser 0.2 s
        return self.object_list.order_by()[: self.CAP].count()


class ComplaintAdminBase(ChangePageActionsMixin, FileOnBehalfMixin, ExportActionsMixin, ScopedModelAdmin):
    paginator = CappedCountPaginator
    list_display = ["tracking_code", "category", "status_badge", "channel", "department", "assignee_name", "village",
                    "created_be", "sla_badge"]
    list_filter = ["status", CategoryFilter, "channel", OverdueFilter, DepartmentQueueFilter, ReopenRequestFilter]
    list_select_related = ["category", "department__parent", "assignee"]
    search_fields = ["tracking_code", "address", "village"]
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ["tracking_code", "status", "channel", "created_at", "sla_deadline", "resolved_at",
                       "description", "contact_name", "contact_phone", "contact_email", "notify_channel",
                       "pdpa_consent_at", "asset", "duplicate_of", "anonymized_at", "filed_by", "latitude",
                       "longitude", "organization", "rating_info", "nearby_reports"]
    fieldsets = [
        (None, {"fields": ["tracking_code", "organization", "status", "category", "description", "channel",
                           "created_at", "sla_deadline", "resolved_at", "duplicate_of", "rating_info"]}),
        (_("การมอบหมาย"), {"fields": ["department", "assignee"]}),
        (_("ตำแหน่ง"), {"fields": ["latitude", "longitude", "address", "village", "asset",
                                              "nearby_reports"]}),
        (_("ผู้แจ้ง"), {"fields": ["contact_name", "contact_phone", "contact_email", "notify_channel",
                                             "pdpa_consent_at", "filed_by", "anonymized_at"]}),
    ]
    inlines = [PhotoInline, UpdateInline]
    change_form_template = "admin/complaints/complaint/change_form.html"
    actions = ["export_csv", "export_xlsx", "bulk_accept", "anonymise"]

    # --- list columns ---
    status_badge = status_column()
    assignee_name = person_column()
    created_be = date_column("created_at", _("แจ้งเมื่อ"))
    sla_badge = deadline_column("sla_deadline", _("กำหนดเสร็จ"))

    @admin.display(description=_("ความพึงพอใจ"))
    def rating_info(self, obj):
        rating = Rating.objects.filter(complaint=obj).first()
        if rating is None:
            return "–"
        flag = gettext(" · ขอเปิดเรื่องใหม่") if rating.reopen_requested else ""
        return f"{rating.score}/5 {rating.comment}{flag}"

    @admin.display(description=_("เรื่องใกล้เคียง (ประเภทเดียวกัน ≤200 ม. ±30 วัน)"))
    def nearby_reports(self, obj):
        items = selectors.nearby(obj, metres=200, days=30)
        if not items:
            return "–"
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> · {} ม. · {}</li>', (
            (reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[o.pk]),
             o.tracking_code, o.distance_m, o.get_status_display()) for o in items)))

    # --- querysets and choices ---
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            # Complaints are handled by officers and administrators: auditors, legal officers and executives of
            # the organization are not offered (they read, or handle the protected channel).
            # People by name and department (StaffChoiceField), never usernames.
            kwargs["queryset"] = staff_who_may_act(organization_ids_for(request.user, "change", self.model),
                                                   ASSIGNEE_ROLES)
            kwargs["form_class"] = StaffChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # complaints are closed, never deleted

    def get_actions(self, request):
        actions = super().get_actions(request)
        # One "route to department" action per department the user can see.
        if filters.wide(request):  # routing is per organization's department: pick one organization's list
            return actions
        departments = Department.objects.select_related("parent").order_by("organization", "name_th").filter(
            organization__in=organization_ids_for(request.user, "change", self.model))
        if self.has_change_permission(request):
            for dept in departments[:40]:
                name = f"route_to_{dept.pk}"
                actions[name] = (self._route_action(dept), name,
                                 gettext("ส่งให้หน่วยงาน: %(d)s") % {"d": dept})
        return actions

    def _route_action(self, department):
        def route(modeladmin, request, queryset):
            done = 0
            for complaint in queryset.filter(organization_id=department.organization_id):
                if services.assign(complaint=complaint, actor=request.user, department=department):
                    done += 1
            modeladmin.message_user(request, gettext("ส่งต่อ %(n)s เรื่อง") % {"n": done})
        return route

    @admin.action(description=_("รับเรื่องที่เลือก"), permissions=["change"])
    def bulk_accept(self, request, queryset):
        done, skipped = 0, 0
        for complaint in queryset.filter(status__in=[workflow.Status.SUBMITTED, workflow.Status.REOPENED]):
            services.change_status(complaint=complaint, to_status=workflow.Status.ACCEPTED, actor=request.user)
            done += 1
        skipped = queryset.count() - done
        self.message_user(request, gettext("รับเรื่อง %(n)s เรื่อง ข้าม %(s)s เรื่อง (สถานะไม่อนุญาต)")
                          % {"n": done, "s": skipped})

    @admin.action(description=_("ลบข้อมูลส่วนบุคคล (เรื่องที่ปิดแล้ว)"),
                  permissions=["change"])
    def anonymise(self, request, queryset):
        done = 0
        for complaint in queryset.filter(anonymized_at__isnull=True):
            try:
                services.anonymize(complaint=complaint, actor=request.user)
                done += 1
            except ValidationError:
                continue
        self.message_user(request, gettext("ลบข้อมูลส่วนบุคคลแล้ว %(n)s เรื่อง") % {"n": done})


@admin.register(Complaint)
class ComplaintAdmin(DashboardMixin, ComplaintAdminBase):
    change_list_template = "admin/complaints/complaint/change_list.html"

    def get_queryset(self, request):
        # Corruption reports never appear here, whatever the role: they have their own admin below.
        return super().get_queryset(request).filter(is_protected=False)


@admin.register(ProtectedComplaint)
class ProtectedComplaintAdmin(ComplaintAdminBase):
    scope_roles = PROTECTED_ROLES
    list_display = ["tracking_code", "category", "status_badge", "concerned_department", "created_be", "sla_badge"]
    list_filter = ["status", OverdueFilter]
    readonly_fields = [*ComplaintAdminBase.readonly_fields, "concerned_department", "reporter_contact"]
    fieldsets = [
        (None, {"fields": ["tracking_code", "organization", "status", "category", "description", "concerned_department",
                           "created_at", "sla_deadline", "resolved_at"]}),
        (_("การมอบหมาย"), {"fields": ["department", "assignee"]}),
        (_("ผู้แจ้ง"), {"fields": ["reporter_contact", "pdpa_consent_at", "anonymized_at"]}),
    ]

    @admin.display(description=_("ข้อมูลติดต่อผู้แจ้ง (การอ่านถูกบันทึก)"))
    def reporter_contact(self, obj):
        # Decrypted only on the change page, whose every view writes an ACCESS audit row (change_view below).
        contact = obj.reporter_contact()
        return " · ".join(v for v in (contact.get("name"), contact.get("phone"), contact.get("email")) if v) or "–"
    actions = ["export_csv", "export_xlsx"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_protected=True)

    def get_actions(self, request):
        return admin.ModelAdmin.get_actions(self, request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee" and not request.user.is_superuser:
            kwargs["queryset"] = staff_who_may_act(organization_ids_for(request.user, roles=PROTECTED_ROLES),
                                                   PROTECTED_ROLES)
            kwargs["form_class"] = StaffChoiceField
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        """The list shows codes, categories, status and the department concerned: reading it is a read of every
        report on the page, so each gets its audit row (one bulk insert)."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if hasattr(response, "context_data") else None
        if changelist is not None:
            services.log_protected_list_read(complaints=list(changelist.result_list), actor=request.user,
                                             where="admin list")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_permission(request, obj):
            # Saving shows the report again (and an action is taken on it): one read row, named for what was done.
            where = "admin action" if request.method == "POST" else "admin change view"
            services.log_protected_read(complaint=obj, actor=request.user, where=where)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_permission(request, obj):
            services.log_protected_read(complaint=obj, actor=request.user, where="admin history")
        return super().history_view(request, object_id, extra_context)

    def log_export(self, request, queryset):
        for complaint in queryset:
            services.log_protected_read(complaint=complaint, actor=request.user, where="export")

    def nearby_reports(self, obj):
        return "–"

    def file_view(self, request):
        raise PermissionDenied


auditlog.register(Category)
auditlog.register(Asset)
# Metadata only: the audit log must not copy a corruption report's text or a reporter's contact details.
auditlog.register(Complaint, include_fields=["status", "category", "department", "assignee", "duplicate_of",
                                             "anonymized_at"])
auditlog.register(ProtectedComplaint, include_fields=["status", "category", "department", "assignee",
                                                      "anonymized_at"])
