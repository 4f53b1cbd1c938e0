"""Staff triage: queues by department, filters, workflow actions, nearby reports, exports, QR sheets, and a
separate corruption-report admin that only legal officers and executives reach."""


from auditlog.registry import auditlog
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import exports, thai
from portal.admin_mixins import ReadOnlyScopedInline, ScopedInlineMixin, ScopedModelAdmin
from portal.forms import apply_errors
from portal.models import Department, Membership, Organization, Role
from portal.tenancy import user_org_ids

from . import selectors, services, workflow
from .forms import StaffActionForm, StaffComplaintForm
from .models import (
    ApiKey,
    Asset,
    Category,
    Complaint,
    ComplaintPhoto,
    ComplaintUpdate,
    Holiday,
    ProtectedComplaint,
    Rating,
)

PROTECTED_ROLES = (Role.LEGAL_OFFICER, Role.EXECUTIVE)
ASSIGNEE_ROLES = (Role.ADMINISTRATOR, Role.OFFICER)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(Category)
class CategoryAdmin(ScopedModelAdmin):
    list_display = ["name_th", "name_en", "code", "department", "sla_days", "is_public", "is_protected", "is_active",
                    "organization"]
    list_filter = ["is_public", "is_protected", "is_active"]
    list_select_related = ["department__parent", "organization"]
    search_fields = ["name_th", "name_en", "code"]


@admin.action(description=_("พิมพ์สติกเกอร์ QR (PDF)"), permissions=["view"])
def print_qr_sheet(modeladmin, request, queryset):
    from .qr import qr_sheet_pdf

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


class OverdueFilter(admin.SimpleListFilter):
    title = _("เกินกำหนด")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("เกินกำหนด")), ("no", _("ยังไม่เกิน"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(status__in=workflow.OPEN_STATES, sla_deadline__lt=now)
        if self.value() == "no":
            return queryset.exclude(status__in=workflow.OPEN_STATES, sla_deadline__lt=now)
        return queryset


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
        return format_html('<a href="{0}" target="_blank"><img src="{0}" style="max-height:90px"></a>', obj.url)


class UpdateInline(ReadOnlyScopedInline):
    model = ComplaintUpdate
    fields = ["created_at", "kind", "from_status", "to_status", "message", "is_public", "author"]
    verbose_name_plural = _("ความคืบหน้า")


def _export_rows(queryset):
    header = ["tracking_code", "created", "category", "status", "channel", "department", "assignee", "village",
              "address", "latitude", "longitude", "sla_deadline", "overdue", "resolved", "rating"]
    rows = []
    for c in queryset.select_related("category", "department", "assignee", "rating").order_by("-created_at"):
        rating = getattr(c, "rating", None) if hasattr(c, "rating") else None
        rows.append([
            c.tracking_code, thai.format_be_date(c.created_at), c.category.name_th, c.get_status_display(),
            c.get_channel_display(), c.department.name_th if c.department else "",
            c.assignee.get_username() if c.assignee else "", c.village, c.address,
            str(c.latitude or ""), str(c.longitude or ""), thai.format_be_date(c.sla_deadline),
            "Y" if c.is_overdue else "", thai.format_be_date(c.resolved_at), rating.score if rating else "",
        ])
    return header, rows


class CappedCountPaginator(Paginator):
    """Counting a million matching rows costs more than the page itself: count at most CAP (+1) rows.
    Beyond that the list still pages up to CAP; narrower filters reach the rest."""

    CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list[: self.CAP].count()


class ComplaintAdminBase(ScopedModelAdmin):
    paginator = CappedCountPaginator
    list_display = ["tracking_code", "category", "status_badge", "channel", "department", "assignee", "village",
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
    @admin.display(description=_("สถานะ"), ordering="status")
    def status_badge(self, obj):
        return format_html('<span class="cmp-status cmp-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description=_("แจ้งเมื่อ"), ordering="created_at")
    def created_be(self, obj):
        return thai.format_be_date(obj.created_at)

    @admin.display(description=_("กำหนดเสร็จ"), ordering="sla_deadline")
    def sla_badge(self, obj):
        text = thai.format_be_date(obj.sla_deadline.date()) if obj.sla_deadline else "–"
        if obj.is_overdue:
            return format_html('<strong class="cmp-overdue" style="color:#fff;background:#b3261e;padding:2px 6px;'
                               'border-radius:4px">⚠ {} · {}</strong>', text, gettext("เกินกำหนด"))
        return text

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
        return format_html("<ul>{}</ul>", format_html("".join(
            format_html('<li><a href="{}">{}</a> · {} ม. · {}</li>',
                        reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[o.pk]),
                        o.tracking_code, o.distance_m, o.get_status_display())
            for o in items)))

    # --- querysets and choices ---
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            # Complaints are handled by officers and administrators: auditors, legal officers and executives of
            # the organization are not offered (they read, or handle the protected channel).
            users = get_user_model().objects.filter(memberships__role__in=ASSIGNEE_ROLES)
            if not request.user.is_superuser:
                users = users.filter(memberships__organization__in=user_org_ids(request.user))
            kwargs["queryset"] = users.distinct().order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # complaints are closed, never deleted

    def save_model(self, request, obj, form, change):
        changed = [f for f in ("department", "assignee") if f in form.changed_data]
        super().save_model(request, obj, form, change)
        if changed:
            parts = [f"{obj._meta.get_field(f).verbose_name}: {getattr(obj, f) or '–'}" for f in changed]
            ComplaintUpdate.objects.create(complaint=obj, kind=ComplaintUpdate.Kind.ASSIGN, author=request.user,
                                           message="; ".join(parts), is_public=False)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # One "route to department" action per department the user can see.
        departments = Department.objects.select_related("parent").order_by("organization", "name_th")
        if not request.user.is_superuser:
            departments = departments.filter(organization__in=user_org_ids(request.user))
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
                if services.assign(complaint=complaint, user=request.user, department=department):
                    done += 1
            modeladmin.message_user(request, gettext("ส่งต่อ %(n)s เรื่อง") % {"n": done})
        return route

    @admin.action(description=_("ส่งออก CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        header, rows = _export_rows(queryset)
        self._log_export(request, queryset)
        return exports.csv_response("complaints.csv", header, rows)

    @admin.action(description=_("ส่งออก Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        header, rows = _export_rows(queryset)
        self._log_export(request, queryset)
        return exports.xlsx_response("complaints.xlsx", header, rows, title="complaints")

    def _log_export(self, request, queryset):
        pass

    @admin.action(description=_("รับเรื่องที่เลือก"), permissions=["change"])
    def bulk_accept(self, request, queryset):
        done, skipped = 0, 0
        for complaint in queryset.filter(status__in=[workflow.Status.SUBMITTED, workflow.Status.REOPENED]):
            services.change_status(complaint=complaint, to_status=workflow.Status.ACCEPTED, user=request.user)
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
                services.anonymize(complaint=complaint, user=request.user)
                done += 1
            except ValidationError:
                continue
        self.message_user(request, gettext("ลบข้อมูลส่วนบุคคลแล้ว %(n)s เรื่อง") % {"n": done})

    # --- workflow actions on one complaint ---
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/act/", self.admin_site.admin_view(self.act_view), name="{}_{}_act".format(*info)),
            path("file/", self.admin_site.admin_view(self.file_view), name="{}_{}_file".format(*info)),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if obj is not None:
            extra["action_form"] = StaffActionForm(targets=workflow.allowed_targets(obj.status))
            extra["action_url"] = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_act", args=[obj.pk])
            extra["can_act"] = self.has_change_permission(request, obj)
            extra["public_url"] = obj.get_absolute_url() if not obj.is_protected else ""
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def act_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            from django.http import Http404

            raise Http404
        if request.method != "POST" or not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = StaffActionForm(request.POST, request.FILES, targets=workflow.allowed_targets(obj.status))
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        try:
            if not form.is_valid():
                raise ValidationError([f"{k}: {' '.join(v)}" for k, v in form.errors.items()])
            data = form.cleaned_data
            action = data["action"]
            if action == "status":
                if not data["to_status"]:
                    raise ValidationError(gettext("เลือกสถานะใหม่"))
                services.change_status(complaint=obj, to_status=data["to_status"], user=request.user,
                                       note=data["note"], public=data["public"], photo=data["photo"])
            elif action in ("reply", "note"):
                services.add_reply(complaint=obj, user=request.user, message=data["note"], public=action == "reply")
            elif action == "duplicate":
                original = self.get_queryset(request).filter(
                    tracking_code=(data["duplicate_code"] or "").strip().upper()).first()
                if original is None:
                    raise ValidationError(gettext("ไม่พบเรื่องต้นฉบับตามรหัสนี้"))
                services.mark_duplicate(complaint=obj, original=original, user=request.user)
        except ValidationError as exc:
            return TemplateResponse(request, "admin/complaints/action_error.html", {
                **self.admin_site.each_context(request), "opts": self.opts, "original": obj,
                "errors": exc.messages, "change_url": change_url, "title": gettext("ดำเนินการไม่ได้"),
            }, status=400)
        messages.success(request, gettext("บันทึกแล้ว"))
        return HttpResponseRedirect(change_url)

    def file_view(self, request):
        """Staff file a complaint on a citizen's behalf (phone, counter, Facebook)."""
        if not self.has_view_permission(request) or not super().has_add_permission(request):
            raise PermissionDenied
        org_ids = user_org_ids(request.user, (Role.ADMINISTRATOR, Role.OFFICER))
        categories = Category.objects.filter(is_active=True, is_protected=False)
        if not request.user.is_superuser:
            categories = categories.filter(organization__in=org_ids)
        form = StaffComplaintForm(request.POST or None, request.FILES or None, categories=categories)
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                data = form.cleaned_data
                try:
                    complaint = services.submit_complaint(
                        organization=data["category"].organization, category=data["category"],
                        description=data["description"], channel=data["channel"], latitude=data["latitude"],
                        longitude=data["longitude"], address=data["address"], village=data["village"],
                        photos=data["photos"], contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                        contact_email=data["contact_email"], notify_channel=data["notify_channel"],
                        pdpa_consent=data["pdpa_consent"], filed_by=request.user)
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, gettext("บันทึกเรื่อง %(c)s แล้ว") % {"c": complaint.tracking_code})
                    return HttpResponseRedirect(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
        return render(request, "admin/complaints/file.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "form": form,
            "title": gettext("บันทึกเรื่องแทนผู้แจ้ง")}, status=status)


@admin.register(Complaint)
class ComplaintAdmin(ComplaintAdminBase):
    change_list_template = "admin/complaints/complaint/change_list.html"

    def get_urls(self):
        return [
            path("dashboard/", self.admin_site.admin_view(self.dashboard_view), name="complaints_complaint_dashboard"),
            path("dashboard/<int:org_id>/map.json", self.admin_site.admin_view(self.dashboard_map),
                 name="complaints_complaint_dashboard_map"),
        ] + super().get_urls()

    def _dashboard_orgs(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        orgs = Organization.objects.filter(is_active=True).order_by("name_th")
        return orgs if request.user.is_superuser else orgs.filter(pk__in=user_org_ids(request.user))

    def dashboard_view(self, request):
        """Staff dashboard: every ordinary complaint (non-public categories included, corruption reports never),
        per organization the user works for, with the overdue count and a map of open complaints."""
        sections = [{"organization": org, "stats": selectors.dashboard(org, public=False), **selectors.map_context(org),
                     "map_url": reverse("admin:complaints_complaint_dashboard_map", args=[org.pk])}
                    for org in self._dashboard_orgs(request)[:20]]
        return render(request, "admin/complaints/complaint/dashboard.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "sections": sections,
            "title": gettext("สถิติเรื่องร้องเรียน")})

    def dashboard_map(self, request, org_id):
        organization = self._dashboard_orgs(request).filter(pk=org_id).first()
        if organization is None:
            raise PermissionDenied
        return JsonResponse({"points": selectors.map_points(organization, public=False)})

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
            kwargs["queryset"] = get_user_model().objects.filter(
                memberships__organization__in=user_org_ids(request.user, PROTECTED_ROLES),
                memberships__role__in=PROTECTED_ROLES).distinct()
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        """The list shows codes, categories, status and the department concerned: reading it is a read of every
        report on the page, so each gets its audit row (one bulk insert)."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if hasattr(response, "context_data") else None
        if changelist is not None:
            services.log_protected_list_read(complaints=list(changelist.result_list), user=request.user,
                                             where="admin list")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_permission(request, obj):
            services.log_protected_read(complaint=obj, user=request.user, where="admin change view")
        return super().change_view(request, object_id, form_url, extra_context)

    def act_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_change_permission(request, obj):
            services.log_protected_read(complaint=obj, user=request.user, where="admin action")
        return super().act_view(request, object_id)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_permission(request, obj):
            services.log_protected_read(complaint=obj, user=request.user, where="admin history")
        return super().history_view(request, object_id, extra_context)

    def _log_export(self, request, queryset):
        for complaint in queryset:
            services.log_protected_read(complaint=complaint, user=request.user, where="export")

    def nearby_reports(self, obj):
        return "–"

    def file_view(self, request):
        raise PermissionDenied


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedModelAdmin):
    list_display = ["name", "prefix", "organization", "is_active", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["organization", "name", "is_active", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # keys are created with `manage.py create_api_key`, which prints the key once


auditlog.register(Category)
auditlog.register(Asset)
auditlog.register(ApiKey, exclude_fields=["key_hash"])
# Metadata only: the audit log must not copy a corruption report's text or a reporter's contact details.
auditlog.register(Complaint, include_fields=["status", "category", "department", "assignee", "duplicate_of",
                                             "anonymized_at"])
auditlog.register(ProtectedComplaint, include_fields=["status", "category", "department", "assignee",
                                                      "anonymized_at"])
