"""Staff work: plans with their components, a budget grid of activities × fiscal years, indicators, SWOT; publish;
yearly M&E per activity with evidence; plan-document import with a review screen before saving; change history."""


from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.registry import auditlog
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from portal.access.permissions import can, organizations_for
from portal.admin.mixins import ScopedInlineMixin, ScopedModelAdmin, ServiceSavesMixin
from portal.inputs.forms import (
    BEDateField,
    BEDateInput,
    ThaiDigitsDecimalField,
    ThaiDigitsIntegerField,
)

from . import forms, import_review, selectors, services
from .models import (
    Activity,
    ActivityBudget,
    CommitteeMember,
    Component,
    EvaluationCommittee,
    EvidenceFile,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    MonitoringRecord,
    Plan,
    SwotItem,
)

for model in (Plan, Component, Activity, ActivityBudget, Indicator, IndicatorTarget, SwotItem, MonitoringRecord,
              IndicatorActual, EvidenceFile, EvaluationCommittee, CommitteeMember):
    auditlog.register(model)

EDITOR_ROLES = import_review.EDITOR_ROLES
NEW_PLAN_NOTE = _("บันทึกแผนก่อนหนึ่งครั้ง แล้วตารางโครงการ/กิจกรรมและงบประมาณรายปี ตัวชี้วัด SWOT และคณะกรรมการ จะปรากฏในหน้านี้ (ต้องรู้ปีเริ่มต้น–สิ้นสุดของแผนก่อน)")


# Every number staff type accepts Thai digits and commas (a text box with the number keyboard: a browser's
# <input type=number> refuses ๐–๙), and dates are read and shown in BE, in inlines as on the main forms.
THAI_INPUTS = {
    models.DateField: {"form_class": BEDateField, "widget": BEDateInput},
    models.IntegerField: {"form_class": ThaiDigitsIntegerField, "widget": forms.numeric_input(10)},
    models.BigIntegerField: {"form_class": ThaiDigitsIntegerField, "widget": forms.numeric_input(12)},  # own default
    models.DecimalField: {"form_class": ThaiDigitsDecimalField, "widget": forms.numeric_input(10, decimal=True)},
}


class ThaiInputsMixin:
    formfield_overrides = THAI_INPUTS


class PlanRowSavesMixin(ServiceSavesMixin):
    """The admin's plain editing of plan rows goes through services.save_row / delete_row (checked against the
    user's role, then portal's audited save); admins with rules of their own override the hooks."""

    def save_row(self, request, obj, changed):
        services.save_row(obj=obj, actor=request.user, changed=changed)

    def delete_row(self, request, obj):
        services.delete_row(obj=obj, actor=request.user)


# ThaiInputsMixin first: the scoped admin's own formfield_overrides (dates only) must not shadow its number inputs.
class HistoryMixin(ThaiInputsMixin, PlanRowSavesMixin, AuditlogHistoryAdminMixin):
    """The full audit trail (django-auditlog) of one object, reachable from its page; another organization's
    object is a 404 like everywhere else."""

    show_auditlog_history_link = True

    def auditlog_history_view(self, request, object_id, extra_context=None):
        from django.contrib.admin.utils import unquote

        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().auditlog_history_view(request, object_id, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A form sent back with errors is bad input: answer 400 (the page still shows every message in place).
        response = super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)
        if request.method == "POST" and len(context.get("errors") or []):
            response.status_code = 400
        return response


class PlanChildInline(ThaiInputsMixin, ScopedInlineMixin):
    """Inline rows of a plan: editable by those who may change the plan, visible to auditors.

    Foreign keys named in `shared_choices` are loaded once per formset and shared by every row (see
    forms.PlanChildForm); without it each row of a 40-activity grid ran its own component query."""

    extra = 0
    shared_choices: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.shared_choices:
            kwargs["form_class"] = forms.SharedModelChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or can(request.user, "change", obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or can(request.user, "change", obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or can(request.user, "change", obj))


class YearAmountsMixin:
    """The document's per-year totals typed as "2566: 25,000; 2567: 30,000", never as raw JSON."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "stated_total_by_year":
            return forms.YearAmountsField(label=db_field.verbose_name, required=False,
                                          help_text=_("ปี: จำนวนเงิน คั่นด้วย ; เช่น 2566: 25,000; 2567: 30,000"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ComponentInline(YearAmountsMixin, PlanChildInline, admin.TabularInline):
    model = Component
    fields = ["number", "title", "order", "stated_total_by_year", "stated_activity_count"]
    show_change_link = True


class ActivityGridInline(PlanChildInline, admin.TabularInline):
    """The budget grid: one row per activity, one column per fiscal year of the plan."""

    model = Activity
    fk_name = "plan"
    show_change_link = True
    shared_choices = ("component", "department")
    verbose_name_plural = _("โครงการ/กิจกรรม และงบประมาณรายปี")
    base_fields = ["component", "number", "title", "responsible_unit", "no_budget", "budget_total"]

    def get_formset(self, request, obj=None, **kwargs):
        form = forms.budget_grid_form(obj)
        kwargs["form"] = form
        kwargs["fields"] = self.base_fields + [forms.budget_field_name(y) for y in form.plan_years]
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return self.base_fields + [forms.budget_field_name(y) for y in (obj.years if obj else [])]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("component").prefetch_related("budgets")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "title":
            field.widget.attrs["size"] = 40
        return field


class IndicatorInline(PlanChildInline, admin.TabularInline):
    model = Indicator
    fields = ["component", "strategy", "name", "kind", "unit", "order"]
    show_change_link = True
    shared_choices = ("component",)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = forms.plan_child_form(forms.IndicatorForm, obj)
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("component")


class SwotInline(PlanChildInline, admin.TabularInline):
    model = SwotItem
    fields = ["kind", "code", "text", "order"]


class CommitteeInline(PlanChildInline, admin.TabularInline):
    model = EvaluationCommittee
    fields = ["fiscal_year", "order_reference", "appointed_on", "reported_to_executive_on"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(HistoryMixin, ScopedModelAdmin):
    list_display = ["title", "organization", "fiscal_year_start", "fiscal_year_end", "status", "imported_at"]
    list_filter = ["status", "organization", "fiscal_year_start"]
    search_fields = ["title", "organization__name_th"]
    list_select_related = ["organization"]
    readonly_fields = ["budget_overview", "import_warnings_display", "source_download", "source_name",
                       "imported_at", "imported_by", "published_at", "status"]
    fieldsets = [
        (None, {"fields": ["organization", "title", ("fiscal_year_start", "fiscal_year_end"), "status",
                           "source_download", "source_name", ("imported_at", "imported_by", "published_at")]}),
        (_("สาระของแผน"), {"classes": ["collapse"],
                                        "fields": ["vision", "mission", "objectives", "goal"]}),
        (_("งบประมาณ: คำนวณเทียบกับตามเอกสาร"),
         {"fields": ["stated_budget_total", "budget_overview", "import_warnings_display"]}),
    ]
    inlines = [ComponentInline, ActivityGridInline, IndicatorInline, SwotInline, CommitteeInline]
    actions = ["publish_selected", "unpublish_selected", "archive_selected"]
    change_list_template = "admin/innovation_plans/plan/change_list.html"

    def get_inlines(self, request, obj):
        # Activities need components and plan years: add them once the plan exists.
        return self.inlines if obj is not None else [ComponentInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # A new plan has no years yet, so the activity × year budget grid cannot be drawn: say so up front.
        first_name, first = fieldsets[0]
        return [(first_name, {**first, "description": NEW_PLAN_NOTE}), *fieldsets[1:]]

    def response_add(self, request, obj, post_url_continue=None):
        # "Save" on a new plan goes on to its change page, where the budget grid now appears.
        if "_addanother" not in request.POST and "_popup" not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)

    def changelist_view(self, request, extra_context=None):
        # The import button only for those who may import (auditors would get a 403 behind it).
        can_import = self.has_add_permission(request) and import_review.organizations(request).exists()
        return super().changelist_view(request, {**(extra_context or {}), "can_import": can_import})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization" and not request.user.is_superuser:
            kwargs["queryset"] = organizations_for(request.user, roles=EDITOR_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("ตารางงบประมาณ"))
    def budget_overview(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        from .reports import matrix

        plan = selectors.plan_with_everything(Plan.objects.filter(pk=obj.pk)).get()
        fig = selectors.plan_figures(plan)
        return render_to_string("admin/innovation_plans/plan/_budget_overview.html",
                                {"matrix": matrix(fig), "year": None, "fig": fig})

    @admin.display(description=_("เอกสารต้นฉบับ"))
    def source_download(self, obj):
        """A private file: linked through the permission-checked view, never a /media/ address."""
        if not obj or not obj.pk or not obj.source_document:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("innovation-plans-source", args=[obj.pk]),
                           obj.source_name or _("ดาวน์โหลด"))

    @admin.display(description=_("ข้อสังเกตจากการนำเข้า"))
    def import_warnings_display(self, obj):
        warnings = obj.import_warnings or [] if obj else []
        if not warnings:
            return "-"
        return render_to_string("admin/innovation_plans/plan/_warnings.html", {"warnings": warnings})

    def _transition(self, request, queryset, service, done_message):
        count = 0
        for plan in queryset:
            if not can(request.user, "change", plan):
                self.message_user(request, _t("ไม่มีสิทธิ์แก้ไข %(p)s") % {"p": plan},
                                  messages.ERROR)
                continue
            try:
                service(plan=plan, actor=request.user)
                count += 1
            except ValidationError as exc:
                self.message_user(request, f"{plan}: {' '.join(exc.messages)}", messages.ERROR)
        if count:
            self.message_user(request, done_message % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("เผยแพร่แผนที่เลือก"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._transition(request, queryset, services.publish_plan, _t("เผยแพร่แล้ว %(n)s แผน"))

    @admin.action(description=_("ยกเลิกการเผยแพร่"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        self._transition(request, queryset,
                         lambda plan, actor: services.change_status(plan=plan, target=Plan.Status.DRAFT, actor=actor),
                         _t("กลับเป็นร่าง %(n)s แผน"))

    @admin.action(description=_("เก็บถาวร"), permissions=["change"])
    def archive_selected(self, request, queryset):
        self._transition(request, queryset, services.archive_plan, _t("เก็บถาวรแล้ว %(n)s แผน"))

    def get_urls(self):
        return import_review.urls(self) + super().get_urls()

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Activity:
            save_budgets(request, formset.forms, deleted=formset.deleted_forms)


def save_budgets(request, forms_, deleted=()):
    """The yearly cells of the budget grid, through the service that checks and audits them."""
    for form in forms_:
        if form in deleted or not hasattr(form, "budgets") or not getattr(form, "cleaned_data", None):
            continue
        if not any(forms.budget_field_name(year) in form.changed_data for year in form.plan_years):
            continue  # an untouched row costs no query (a 40-row grid saves the rows that changed)
        if form.instance.pk is not None:
            services.set_activity_budget(activity=form.instance, budgets=form.budgets(), actor=request.user)


@admin.register(Component)
class ComponentAdmin(YearAmountsMixin, HistoryMixin, ScopedModelAdmin):
    list_display = ["__str__", "plan", "number", "order"]
    list_filter = ["plan__organization"]
    list_select_related = ["plan"]
    search_fields = ["title", "plan__title"]


class MonitoringInline(ThaiInputsMixin, ScopedInlineMixin, admin.TabularInline):
    model = MonitoringRecord
    fields = ["fiscal_year", "status", "progress_percent", "actual_spend", "recorded_by"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(HistoryMixin, ScopedModelAdmin):
    list_display = ["__str__", "plan", "component", "responsible_unit", "start_year", "end_year", "no_budget"]
    list_filter = ["plan__organization", "no_budget", "start_year"]
    list_select_related = ["plan", "component"]
    search_fields = ["title", "responsible_unit", "plan__title"]
    inlines = [MonitoringInline]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            kwargs["form"] = forms.budget_grid_form(obj.plan)
            kwargs["fields"] = ["plan", "component", "number", "title", "details", "benefits", "responsible_unit",
                                "department", "start_year", "end_year", "budget_total", "no_budget", "order"] + [
                forms.budget_field_name(y) for y in obj.plan.years]
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj):
        # A new activity has no M&E yet; its yearly budget is typed in the plan's grid (or here once saved).
        return [MonitoringInline] if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        return ["plan"] if obj is not None else []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        save_budgets(request, [form])


class TargetInline(PlanChildInline, admin.TabularInline):
    model = IndicatorTarget
    fields = ["fiscal_year", "target_text", "target_value"]


@admin.register(Indicator)
class IndicatorAdmin(HistoryMixin, ScopedModelAdmin):
    list_display = ["name", "plan", "kind", "unit"]
    list_filter = ["kind", "plan__organization"]
    list_select_related = ["plan"]
    search_fields = ["name"]
    inlines = [TargetInline]


class IndicatorActualInline(ThaiInputsMixin, ScopedInlineMixin, admin.TabularInline):
    model = IndicatorActual
    extra = 1
    fields = ["indicator", "actual_text", "actual_value"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            record_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            record = MonitoringRecord.objects.filter(pk=record_id).select_related("activity").first()
            if record is not None:
                kwargs["queryset"] = Indicator.objects.filter(plan_id=record.activity.plan_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EvidenceInline(ThaiInputsMixin, ScopedInlineMixin, admin.TabularInline):
    model = EvidenceFile
    form = forms.EvidenceFileForm
    extra = 1
    fields = ["file", "download", "title", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["download", "content_type", "size", "uploaded_by", "uploaded_at"]

    @admin.display(description=_("ดาวน์โหลด"))
    def download(self, obj):
        if not obj or not obj.pk:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("innovation-plans-evidence", args=[obj.pk]),
                           obj.title or _("ไฟล์หลักฐาน"))


@admin.register(MonitoringRecord)
class MonitoringRecordAdmin(HistoryMixin, ScopedModelAdmin):
    form = forms.MonitoringRecordForm
    list_display = ["activity", "plan_title", "fiscal_year", "status", "progress_percent", "actual_spend",
                    "recorded_by"]
    list_filter = ["fiscal_year", "status", "activity__plan__organization"]
    list_select_related = ["activity__plan", "recorded_by"]
    search_fields = ["activity__title", "notes"]
    readonly_fields = ["recorded_by", "recorded_at", "updated_at"]
    inlines = [IndicatorActualInline, EvidenceInline]

    @admin.display(description=_("แผน"))
    def plan_title(self, obj):
        return obj.activity.plan.title

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "activity":
            kwargs["queryset"] = Activity.objects.select_related("plan")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_monitoring(record=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not EvidenceFile:
            return super().save_formset(request, form, formset, change)
        # Evidence goes through the services: checked by content, stored privately, audited.
        instances = formset.save(commit=False)
        changed = {obj.pk: fields for obj, fields in formset.changed_objects}
        for instance in instances:
            if instance.pk is not None and "file" not in changed.get(instance.pk, ()):
                services.save_row(obj=instance, actor=request.user, changed=["title"])
                continue
            if instance.pk is not None:  # a new file on a stored row: the old evidence goes, the new one is added
                services.remove_evidence(evidence=EvidenceFile.objects.get(pk=instance.pk), actor=request.user)
            services.add_evidence(record=form.instance, upload=instance.file, title=instance.title,
                                  actor=request.user)
        for obj in formset.deleted_objects:
            services.remove_evidence(evidence=obj, actor=request.user)


class MemberInline(PlanChildInline, admin.TabularInline):
    model = CommitteeMember
    fields = ["name", "position", "role"]


@admin.register(EvaluationCommittee)
class EvaluationCommitteeAdmin(HistoryMixin, ScopedModelAdmin):
    list_display = ["plan", "fiscal_year", "order_reference", "appointed_on"]
    list_filter = ["fiscal_year", "plan__organization"]
    list_select_related = ["plan"]
    inlines = [MemberInline]
