import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import ThaiDigitsDecimalField
from portal.thai import to_arabic_digits

from .models import OwnerKind, SignKind, Use


class LookupForm(forms.Form):
    number = forms.CharField(label=_("เลขที่ใบแจ้ง"), max_length=20,
                             help_text=_("พิมพ์ตามที่อยู่บนใบแจ้ง เช่น LB2568000123"),
                             widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}))
    id_last4 = forms.CharField(label=_("เลขประจำตัวผู้เสียภาษี 4 หลักท้าย"), max_length=4, min_length=4,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def clean_number(self):
        value = to_arabic_digits(self.cleaned_data["number"]).strip().upper().replace("-", "").replace(" ", "")
        if not re.fullmatch(r"[A-Z0-9]{1,20}", value):
            raise forms.ValidationError(_("เลขที่ใบแจ้งประกอบด้วยตัวอักษรอังกฤษและตัวเลขเท่านั้น"))
        return value

    def clean_id_last4(self):
        value = to_arabic_digits(self.cleaned_data["id_last4"]).strip()
        if not re.fullmatch(r"\d{4}", value):
            raise forms.ValidationError(_("กรุณากรอกตัวเลข 4 หลัก"))
        return value


TAX_CHOICES = [("land_building", _("ภาษีที่ดินและสิ่งปลูกสร้าง")), ("signboard", _("ภาษีป้าย"))]
CHANGING_CHOICES = [("0", _("ข้อความคงที่")), ("1", _("ข้อความเปลี่ยนได้"))]


class EstimateForm(forms.Form):
    tax = forms.ChoiceField(label=_("ประเภทภาษี"), choices=TAX_CHOICES, initial="land_building")
    use = forms.ChoiceField(label=_("การใช้ประโยชน์"), choices=Use.choices, required=False)
    owner = forms.ChoiceField(label=_("ประเภทเจ้าของ"), choices=OwnerKind.choices, required=False)
    value = ThaiDigitsDecimalField(label=_("มูลค่าทรัพย์สิน (บาท)"), required=False, min_value=0, max_digits=16,
                                   decimal_places=2)
    kind = forms.ChoiceField(label=_("ประเภทป้าย"), choices=SignKind.choices, required=False)
    changing = forms.ChoiceField(label=_("ลักษณะข้อความ"), choices=CHANGING_CHOICES, required=False)
    width_cm = ThaiDigitsDecimalField(label=_("ความกว้าง (ซม.)"), required=False, min_value=Decimal("0.1"), max_digits=8,
                                      decimal_places=1)
    height_cm = ThaiDigitsDecimalField(label=_("ความยาว (ซม.)"), required=False, min_value=Decimal("0.1"), max_digits=8,
                                       decimal_places=1)

    def clean(self):
        data = super().clean()
        if data.get("tax") == "signboard":
            needed = ("kind", "changing", "width_cm", "height_cm")
        else:
            needed = ("use", "owner", "value")
        for name in needed:
            if data.get(name) in (None, ""):
                self.add_error(name, _("กรุณากรอกข้อมูลนี้"))
        return data
