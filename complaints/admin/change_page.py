"""The complaint change page is one form: the complaint's fields (category, department, officer, address) and the
workflow action (change status, reply, internal note, mark as duplicate) are sent together by any of its buttons
and saved together, in one transaction, through complaints.services.

When either part is refused (a field, a transition the workflow does not allow, a note that is required) nothing is
saved and the page comes back with everything typed still in place and the reason beside the part concerned.
"""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.inputs.forms import KeepInputMixin, KeptFilesField, KeptFilesWidget, apply_errors
from portal.inputs.uploads import check_photo

from .. import services, workflow
from ..models import DESCRIPTION_MAX

ACTION_PREFIX = "act"
ACT_BUTTON = "_act"  # the action button: saves like "save and continue editing"


class StaffActionForm(KeepInputMixin, forms.Form):
    """What staff do with the complaint, next to the fields they edit: nothing, or one action. The after-repair
    photo is kept (portal.inputs.tempuploads) when the page comes back with an error, like the citizens' photos."""

    ACTIONS = [("", _("— ไม่มี (บันทึกเฉพาะการแก้ไขด้านล่าง) —")), ("status", _("เปลี่ยนสถานะ")),
               ("reply", _("ตอบกลับผู้แจ้ง")), ("note", _("บันทึกภายใน")),
               ("duplicate", _("ทำเครื่องหมายว่าซ้ำ"))]
    action = forms.ChoiceField(label=_("การดำเนินการ"), choices=ACTIONS, required=False)
    to_status = forms.ChoiceField(label=_("สถานะใหม่"), required=False, choices=[])
    note = forms.CharField(label=_("ข้อความ"), required=False, max_length=DESCRIPTION_MAX,
                           widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    public = forms.BooleanField(label=_("ผู้แจ้งเห็นข้อความนี้"), required=False, initial=True)
    duplicate_code = forms.CharField(label=_("รหัสติดตามเรื่องต้นฉบับ"), required=False, max_length=24)
    photo = KeptFilesField(label=_("ภาพหลังแก้ไข"), purpose="complaints.after_photo", check=check_photo,
                           max_files=1, images=True, required=False,
                           widget=KeptFilesWidget(attrs={"accept": "image/*"}, multiple=False))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, prefix=ACTION_PREFIX, **kwargs)
        self.fields["to_status"].choices = [("", "—")] + [(t, workflow.Status(t).label) for t in targets]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        asked = self.data.get(self.add_prefix("to_status"))
        if "to_status" in self.errors and asked in workflow.Status.values:
            # The page was opened before someone else moved the complaint on.
            self.errors["to_status"] = self.error_class([gettext(
                "เปลี่ยนเป็น “%(asked)s” จากสถานะปัจจุบันไม่ได้ (เรื่องอาจถูกเปลี่ยนสถานะระหว่างที่เปิดหน้านี้) "
                "เลือกสถานะใหม่") % {"asked": workflow.Status(asked).label}])
            return data
        if not action:
            # Typed but no action chosen: say so rather than drop the text.
            if data.get("note") or data.get("to_status") or data.get("duplicate_code") or data.get("photo"):
                self.add_error("action", gettext("เลือกการดำเนินการสำหรับข้อความหรือสถานะที่กรอกไว้"))
        elif action == "status" and not data.get("to_status"):
            self.add_error("to_status", gettext("เลือกสถานะใหม่"))
        elif action in ("reply", "note") and not (data.get("note") or "").strip():
            self.add_error("note", gettext("กรุณาพิมพ์ข้อความ"))
        elif action == "duplicate" and not (data.get("duplicate_code") or "").strip():
            self.add_error("duplicate_code", gettext("ระบุรหัสติดตามของเรื่องต้นฉบับ"))
        return data


class ChangeRefused(Exception):
    """A service refused part of the change page: the transaction is rolled back and the page shown again."""

    def __init__(self, error: ValidationError, *, part: str):
        super().__init__(error)
        self.error, self.part = error, part


# Service error keys -> the action form's fields
ACTION_FIELDS = {"message": "note", "duplicate_of": "duplicate_code", "photo": "photo", "to_status": "to_status"}


class ChangePageActionsMixin:
    """One form for edits and the workflow action (see the module docstring). The template puts the action fields
    (prefix `act-`) at the top of the admin's own <form>."""

    def _action_form(self, request, obj, data=None, files=None):
        return StaffActionForm(data, files, request=request, targets=workflow.allowed_targets(obj.status))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if obj is None or not self.has_change_permission(request, obj):
            return form_class
        admin_self = self

        class ComplaintChangeForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                self.action_form = admin_self._action_form(
                    request, obj, self.data if self.is_bound else None, self.files if self.is_bound else None)

            def is_multipart(self):
                return True  # the after-repair photo

            def full_clean(self):
                super().full_clean()
                if not self.is_bound:
                    return
                refused = getattr(request, "_complaint_change_refused", None)
                if refused is not None and refused.part == "fields":
                    apply_errors(self, refused.error)
                if self.action_form.is_valid() and refused is not None and refused.part == "action":
                    error = refused.error
                    if hasattr(error, "error_dict"):
                        error = ValidationError({ACTION_FIELDS.get(k, k): v for k, v in error.error_dict.items()})
                    apply_errors(self.action_form, error)
                if self.action_form.errors:
                    self.add_error(None, gettext("ยังไม่ได้บันทึกการแก้ไขใด ๆ: ดูเหตุผลที่ส่วน “ดำเนินการ” ด้านบน"))

        return ComplaintChangeForm

    def save_model(self, request, obj, form, change):
        """Edits then the action, both through the services (who did it: the timeline's author and the audit
        row). The admin runs this inside its transaction: a refusal rolls both back (see changeform_view)."""
        complaint = type(obj).objects.get(pk=obj.pk)  # `obj` already carries the typed values
        changes = {name: form.cleaned_data[name] for name in services.EDITABLE
                   if name in form.changed_data and name in form.cleaned_data}
        try:
            services.edit(complaint=complaint, actor=request.user, **changes)
        except ValidationError as exc:
            raise ChangeRefused(exc, part="fields") from exc
        action_form = getattr(form, "action_form", None)
        if action_form is None or not action_form.cleaned_data.get("action"):
            return
        try:
            self.apply_action(request, complaint, action_form.cleaned_data)
        except ValidationError as exc:
            raise ChangeRefused(exc, part="action") from exc
        request._complaint_action_done = True
        action_form.release_uploads()
        obj.refresh_from_db()

    def apply_action(self, request, complaint, data):
        action = data["action"]
        if action == "status":
            photo = next((ContentFile(c.data, name=f"{uuid.uuid4().hex}.{c.extension}") for c in data["photo"]), None)
            services.change_status(complaint=complaint, to_status=data["to_status"], actor=request.user,
                                   note=data["note"], public=data["public"], photo=photo)
        elif action in ("reply", "note"):
            services.add_reply(complaint=complaint, actor=request.user, message=data["note"],
                               public=action == "reply")
        elif action == "duplicate":
            original = self.get_queryset(request).filter(
                tracking_code=(data["duplicate_code"] or "").strip().upper()).first()
            if original is None:
                raise ValidationError({"duplicate_of": gettext("ไม่พบเรื่องต้นฉบับตามรหัสนี้")})
            services.mark_duplicate(complaint=complaint, original=original, actor=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except ChangeRefused as refused:
            # The admin's transaction is rolled back; the same POST is shown again, the refusal on its part.
            request._complaint_change_refused = refused
            response = super().changeform_view(request, object_id, form_url, extra_context)
        if request.method == "POST" and isinstance(response, TemplateResponse):
            response.status_code = 400  # refused input: the page again, with what was typed
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = getattr(context.get("adminform"), "form", None)
        action_form = getattr(form, "action_form", None)
        context.update({
            "action_form": action_form, "can_act": action_form is not None,
            "act_button": ACT_BUTTON,
            "public_url": obj.get_absolute_url() if obj is not None and not obj.is_protected else "",
        })
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if ACT_BUTTON in request.POST:
            if getattr(request, "_complaint_action_done", False):
                messages.success(request, gettext("บันทึกการดำเนินการแล้ว"))
            else:
                messages.success(request, gettext("บันทึกแล้ว"))
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)
