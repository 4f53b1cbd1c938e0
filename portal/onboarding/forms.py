"""Forms of onboarding: the directory upload, the invitation (admin), setting the password, and one form per step
of the clerk's set-up wizard."""

import hashlib

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portal.inputs.uploads import clean_image_bytes, max_upload_bytes, read_limited
from portal.models import HOST_NAME, Organization, OrganizationHost, validate_slug_not_reserved
from portal.registry import service_apps

# A logo is shown small: never more than 5 MB, and never more than the one upload limit (UPLOAD_MAX_BYTES).
LOGO_MAX_BYTES = 5 * 1024 * 1024

# The divisions nearly every municipality and SAO has (the demo's codes), offered as the first departments.
STANDARD_DEPARTMENTS = [
    ("clerk", "สำนักปลัด", "Office of the Clerk"),
    ("finance", "กองคลัง", "Finance Division"),
    ("works", "กองช่าง", "Public Works Division"),
    ("education", "กองการศึกษา ศาสนาและวัฒนธรรม", "Education, Religion and Culture Division"),
    ("welfare", "กองสวัสดิการสังคม", "Social Welfare Division"),
    ("health", "กองสาธารณสุขและสิ่งแวดล้อม", "Public Health and Environment Division"),
]


class DirectoryUploadForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์ทะเบียน อปท. (CSV หรือ Excel)"),
                           help_text=_("แถวแรกเป็นหัวตาราง: รหัส ประเภท ชื่อ จังหวัด อำเภอ ตำบล"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("รับเฉพาะไฟล์ .csv หรือ .xlsx"))
        return read_limited(upload)  # the one upload limit


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("อีเมลของผู้ดูแลองค์กร"),
                             help_text=_("ลิงก์ตั้งรหัสผ่านจะส่งไปที่อีเมลนี้ ใช้ได้ครั้งเดียวภายใน 7 วัน"))
    slug = forms.SlugField(label=_("ชื่อย่อใน URL"), max_length=60, required=False,
                           help_text=_("ใช้ในที่อยู่เว็บ เช่น /khamyai/"))
    host = forms.CharField(label=_("ชื่อโดเมนขององค์กร (ถ้ามี)"), max_length=253, required=False,
                           validators=[HOST_NAME], help_text=_("เช่น www.khamyai.go.th ให้ชี้ DNS มาที่เครื่องนี้ก่อน"))

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        if organization is not None:
            self.fields["slug"].disabled = True
            self.fields["slug"].initial = organization.slug

    def clean_slug(self):
        if self.organization is not None:
            return self.organization.slug
        slug = slugify(self.cleaned_data.get("slug") or "")
        if not slug:
            raise ValidationError(_("กรุณากรอกชื่อย่อใน URL"))
        validate_slug_not_reserved(slug)
        if Organization.objects.filter(slug=slug).exists():
            raise ValidationError(_("มีองค์กรใช้ชื่อย่อนี้แล้ว"))
        return slug

    def clean_host(self):
        host = (self.cleaned_data.get("host") or "").strip().lower().rstrip(".")
        if host and OrganizationHost.objects.filter(host=host).exclude(organization=self.organization).exists():
            raise ValidationError(_("มีองค์กรอื่นใช้ชื่อโดเมนนี้แล้ว"))
        return host


class _NewPasswordForm(forms.Form):
    """A first password typed twice, checked by the installation's password validators against the account it is
    for (`password_user`)."""

    password1 = forms.CharField(label=_("รหัสผ่าน"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("อย่างน้อย 10 ตัวอักษร ไม่ใช่ตัวเลขล้วน และไม่ซ้ำกับชื่อหรืออีเมล"))
    password2 = forms.CharField(label=_("ยืนยันรหัสผ่าน"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def password_user(self, data):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))
        elif first:
            try:
                password_validation.validate_password(first, self.password_user(data))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class AcceptForm(_NewPasswordForm):
    first_name = forms.CharField(label=_("ชื่อ"), max_length=150)
    last_name = forms.CharField(label=_("นามสกุล"), max_length=150)
    field_order = ["first_name", "last_name", "password1", "password2"]

    def __init__(self, *args, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def password_user(self, data):
        """The account about to be made (not saved yet): the validators compare the password with its names."""
        from django.contrib.auth import get_user_model

        return get_user_model()(username=self.email, email=self.email, first_name=data.get("first_name", ""),
                                last_name=data.get("last_name", ""))


class JoinForm(_NewPasswordForm):
    """An invited staff member's first password."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def password_user(self, data):
        return self.user


class NamesForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name_th", "name_en"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["address", "phone", "email", "office_hours", "office_hours_en"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "office_hours": forms.Textarea(attrs={"rows": 2}),
                   "office_hours_en": forms.Textarea(attrs={"rows": 2})}


class LineForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["line_oa_id"]


class LogoForm(forms.Form):
    logo = forms.FileField(label=_("ตราสัญลักษณ์"), help_text=_("ภาพ JPEG หรือ PNG ไม่เกิน 5 MB"))

    def clean_logo(self):
        upload = self.cleaned_data["logo"]
        return clean_image_bytes(read_limited(upload, min(LOGO_MAX_BYTES, max_upload_bytes())), max_side=512)


def service_choices():
    return [(config.label, config.verbose_name) for config in service_apps()]


class ServicesForm(forms.Form):
    on = forms.MultipleChoiceField(label=_("บริการที่เปิดให้ประชาชน"), required=False,
                                   widget=forms.CheckboxSelectMultiple,
                                   help_text=_("หน้าแรกขององค์กรแสดงเฉพาะบริการที่เลือก เปลี่ยนได้ภายหลัง"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].choices = service_choices()

    def services_off(self) -> list[str]:
        return [label for label, _name in service_choices() if label not in self.cleaned_data["on"]]


class DepartmentsForm(forms.Form):
    standard = forms.MultipleChoiceField(
        label=_("หน่วยงานหลัก"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(code, name_th) for code, name_th, _en in STANDARD_DEPARTMENTS])
    others = forms.CharField(label=_("หน่วยงานอื่น"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("บรรทัดละหนึ่งหน่วยงาน เช่น กองส่งเสริมการเกษตร"))

    def departments(self) -> list[tuple[str, str, str]]:
        picked = set(self.cleaned_data["standard"])
        rows = [row for row in STANDARD_DEPARTMENTS if row[0] in picked]
        names = [" ".join(line.split()) for line in self.cleaned_data["others"].splitlines()]
        for name in dict.fromkeys(n for n in names if n):
            # a code from the name itself: saving the step again does not add the same department twice
            rows.append((f"d-{hashlib.sha1(name.encode()).hexdigest()[:10]}", name[:200], ""))
        return rows

    def clean_others(self):
        text = self.cleaned_data["others"]
        if any(len(line.strip()) > 200 for line in text.splitlines()):
            raise ValidationError(_("ชื่อหน่วยงานยาวได้ไม่เกิน 200 ตัวอักษร"))
        return text


class DigitsForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["public_digits"]
        widgets = {"public_digits": forms.RadioSelect}


STAFF_ROWS = 3


class StaffForm(forms.Form):
    """Up to three people a save (save the step again for more): their e-mail and role."""

    def __init__(self, *args, **kwargs):
        from portal.onboarding.services import STAFF_ROLES

        super().__init__(*args, **kwargs)
        for n in range(1, STAFF_ROWS + 1):
            self.fields[f"email_{n}"] = forms.EmailField(
                label=_("อีเมลเจ้าหน้าที่คนที่ %(n)s") % {"n": n}, required=False,
                help_text=_("ลิงก์ตั้งรหัสผ่านจะส่งไปที่อีเมลนี้") if n == 1 else "")
            self.fields[f"role_{n}"] = forms.ChoiceField(
                label=_("บทบาทของคนที่ %(n)s") % {"n": n}, choices=[(r.value, r.label) for r in STAFF_ROLES],
                initial=STAFF_ROLES[0].value)

    def people(self) -> list[tuple[str, str]]:
        rows = [(self.cleaned_data.get(f"email_{n}") or "", self.cleaned_data.get(f"role_{n}"))
                for n in range(1, STAFF_ROWS + 1)]
        return list(dict.fromkeys((email.lower(), role) for email, role in rows if email))
