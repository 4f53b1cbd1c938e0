"""The e-service form builder, a staff page of the service type admin: fields added, edited, moved, copied and
removed on the draft (the service type's own fields) with one small form each, a phone-sized preview of the very
page citizens get (the citizen form template rendered from the draft), a list of what publishing would change,
publish, and roll back to an earlier version. Every step is a plain form post, so it all works without script;
static/eservice/builder.js only adds choice rows in place and switches the preview's language.

Writes go through eservice.requests.builder.services (permission checked there, the actor on the audit row)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from portal.access.permissions import can
from portal.inputs.forms import apply_errors

from ...forms import RequestForm
from ...models import FieldKind, FormField, FormVersion
from .. import selectors
from . import services

CHOICE_KINDS = (FieldKind.CHOICE, FieldKind.MULTICHOICE)
BLANK_CHOICE_ROWS = 2  # empty rows offered under the choices (more come with "add a row", or after saving)


class AddFieldForm(forms.Form):
    label_th = forms.CharField(label=_("ชื่อช่อง (คำถามที่ประชาชนเห็น)"), max_length=200)
    kind = forms.ChoiceField(label=_("ชนิด"), choices=FieldKind.choices, initial=FieldKind.TEXT)


class FieldForm(forms.Form):
    """One field of the draft. Choices are rows of labels (their codes are made and kept by the service); the
    variable name is made from the label and can be changed under "more settings"."""

    label_th = forms.CharField(label=_("ชื่อช่อง"), max_length=200)
    label_en = forms.CharField(label=_("ชื่อช่องภาษาอังกฤษ"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("ชนิด"), choices=FieldKind.choices)
    required = forms.BooleanField(label=_("ต้องกรอก"), required=False)
    help_th = forms.CharField(label=_("คำอธิบายใต้ช่อง"), max_length=300, required=False)
    help_en = forms.CharField(label=_("คำอธิบายใต้ช่องภาษาอังกฤษ"), max_length=300, required=False)
    allow_other = forms.BooleanField(label=_("มีตัวเลือก “อื่น ๆ (โปรดระบุ)”"), required=False)
    code = forms.CharField(label=_("ชื่อตัวแปร"), max_length=40, required=False,
                           help_text=_("สร้างจากชื่อช่องให้แล้ว ใช้ในการส่งออกข้อมูลและ Open311"))

    def __init__(self, *args, field: FormField, **kwargs):
        self.field = field
        kwargs.setdefault("prefix", f"f{field.pk}")
        kwargs.setdefault("initial", {
            "label_th": field.label_th, "label_en": field.label_en, "kind": field.kind, "required": field.required,
            "help_th": field.help_th, "help_en": field.help_en, "allow_other": field.allow_other, "code": field.code})
        super().__init__(*args, **kwargs)

    def choice_rows(self) -> list[tuple[str, str]]:
        """(Thai, English) of the rows shown: as posted when the form comes back with an error, else as stored, plus
        blanks."""
        if self.is_bound:
            thai_rows = self.data.getlist(self.add_prefix("choice"))
            english = self.data.getlist(self.add_prefix("choice_en"))
            rows = [(th, english[n] if n < len(english) else "") for n, th in enumerate(thai_rows)]
        else:
            rows = [(label, english) for _code, label, english in self.field.choice_rows()]
        return [r for r in rows if r[0].strip()] + [("", "")] * BLANK_CHOICE_ROWS

    @property
    def is_choice(self) -> bool:
        kind = self.data.get(self.add_prefix("kind")) if self.is_bound else self.field.kind
        return kind in CHOICE_KINDS


class BuilderMixin:
    """For ServiceTypeAdmin: /admin/eservice/servicetype/<id>/builder/ and /preview/."""

    def builder_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/builder/", view(self.builder_view), name="eservice_servicetype_builder"),
            path("<int:object_id>/preview/", view(xframe_options_sameorigin(self.preview_view)),
                 name="eservice_servicetype_preview"),
        ]

    def _service_type(self, request, object_id):
        service_type = self.get_object(request, str(object_id))  # scoped to the staff member's organizations
        if service_type is None:
            raise Http404
        if not can(request.user, "change", service_type):
            raise PermissionDenied
        return service_type

    # --- the page ---
    def builder_view(self, request, object_id):
        service_type = self._service_type(request, object_id)
        url = reverse("admin:eservice_servicetype_builder", args=[service_type.pk])
        bound = {}
        status = 200
        if request.method == "POST":
            op = request.POST.get("op", "")
            try:
                anchor = self._apply(request, service_type, op, bound)
            except ValidationError as exc:
                form = bound.get("form")
                if form is not None:
                    apply_errors(form, exc)
                else:
                    messages.error(request, " ".join(exc.messages))
                status = 400
            else:
                if anchor is not None:
                    return HttpResponseRedirect(url + (f"#{anchor}" if anchor else ""))
                status = 400
        elif request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        service_type.refresh_from_db()
        fields = list(service_type.fields.all())
        field_forms = [bound["form"] if isinstance(bound.get("form"), FieldForm) and bound["form"].field.pk == f.pk
                       else FieldForm(field=f) for f in fields]
        add_form = bound["form"] if isinstance(bound.get("form"), AddFieldForm) else AddFieldForm()
        versions = list(service_type.versions.order_by("-number")[:20])
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": service_type,
            "title": gettext("ออกแบบแบบฟอร์ม: %(name)s") % {"name": service_type.name_th},
            "service_type": service_type, "field_forms": field_forms, "add_form": add_form,
            "changes": selectors.draft_changes(service_type), "versions": versions,
            "preview_url": reverse("admin:eservice_servicetype_preview", args=[service_type.pk]),
            "citizen_url": reverse("eservice:form", args=[service_type.organization.slug, service_type.code]),
            "choice_kinds": [str(k) for k in CHOICE_KINDS],
            "preview_lang": "en" if request.GET.get("lang") == "en" else "th",
        }
        return TemplateResponse(request, "admin/eservice/servicetype/builder.html", context, status=status)

    def _apply(self, request, service_type, op, bound):
        """Run one builder step; the anchor to return to ("" for the top), or None when a form was refused."""
        user = request.user
        if op == "add":
            form = bound["form"] = AddFieldForm(request.POST)
            if not form.is_valid():
                return None
            field = services.add_field(service_type=service_type, label_th=form.cleaned_data["label_th"],
                                       kind=form.cleaned_data["kind"], actor=user)
            messages.success(request, gettext("เพิ่มช่อง “%(label)s” แล้ว") % {"label": field.label_th})
            return f"field-{field.pk}"
        if op == "publish":
            if not selectors.draft_changes(service_type):
                messages.info(request, gettext("ฉบับร่างตรงกับฉบับที่เผยแพร่อยู่แล้ว ไม่มีอะไรต้องเผยแพร่"))
                return ""
            version = services.publish_draft(service_type=service_type, actor=user)
            messages.success(request, gettext("เผยแพร่ฉบับที่ %(n)s แล้ว คำร้องใหม่ใช้แบบฟอร์มนี้ "
                                              "คำร้องที่ยื่นไว้แล้วใช้ฉบับเดิมของตน") % {"n": version.number})
            return ""
        if op == "rollback":
            version = get_object_or_404(FormVersion, pk=request.POST.get("version") or 0, service_type=service_type)
            new = services.roll_back(service_type=service_type, version=version, actor=user)
            messages.success(request, gettext("ย้อนกลับไปใช้แบบฟอร์มฉบับที่ %(old)s แล้ว (เผยแพร่เป็นฉบับที่ %(new)s)")
                             % {"old": version.number, "new": new.number})
            return ""
        field = get_object_or_404(FormField, pk=request.POST.get("field") or 0, service_type=service_type)
        if op in ("up", "down"):
            services.move_field(field=field, up=op == "up", actor=user)
            return f"field-{field.pk}"
        if op == "duplicate":
            copy = services.duplicate_field(field=field, actor=user)
            messages.success(request, gettext("ทำสำเนาช่อง “%(label)s” แล้ว") % {"label": field.label_th})
            return f"field-{copy.pk}"
        if op == "remove":
            services.remove_field(field=field, actor=user)
            messages.success(request, gettext("ลบช่อง “%(label)s” ออกจากฉบับร่างแล้ว") % {"label": field.label_th})
            return "fields"
        if op == "save":
            form = bound["form"] = FieldForm(request.POST, field=field)
            if not form.is_valid():
                return None
            data = form.cleaned_data
            services.update_field(field=field, actor=user, label_th=data["label_th"], label_en=data["label_en"],
                                  kind=data["kind"], required=data["required"], help_th=data["help_th"],
                                  help_en=data["help_en"],
                                  choice_labels=request.POST.getlist(form.add_prefix("choice")),
                                  choice_english=request.POST.getlist(form.add_prefix("choice_en")),
                                  allow_other=data["allow_other"], code=data["code"])
            messages.success(request, gettext("บันทึกช่อง “%(label)s” ในฉบับร่างแล้ว") % {"label": data["label_th"]})
            return f"field-{field.pk}"
        raise ValidationError(gettext("ไม่รู้จักคำสั่งนี้"))

    # --- the preview ---
    def preview_view(self, request, object_id):
        """Exactly the citizen's form page, rendered from the draft, in Thai or English (?lang=en)."""
        service_type = self._service_type(request, object_id)
        draft = FormVersion(service_type=service_type, number=0, definition=selectors.definition_of(service_type))
        language = "en" if request.GET.get("lang") == "en" else "th"
        with translation.override(language):
            form = RequestForm(version=draft)
            response = TemplateResponse(request, "eservice/form.html", {
                "organization": service_type.organization, "service_type": service_type, "form": form,
                "at_counter": False, "documents": draft.definition.get("documents", []),
                "messages": []})  # the staff member's notices stay for the builder page, not the preview
            response.render()
        return response
