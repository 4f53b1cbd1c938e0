import re

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.inputs.forms import KeepInputMixin, KeptFilesField, KeptFilesWidget, ThaiDigitsDecimalField
from portal.inputs.uploads import check_photo
from portal.thai import to_arabic_digits

from .models import DESCRIPTION_MAX, MAX_PHOTOS, Category, Complaint


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("แนบภาพได้ไม่เกิน 5 ภาพ"))
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


PHONE_RE = re.compile(r"0\d{8,9}")


def normalize_phone(value: str) -> str:
    """A Thai phone number as digits only: Thai digits become Arabic, spaces, dashes, dots and brackets go,
    +66 becomes 0. Raises ValidationError when what is left is not a Thai number (9 or 10 digits from 0)."""
    value = to_arabic_digits((value or "").strip())
    if not value:
        return ""
    digits = re.sub(r"[\s\-.()]", "", value)
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    if not PHONE_RE.fullmatch(digits):
        raise forms.ValidationError(
            _("เบอร์โทรไม่ถูกต้อง ใช้ตัวเลข 9–10 หลัก เช่น 081-234-5678"),
            code="phone")
    return digits


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        return normalize_phone(super().clean(value))


class KnownCategoryIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.known is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for category in self.field.known.values():
            yield self.choice(category)

    def __len__(self):
        if self.field.known is None:
            return super().__len__()
        return len(self.field.known) + (self.field.empty_label is not None)

    def __bool__(self):
        return True


class KnownCategoryField(forms.ModelChoiceField):
    """A category choice that, when given the categories in memory (`known`), offers and looks values up there
    without a query."""

    known = None
    iterator = KnownCategoryIterator

    def to_python(self, value):
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.known[int(to_arabic_digits(str(value)))]
        except (KeyError, ValueError, TypeError):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


def photos_field(label, purpose):
    """Up to MAX_PHOTOS photos, re-encoded on arrival and kept across form errors (portal.inputs.forms)."""
    return KeptFilesField(label=label, purpose=purpose, check=check_photo, max_files=MAX_PHOTOS, images=True,
                          required=False,
                          error_messages={"too_many": _("แนบภาพได้ไม่เกิน 5 ภาพ")},
                          widget=KeptFilesWidget(attrs={"accept": "image/*"}))


class ComplaintForm(KeepInputMixin, forms.Form):
    category = KnownCategoryField(queryset=None, label=_("เรื่องที่แจ้ง"),
                                  empty_label=_("— เลือกประเภท —"))
    description = forms.CharField(label=_("รายละเอียด"), max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("เล่าสิ่งที่พบ จุดสังเกต ตั้งแต่เมื่อไร"))
    latitude = ThaiDigitsDecimalField(label=_("ละติจูด"), required=False, max_digits=9, decimal_places=6,
                                      widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    longitude = ThaiDigitsDecimalField(label=_("ลองจิจูด"), required=False, max_digits=9, decimal_places=6,
                                       widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    address = forms.CharField(label=_("ที่อยู่หรือจุดสังเกต"), max_length=300, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))  # a landmark is often longer than a phone's line
    village = forms.CharField(label=_("หมู่บ้าน / หมู่ที่"), max_length=100, required=False)
    photos = photos_field(_("ภาพประกอบ (ไม่เกิน 5 ภาพ)"), "complaints.photos")
    contact_name = forms.CharField(label=_("ชื่อ (ไม่บังคับ)"), max_length=200, required=False)
    contact_phone = PhoneField(label=_("โทรศัพท์"))
    contact_email = forms.EmailField(label=_("อีเมล"), required=False, max_length=254)
    notify_channel = forms.ChoiceField(
        label=_("แจ้งความคืบหน้าทาง"), required=False,
        choices=[("", _("ไม่ต้องแจ้ง (ติดตามด้วยรหัสเอง)")), ("sms", "SMS"), ("email", _("อีเมล"))])
    pdpa_consent = forms.BooleanField(
        label=_("ยินยอมให้เก็บข้อมูลติดต่อเพื่อใช้ติดตามเรื่องนี้เท่านั้น (PDPA)"),
        required=False)
    asset = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        if isinstance(categories, list):
            # Categories already in memory (the cached directory), in display order: no query at all.
            field.queryset = Category.objects.none()
            field.known = {c.pk: c for c in categories}
        else:
            field.queryset = categories

    def clean_village(self):
        # "หมู่ ๓" and "หมู่ 3" are the same village on the dashboard.
        return to_arabic_digits(self.cleaned_data["village"].strip())


class StaffComplaintForm(ComplaintForm):
    """Staff file on a citizen's behalf (phone / counter / Facebook); photos are plain uploads, checked by the
    service."""

    photos = MultiplePhotoField(label=_("ภาพประกอบ (ไม่เกิน 5 ภาพ)"),
                                widget=MultipleFileInput(attrs={"accept": "image/*"}))

    channel = forms.ChoiceField(label=_("ช่องทาง"), choices=[
        (Complaint.Channel.PHONE, Complaint.Channel.PHONE.label),
        (Complaint.Channel.COUNTER, Complaint.Channel.COUNTER.label),
        (Complaint.Channel.FACEBOOK, Complaint.Channel.FACEBOOK.label),
    ])


class CorruptionForm(KeepInputMixin, forms.Form):
    category = forms.ModelChoiceField(queryset=None, label=_("ประเภท"), empty_label=None)
    description = forms.CharField(label=_("รายละเอียดการกระทำที่พบ"), max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("ใคร ทำอะไร เมื่อไร ที่ไหน มีหลักฐานอะไร"))
    concerned_department = forms.ModelChoiceField(queryset=None, required=False,
                                                  label=_("หน่วยงานที่เกี่ยวข้อง (ถ้าทราบ)"))
    photos = photos_field(_("ภาพหลักฐาน (ไม่เกิน 5 ภาพ)"), "complaints.evidence")
    contact_name = forms.CharField(label=_("ชื่อ (เว้นว่างได้)"), max_length=200,
                                   required=False)
    contact_phone = PhoneField(label=_("โทรศัพท์ (เว้นว่างได้)"))
    contact_email = forms.EmailField(label=_("อีเมล (เว้นว่างได้)"), required=False, max_length=254)
    pdpa_consent = forms.BooleanField(label=_("ยินยอมให้เก็บข้อมูลติดต่อ (PDPA)"),
                                      required=False)

    def __init__(self, *args, categories=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["concerned_department"].queryset = departments
        self.fields["concerned_department"].label_from_instance = lambda department: department.name


class CorruptionStatusForm(forms.Form):
    code = forms.CharField(label=_("รหัสติดตาม"), max_length=24)
    passphrase = forms.CharField(label=_("รหัสผ่าน"), max_length=40,
                                 help_text=_("ตัวอักษร 16 ตัว เว้นวรรคหรือขีดคั่นก็ได้ ไม่ต้องสนใจตัวพิมพ์ใหญ่เล็ก"),
                                 widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off",
                                                                                      "autocapitalize": "none"}))


class RatingForm(KeepInputMixin, forms.Form):
    score = forms.TypedChoiceField(label=_("ความพึงพอใจ"), coerce=int, widget=forms.RadioSelect,
                                   choices=[(5, _("5 · พอใจมาก")), (4, _("4 · พอใจ")), (3, _("3 · ปานกลาง")),
                                            (2, _("2 · ไม่พอใจ")), (1, _("1 · ไม่พอใจมาก"))])
    comment = forms.CharField(label=_("ความเห็นเพิ่มเติม"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
