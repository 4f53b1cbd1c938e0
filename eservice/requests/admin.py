"""Staff side of the request domain: service types edited without code, versioned on save; the triage queue per
department with workflow actions, document requests, result upload, notes, assignment, exports and satisfaction."""

import copy

from auditlog.registry import auditlog
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import thai
from portal.access.permissions import can, organizations_for
from portal.admin import mixins as admin_mixins
from portal.admin.mixins import (
    ReadOnlyScopedInline,
    ScopedInlineMixin,
    ScopedModelAdmin,
    StaffChoiceField,
    date_column,
    deadline_column,
    person_column,
    person_name,
    staff_who_may_act,
    status_column,
)
from portal.inputs.forms import KeepInputMixin, KeptFilesField, KeptFilesWidget, apply_errors
from portal.inputs.uploads import DOCUMENT_TYPES, check_file
from portal.models import Organization, Role
from portal.outputs.exports import csv_response, xlsx_response
from portal.outputs.files import serve_private
from portal.selectors import own_departments

from .. import catalogue, workflow
from ..models import (
    DocumentRequest,
    FormField,
    FormVersion,
    RequestDocument,
    RequestEvent,
    RequiredDocument,
    ServiceRequest,
    ServiceType,
)
from ..workflow import Status
from . import selectors, services
from .builder.admin import BuilderMixin

# --- service types ------------------------------------------------------------------------------------------------


class RequiredDocumentInline(ScopedInlineMixin, admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["order", "name_th", "name_en", "copies", "required"]


class TemplateChoiceForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("องค์กร"))
    template = forms.ChoiceField(label=_("แม่แบบ"), choices=[], widget=forms.RadioSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = organizations_for(user, "add", ServiceType)
        self.fields["organization"].queryset = orgs
        if len(orgs[:2]) == 1:
            self.fields["organization"].initial = orgs[0].pk
        self.fields["template"].choices = [(k, t["name_th"]) for k, t in catalogue.TEMPLATES.items()]


class ServiceTypeForm(forms.ModelForm):
    """Handling roles are ticked by name (no list syntax to type)."""

    handling_roles = forms.MultipleChoiceField(
        label=_("บทบาทที่ดำเนินการ"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("เจ้าหน้าที่บทบาทใดพิจารณาคำร้องของบริการนี้"))

    class Meta:
        model = ServiceType
        fields = ["organization", "code", "order", "name_th", "name_en", "description", "description_en", "keywords",
                  "department", "queue", "handling_roles", "online", "is_public", "steps", "steps_en", "processing_days",
                  "fee", "office", "office_en", "legal_basis", "legal_basis_en"]


@admin.register(ServiceType)
class ServiceTypeAdmin(BuilderMixin, ScopedModelAdmin):
    """The service and its citizen's manual; its form is designed on the builder page (a draft published from
    there), never here."""

    form = ServiceTypeForm
    list_display = ["name_th", "code", "department", "processing_days", "fee", "version_no", "is_public",
                    "organization", "builder_link"]
    list_filter = ["is_public", "online"]
    search_fields = ["name_th", "name_en", "code", "keywords"]
    list_select_related = ["department__parent", "organization", "current_version"]
    inlines = [RequiredDocumentInline]
    readonly_fields = ["template_key", "current_version"]
    change_form_template = "admin/eservice/servicetype/change_form.html"
    fieldsets = [
        (None, {"fields": ["organization", ("code", "order"), ("name_th", "name_en"),
                           ("description", "description_en"), "keywords",
                           ("department", "queue"), "handling_roles", ("online", "is_public")]}),
        (_("คู่มือสำหรับประชาชน"), {"fields": [("steps", "steps_en"), ("processing_days", "fee"), ("office", "office_en"),
                                                  ("legal_basis", "legal_basis_en")]}),
        (_("ฉบับ"), {"fields": ["template_key", "current_version"]}),
    ]

    @admin.display(description=_("ฉบับที่"))
    def version_no(self, obj):
        return obj.current_version.number if obj.current_version_id else gettext("ร่าง (ยังไม่เผยแพร่)")

    @admin.display(description=_("แบบฟอร์ม"))
    def builder_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:eservice_servicetype_builder", args=[obj.pk]),
                           gettext("ออกแบบแบบฟอร์ม"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if selectors.draft_changes(form.instance):
            self.message_user(request, gettext("บันทึกในฉบับร่างแล้ว กด “เผยแพร่” ในหน้าออกแบบแบบฟอร์มเพื่อให้ใช้กับ"
                                               "คำร้องใหม่"), messages.WARNING)

    def get_urls(self):
        return [path("from-template/", self.admin_site.admin_view(self.from_template_view),
                     name="eservice_servicetype_from_template")] + self.builder_urls() + super().get_urls()

    def from_template_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TemplateChoiceForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            service_type = services.create_from_template(
                organization=form.cleaned_data["organization"], template_key=form.cleaned_data["template"],
                actor=request.user, publish=False)
            # The copy is a draft: it goes live when published from the builder.
            return HttpResponseRedirect(reverse("admin:eservice_servicetype_builder", args=[service_type.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "templates": catalogue.TEMPLATES, "title": gettext("สร้างบริการจากแม่แบบ")}
        return TemplateResponse(request, "admin/eservice/from_template.html", context)


@admin.register(FormVersion)
class FormVersionAdmin(ScopedModelAdmin):
    list_display = ["service_type", "number", "created_at"]
    readonly_fields = ["service_type", "number", "definition", "created_at"]
    list_select_related = ["service_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- requests --------------------------------------------------------------------------------------------------


class OverdueFilter(admin_mixins.OverdueFilter):
    open_states = workflow.OPEN_STATES


class MyDepartmentFilter(admin.SimpleListFilter):
    title = _("คิวหน่วยงาน")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", _("หน่วยงานของฉัน")), ("me", _("มอบหมายให้ฉัน"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            mine = own_departments(request.user)
            return queryset.filter(department__in=mine)
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        return queryset


class EventInline(ReadOnlyScopedInline):
    model = RequestEvent
    fields = ["created_at", "kind", "from_status", "to_status", "message", "is_public", "actor"]


class DocumentInline(ReadOnlyScopedInline):
    model = RequestDocument
    fields = ["label", "download", "mime", "size", "uploaded_at"]

    @admin.display(description=_("ไฟล์"))
    def download(self, obj):
        url = reverse("admin:eservice_servicerequest_document", args=[obj.request_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class ActionForm(KeepInputMixin, forms.Form):
    """The request change page's one form: the action (with its message), the result file and the assignee, sent
    and saved together. A refusal shows it again with the chosen action, the typed message and the chosen file
    (kept in portal.inputs.tempuploads) in place; approving or refusing with the result file is one submission."""

    ACTIONS = [("", _("— ไม่มี (บันทึกเฉพาะผู้รับผิดชอบหรือไฟล์ผล) —")), ("status", _("เปลี่ยนสถานะ")),
               ("ask", _("ขอเอกสารเพิ่ม")), ("result", _("แนบผลการพิจารณา")), ("note", _("บันทึกภายใน")),
               ("assign", _("มอบหมาย"))]
    action = forms.ChoiceField(label=_("การดำเนินการ"), choices=ACTIONS, required=False)
    to_status = forms.ChoiceField(label=_("สถานะใหม่"), choices=[("", "—")] + Status.choices, required=False)
    message = forms.CharField(label=_("ข้อความ / เหตุผล"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    items = forms.CharField(label=_("เอกสารที่ขอ (บรรทัดละรายการ)"), widget=forms.Textarea(attrs={"rows": 2}),
                            required=False)
    result_file = KeptFilesField(
        label=_("ไฟล์ผลการพิจารณา (แนบพร้อมอนุมัติหรือไม่อนุมัติได้)"), purpose="eservice.result", required=False,
        check=lambda upload: check_file(upload, allowed=DOCUMENT_TYPES), max_files=1,
        widget=KeptFilesWidget(multiple=False))
    assignee = StaffChoiceField(label=_("ผู้รับผิดชอบ"), queryset=None, required=False)

    def __init__(self, *args, request_obj, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj
        # Only the organization's officers and administrators, by name and department.
        self.fields["assignee"].queryset = staff_who_may_act([request_obj.organization_id])
        self.fields["assignee"].initial = request_obj.assignee_id
        allowed = workflow.allowed_targets(request_obj.status)
        self.fields["to_status"].choices = [("", "—")] + [(s, Status(s).label) for s in allowed]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "status" and not data.get("to_status"):
            self.add_error("to_status", gettext("กรุณาเลือกสถานะใหม่"))
        elif action == "result" and not data.get("result_file"):
            self.add_error("result_file", gettext("กรุณาเลือกไฟล์ผลการพิจารณา"))
        elif not action and (data.get("message") or "").strip():
            self.add_error("action", gettext("เลือกการดำเนินการสำหรับข้อความที่พิมพ์ไว้"))
        return data


def _as_get(request):
    """The request as a GET, to show the change page again after a refused action (a POST would make the admin
    treat it as its own form's submission)."""
    shown = copy.copy(request)
    shown.method, shown.POST = "GET", QueryDict()
    return shown


def _export_rows(queryset):
    for obj in selectors.staff_requests(queryset):
        yield [obj.tracking_code, obj.service_type.name_th, obj.get_status_display(), obj.get_channel_display(),
               obj.department.name_th if obj.department_id else "", person_name(obj.assignee),
               thai.format_be_date(obj.created_at), thai.format_be_date(obj.deadline),
               gettext("เกินกำหนด") if obj.is_overdue else "", obj.rating or ""]


EXPORT_HEADER = [_("รหัสติดตาม"), _("บริการ"), _("สถานะ"), _("ช่องทาง"), _("หน่วยงาน"), _("ผู้รับผิดชอบ"),
                 _("ยื่นเมื่อ"), _("กำหนดเสร็จ"), _("เกินกำหนด"), _("ความพึงพอใจ")]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ScopedModelAdmin):
    list_display = ["tracking_code", "service_type", "status_badge", "department", "assignee_name", "created_be",
                    "deadline_badge", "channel"]
    list_filter = ["status", MyDepartmentFilter, OverdueFilter, "service_type", "department", "channel"]
    search_fields = ["tracking_code", "applicant_name", "phone"]
    list_select_related = ["service_type", "department__parent", "assignee"]
    inlines = [DocumentInline, EventInline]
    actions = ["export_csv", "export_xlsx"]
    change_form_template = "admin/eservice/servicerequest/change_form.html"
    change_list_template = "admin/eservice/servicerequest/change_list.html"
    readonly_fields = ["tracking_code", "organization", "service_type", "form_version", "status", "channel",
                       "applicant_name", "phone", "email", "notify_channel", "citizen_id_masked", "answers_table",
                       "deadline", "decision_reason", "result_name", "rating", "rating_comment", "created_at",
                       "filed_by", "assignee", "department"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    status_badge = status_column()
    assignee_name = person_column()
    created_be = date_column("created_at", _("ยื่นเมื่อ"))
    deadline_badge = deadline_column("deadline", _("กำหนดเสร็จ"))

    @admin.display(description=_("คำตอบในแบบฟอร์ม"))
    def answers_table(self, obj):
        rows = selectors.answer_rows(obj)
        return format_html("<table>{}</table>", format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows))

    @admin.action(description=_("ส่งออก CSV"))
    def export_csv(self, request, queryset):
        return csv_response("eservice-requests.csv", [str(h) for h in EXPORT_HEADER], _export_rows(queryset))

    @admin.action(description=_("ส่งออก Excel"))
    def export_xlsx(self, request, queryset):
        return xlsx_response("eservice-requests.xlsx", [str(h) for h in EXPORT_HEADER], _export_rows(queryset),
                             title=gettext("คำร้องขอรับบริการ"))

    def changelist_view(self, request, extra_context=None):
        # Filing at the counter: staff open their organization's catalogue signed in, the form records it.
        orgs = organizations_for(request.user, "add", self.model)
        extra_context = {**(extra_context or {}), "counter_links": [
            (org.name, reverse("eservice:catalogue", args=[org.slug])) for org in orgs[:20]]}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/act/", view(self.act_view), name="eservice_servicerequest_act"),
            path("<int:object_id>/document/<int:document_id>/", view(self.document_view),
                 name="eservice_servicerequest_document"),
            path("<int:object_id>/result/", view(self.result_view), name="eservice_servicerequest_result"),
            path("satisfaction/", view(self.satisfaction_view), name="eservice_servicerequest_satisfaction"),
        ] + super().get_urls()

    def _get(self, request, object_id, action="view") -> ServiceRequest:
        obj = self.get_object(request, str(object_id))
        if obj is None:
            raise Http404
        if not can(request.user, action, obj):
            raise PermissionDenied
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if obj is not None and can(request.user, "change", obj):
            extra_context.setdefault("action_form", ActionForm(request_obj=obj, request=request))
            extra_context["act_url"] = reverse("admin:eservice_servicerequest_act", args=[obj.pk])
        if obj is not None and obj.result_file:
            extra_context["result_url"] = reverse("admin:eservice_servicerequest_result", args=[obj.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def act_view(self, request, object_id):
        obj = self._get(request, object_id, "change")
        change_url = reverse("admin:eservice_servicerequest_change", args=[obj.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        form = ActionForm(request.POST, request.FILES, request_obj=obj, request=request)
        if form.is_valid():
            try:
                with transaction.atomic():  # assignee, action and result file: all saved or none
                    self._apply(request, obj, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                form.release_uploads()
                self.message_user(request, gettext("บันทึกแล้ว"), messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        # Refused: the same page, with everything chosen and typed still there and the reason beside it.
        self.message_user(request, gettext("ยังไม่ได้บันทึก: ดูเหตุผลที่ส่วน “ดำเนินการ”"), messages.ERROR)
        response = self.change_view(_as_get(request), str(obj.pk), extra_context={"action_form": form})
        response.status_code = 400
        return response

    @staticmethod
    def _apply(request, obj, data):
        action, files = data["action"], data["result_file"]
        if action != "assign" and data["assignee"] != obj.assignee:
            obj = services.assign(request_obj=obj, assignee=data["assignee"], actor=request.user)
        if action == "status":
            obj = services.change_status(request_obj=obj, to_status=data["to_status"], note=data["message"],
                                         actor=request.user)
        elif action == "ask":
            services.ask_for_documents(request_obj=obj, message=data["message"], items=data["items"].splitlines(),
                                       actor=request.user)
        elif action == "note":
            services.add_note(request_obj=obj, message=data["message"], actor=request.user)
        elif action == "assign":
            services.assign(request_obj=obj, assignee=data["assignee"], actor=request.user)
        if files:
            services.attach_result(request_obj=obj, checked=files[0], actor=request.user)

    def document_view(self, request, object_id, document_id):
        obj = self._get(request, object_id)
        document = get_object_or_404(RequestDocument, pk=document_id, request=obj)
        return serve_private(request, document.file, filename=document.original_name)

    def result_view(self, request, object_id):
        obj = self._get(request, object_id)
        if not obj.result_file:
            raise Http404
        return serve_private(request, obj.result_file, filename=obj.result_name or None)

    def satisfaction_view(self, request):
        qs = self.get_queryset(request).filter(rating__isnull=False)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": gettext("ความพึงพอใจ"),
                   "by_service": qs.values("service_type__name_th").annotate(n=Count("pk"), average=Avg("rating"))
                   .order_by("service_type__name_th"),
                   "by_department": qs.values("department__name_th").annotate(n=Count("pk"), average=Avg("rating"))
                   .order_by("department__name_th")}
        return TemplateResponse(request, "admin/eservice/satisfaction.html", context)


@admin.register(DocumentRequest)
class DocumentRequestAdmin(ScopedModelAdmin):
    list_display = ["request", "message", "created_at", "fulfilled_at"]
    readonly_fields = ["request", "message", "items", "created_by", "created_at", "fulfilled_at"]
    list_select_related = ["request__service_type"]

    def has_add_permission(self, request):
        return False


auditlog.register(ServiceType)
auditlog.register(FormField)
auditlog.register(RequiredDocument)
auditlog.register(ServiceRequest, include_fields=["status", "department", "assignee", "decision_reason",
                                                  "result_file", "rating"])
auditlog.register(DocumentRequest)
auditlog.register(RequestDocument)
