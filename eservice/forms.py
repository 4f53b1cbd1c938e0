"""The request form, built from a service's form definition (one frozen FormVersion), and the queue forms.

The same form class validates the web form, the counter and Open311 (which maps attribute[<code>] onto it), so
every channel follows one set of rules.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import thai
from portal.inputs.forms import (
    BEDateField,
    KeepInputMixin,
    KeptFilesField,
    KeptFilesWidget,
    ThaiDigitsDecimalField,
)
from portal.inputs.uploads import DOCUMENT_TYPES, check_file

from .models import FieldKind, ServiceRequest, shown_choices

MAX_FILES_PER_FIELD = 3
OTHER = "__other__"
PHONE_RE = re.compile(r"0\d{8,9}")
NAME_MAX = 200
TEXT_MAX = 2000


def normalize_phone(value: str) -> str:
    """Digits only (Thai digits, spaces, dashes and +66 accepted); ValidationError when it is not a Thai number."""
    digits = re.sub(r"[\s\-.()]", "", thai.to_arabic_digits((value or "").strip()))
    if not digits:
        return ""
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    if not PHONE_RE.fullmatch(digits):
        raise ValidationError(_("เบอร์โทรศัพท์ไม่ถูกต้อง ใช้ตัวเลข 9–10 หลัก เช่น 081-234-5678"), code="phone")
    return digits


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        return normalize_phone(super().clean(value))


class CitizenIdField(forms.CharField):
    """13 digits with the mod-11 check digit; cleans to the digits (the service stores only hash + mask)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        digits = thai.normalize_id(value)
        if len(digits) != 13:
            raise ValidationError(_("เลขประจำตัวประชาชนต้องมี 13 หลัก"), code="citizen_id")
        if not thai.is_valid_citizen_id(digits):
            raise ValidationError(_("เลขประจำตัวประชาชนไม่ถูกต้อง (เลขตรวจสอบหลักสุดท้ายไม่ตรง)"), code="citizen_id")
        return digits


class DictWidget(forms.MultiWidget):
    """A MultiWidget whose value is one of our answer dicts (choice + other, address, point)."""

    def __init__(self, widgets, keys, attrs=None):
        self.keys = keys
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get(k) for k in self.keys]
        return [None] * len(self.keys)


class ChoiceWithOtherField(forms.MultiValueField):
    """A choice (or several) plus an "other: ___" text box; cleans to {"value": key(s), "other": text}."""

    def __init__(self, *, choices, multiple, allow_other, required, **kwargs):
        self.multiple, self.allow_other = multiple, allow_other
        all_choices = list(choices) + ([(OTHER, _("อื่น ๆ (โปรดระบุ)"))] if allow_other else [])
        select = (forms.MultipleChoiceField if multiple else forms.ChoiceField)(
            choices=all_choices, required=False,
            error_messages={"invalid_choice": _("ตัวเลือก “%(value)s” ไม่อยู่ในรายการ")})
        fields = (select, forms.CharField(required=False, max_length=200))
        widget_cls = forms.CheckboxSelectMultiple if multiple else forms.RadioSelect
        widget = DictWidget([widget_cls(choices=all_choices), forms.TextInput(attrs={"placeholder": _("ระบุ")})],
                            ["value", "other"])
        if not allow_other:
            fields = (select,)
            widget = DictWidget([widget_cls(choices=all_choices)], ["value"])
        super().__init__(fields=fields, widget=widget, require_all_fields=False, required=required, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        value = data_list[0]
        other = data_list[1].strip() if self.allow_other and len(data_list) > 1 and data_list[1] else ""
        picked = list(value or []) if self.multiple else ([value] if value else [])
        if not picked and not other:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if OTHER in picked and not other:
            raise ValidationError(_("เลือก “อื่น ๆ” แล้ว กรุณาระบุ"), code="other")
        if other and OTHER not in picked:
            picked.append(OTHER)
        return {"value": picked if self.multiple else picked[0], "other": other}


class AddressField(forms.MultiValueField):
    def __init__(self, *, required, **kwargs):
        fields = (forms.CharField(max_length=200, required=False), forms.CharField(max_length=100, required=False),
                  forms.CharField(max_length=100, required=False), forms.CharField(max_length=100, required=False))
        widget = DictWidget([
            forms.TextInput(attrs={"placeholder": _("บ้านเลขที่ หมู่ ถนน")}),
            forms.TextInput(attrs={"placeholder": _("ตำบล")}),
            forms.TextInput(attrs={"placeholder": _("อำเภอ")}),
            forms.TextInput(attrs={"placeholder": _("จังหวัด")}),
        ], ["line", "subdistrict", "district", "province"])
        super().__init__(fields=fields, widget=widget, require_all_fields=False, required=required, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        line, subdistrict, district, province = (v.strip() for v in data_list)
        if not (subdistrict and district and province):
            raise ValidationError(_("กรุณากรอกตำบล อำเภอ และจังหวัดให้ครบ"), code="address")
        return {"line": line, "subdistrict": subdistrict, "district": district, "province": province}


class PointField(forms.MultiValueField):
    def __init__(self, *, required, **kwargs):
        number = {"error_messages": {"invalid": _("พิกัดต้องเป็นตัวเลข")}, "required": False}
        fields = (ThaiDigitsDecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90, **number),
                  ThaiDigitsDecimalField(max_digits=10, decimal_places=6, min_value=-180, max_value=180, **number))
        widget = DictWidget([
            forms.TextInput(attrs={"placeholder": _("ละติจูด"), "inputmode": "decimal", "data-map": "lat"}),
            forms.TextInput(attrs={"placeholder": _("ลองจิจูด"), "inputmode": "decimal", "data-map": "lng"}),
        ], ["lat", "lng"])
        super().__init__(fields=fields, widget=widget, require_all_fields=False, required=required, **kwargs)

    def compress(self, data_list):
        if not data_list or all(v in (None, "") for v in data_list):
            return None
        if any(v in (None, "") for v in data_list):
            raise ValidationError(_("ต้องระบุทั้งละติจูดและลองจิจูด"), code="point")
        return {"lat": str(data_list[0]), "lng": str(data_list[1])}


def check_document(upload):
    """A document by content and size (PDF, images, Word, Excel)."""
    return check_file(upload, allowed=DOCUMENT_TYPES)


def document_field(*, purpose: str, max_files: int = MAX_FILES_PER_FIELD, **kwargs) -> KeptFilesField:
    """Files checked by content and size, kept in private temporary storage across form errors (portal.inputs.forms)."""
    return KeptFilesField(purpose=purpose, check=check_document, max_files=max_files,
                          widget=KeptFilesWidget(multiple=max_files > 1),
                          error_messages={"too_many": _("แนบได้ไม่เกิน %(n)s ไฟล์ต่อช่อง"),
                                          "required": _("กรุณาแนบไฟล์")}, **kwargs)


def _label(field: dict) -> str:
    return thai.localized(field, "label")


def build_field(field: dict) -> forms.Field:
    kind, required = field["kind"], field["required"]
    common = {"label": _label(field), "required": required, "help_text": thai.localized(field, "help")}
    if kind == FieldKind.TEXT:
        return forms.CharField(max_length=NAME_MAX, **common)
    if kind == FieldKind.TEXTAREA:
        return forms.CharField(max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == FieldKind.NUMBER:
        return ThaiDigitsDecimalField(max_digits=14, decimal_places=2,
                                      widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                                      error_messages={"invalid": _("กรุณากรอกเป็นตัวเลข")}, **common)
    if kind == FieldKind.DATE:
        return BEDateField(**common)
    if kind in (FieldKind.CHOICE, FieldKind.MULTICHOICE):
        return ChoiceWithOtherField(choices=shown_choices(field),
                                    multiple=kind == FieldKind.MULTICHOICE,
                                    allow_other=field.get("allow_other", False), **common)
    if kind == FieldKind.CITIZEN_ID:
        return CitizenIdField(**common)
    if kind == FieldKind.PHONE:
        return PhoneField(**common)
    if kind == FieldKind.EMAIL:
        return forms.EmailField(max_length=254, error_messages={"invalid": _("อีเมลไม่ถูกต้อง")}, **common)
    if kind == FieldKind.ADDRESS:
        return AddressField(**common)
    if kind == FieldKind.POINT:
        return PointField(**common)
    if kind == FieldKind.FILE:
        # "Required" is checked by the form: the counter may file without the citizen's files.
        return document_field(purpose=f"eservice.{field['code']}", **{**common, "required": False})
    raise ValueError(kind)


def field_name(code: str) -> str:
    return f"f_{code}"


class RequestForm(KeepInputMixin, forms.Form):
    """Contact, the definition's fields, consent. `cleaned_answers` and `cleaned_files` after is_valid()."""

    applicant_name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=NAME_MAX)
    phone = PhoneField(label=_("โทรศัพท์"), required=False)
    email = forms.EmailField(label=_("อีเมล"), required=False, error_messages={"invalid": _("อีเมลไม่ถูกต้อง")})
    notify_channel = forms.ChoiceField(label=_("แจ้งผลทาง"), choices=ServiceRequest.Notify.choices, required=False,
                                       widget=forms.RadioSelect)

    def __init__(self, *args, version, consent_text="", files_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.definition_fields = sorted(version.fields, key=lambda f: (f.get("order", 0), f["code"]))
        for field in self.definition_fields:
            self.fields[field_name(field["code"])] = build_field(field)
        self.fields["consent"] = forms.BooleanField(
            label=consent_text or _("ข้าพเจ้ายินยอมให้องค์กรใช้ข้อมูลนี้เพื่อพิจารณาคำร้องและติดต่อกลับเท่านั้น"),
            error_messages={"required": _("กรุณายินยอมให้ใช้ข้อมูลเพื่อพิจารณาคำร้อง")})
        self.files_required = files_required
        self.keep_input()  # the definition's fields came after KeepInputMixin.__init__

    def file_fields(self):
        return [f for f in self.definition_fields if f["kind"] == FieldKind.FILE]

    def bound_definition_fields(self):
        """(definition, bound field) for the template."""
        for field in self.definition_fields:
            yield field, self[field_name(field["code"])]

    def clean(self):
        data = super().clean()
        if data.get("notify_channel") == ServiceRequest.Notify.EMAIL and not data.get("email"):
            self.add_error("email", _("เลือกแจ้งผลทางอีเมล กรุณากรอกอีเมล"))
        if data.get("notify_channel") == ServiceRequest.Notify.SMS and not data.get("phone"):
            self.add_error("phone", _("เลือกแจ้งผลทาง SMS กรุณากรอกเบอร์โทรศัพท์"))
        for field in self.file_fields():
            name = field_name(field["code"])
            if field["required"] and self.files_required and name in data and not data[name]:
                self.add_error(name, _("กรุณาแนบไฟล์"))
        return data

    @property
    def cleaned_answers(self) -> dict:
        answers = {}
        for field in self.definition_fields:
            if field["kind"] == FieldKind.FILE:
                continue
            value = self.cleaned_data.get(field_name(field["code"]))
            if value in (None, "", [], {}):
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif not isinstance(value, str | dict | list):
                value = str(value)
            answers[field["code"]] = value
        return answers

    @property
    def cleaned_files(self) -> dict[str, list]:
        """{field code: [portal.inputs.uploads.CheckedFile]} for the fields that got files."""
        files = {}
        for field in self.file_fields():
            items = self.cleaned_data.get(field_name(field["code"])) or []
            if items:
                files[field["code"]] = items
        return files


class DocumentUploadForm(KeepInputMixin, forms.Form):
    """One file per item the staff asked for (exactly those documents); a good file is kept when another is
    refused. `checked` after is_valid(): [(item, CheckedFile)]."""

    def __init__(self, *args, items, prefix_key="", **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for index, item in enumerate(items):
            field = document_field(purpose=f"eservice.asked.{prefix_key}.{index}", max_files=1, label=item,
                                   required=True)
            field.error_messages["required"] = _("กรุณาแนบ %(item)s") % {"item": item}
            self.fields[f"doc_{index}"] = field
        self.keep_input()

    def clean(self):
        data = super().clean()
        self.checked = [(item, data[f"doc_{index}"][0]) for index, item in enumerate(self.items)
                        if data.get(f"doc_{index}")]
        return data


class RatingForm(KeepInputMixin, forms.Form):
    rating = forms.TypedChoiceField(label=_("ความพึงพอใจ"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)],
                                    widget=forms.RadioSelect,
                                    error_messages={"invalid_choice": _("กรุณาเลือกคะแนน 1 ถึง 5")})
    comment = forms.CharField(label=_("ข้อเสนอแนะ"), required=False, max_length=1000, widget=forms.Textarea(
        attrs={"rows": 3}))


class BookingForm(forms.Form):
    name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=NAME_MAX)
    phone = PhoneField(label=_("โทรศัพท์"))
    citizen_id = CitizenIdField(label=_("เลขประจำตัวประชาชน (ไม่บังคับ)"), required=False)
