"""The tax step of the organization's set-up wizard (portal.registry.SetupStep): the biller ID the bank gave the
organization for Thai QR bill payments (its 13-digit tax ID and the bank's 2-digit suffix), the payee name shown
by the QR, this year's tax year seeded from the Act's tables, and the secret the bank signs its payment callbacks
with: generated here, kept sealed (TaxSettings.callback_secret), shown to the clerk once to give to the bank."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import thai
from portal.registry import SetupStep, ShownOnce
from portal.web.middleware import absolute_url

from . import services
from .models import TaxSettings


class TaxSettingsForm(forms.Form):
    biller_id = forms.CharField(
        label=_("รหัสผู้รับชำระ (Biller ID) จากธนาคาร"), max_length=40,
        help_text=_("ตัวเลข 15 หลักที่ธนาคารให้เมื่อเปิดบริการรับชำระด้วย QR: เลขประจำตัวผู้เสียภาษี 13 หลักขององค์กร "
                    "ตามด้วยรหัส 2 หลักของธนาคาร"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    payee_name = forms.CharField(label=_("ชื่อผู้รับชำระที่แสดงข้าง QR"), max_length=25, required=False,
                                 help_text=_("ไม่เกิน 25 ตัวอักษร เว้นว่างเพื่อใช้ชื่อองค์กร"))
    new_secret = forms.BooleanField(
        label=_("สร้างรหัสลับสำหรับธนาคารใหม่"), required=False,
        help_text=_("รหัสเดิมใช้ไม่ได้ทันที ต้องแจ้งรหัสใหม่ให้ธนาคาร"))

    def __init__(self, data=None, files=None, *, organization):
        super().__init__(data, files)
        row = TaxSettings.objects.filter(organization=organization).first()
        if row is None:  # a first save always makes the secret
            del self.fields["new_secret"]
        elif organization.tax_id:
            self.fields["biller_id"].initial = f"{organization.tax_id}{row.biller_suffix}"
            self.fields["payee_name"].initial = row.payee_name

    def clean_biller_id(self):
        digits = "".join(ch for ch in thai.to_arabic_digits(self.cleaned_data["biller_id"]) if ch not in " -")
        if not (len(digits) == 15 and digits.isdigit()):
            raise ValidationError(_("รหัสผู้รับชำระต้องเป็นตัวเลข 15 หลัก (เลขผู้เสียภาษี 13 หลัก และรหัสธนาคาร 2 หลัก)"))
        return digits


def save_tax_settings(*, organization, form, actor):
    """The biller ID, payee and this year's tax year (services.set_biller); a new callback secret on the first
    save or when asked, returned to be shown once."""
    data = form.cleaned_data
    secret = services.set_biller(organization=organization, biller_id=data["biller_id"], payee_name=data["payee_name"],
                                 new_callback_secret=bool(data.get("new_secret")), actor=actor)
    if secret is None:
        return None
    return ShownOnce(
        label=_("รหัสลับสำหรับธนาคารแจ้งชำระ"), value=secret,
        note=_("ให้ธนาคารใช้รหัสนี้ลงลายมือชื่อ (HMAC-SHA256) การแจ้งชำระที่ส่งมาที่ %(url)s "
               "ระบบเก็บรหัสแบบเข้ารหัสและจะไม่แสดงอีก หากทำหายให้สร้างใหม่ในขั้นนี้")
        # the whole address, scheme and host included: the bank's form asks for a URL, not a path
        % {"url": absolute_url(reverse("taxpay-callback", args=[organization.slug]))})


def setup_steps():
    return [SetupStep(name="settings", title=_("การรับชำระภาษีด้วย QR"), form_class=TaxSettingsForm,
                      save=save_tax_settings)]
