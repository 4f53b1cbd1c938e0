import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.inputs.forms import ThaiDigitsDecimalField
from portal.thai import to_arabic_digits

from . import rules
from .models import OwnerKind, SignKind, TaxYear, Use


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


class LostNoticeForm(forms.Form):
    owner_id = forms.CharField(label=_("เลขประจำตัวประชาชนหรือเลขประจำตัวผู้เสียภาษี 13 หลักของเจ้าของ"), max_length=20,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def clean_owner_id(self):
        from portal.thai import is_valid_tax_id, normalize_id

        value = normalize_id(self.cleaned_data["owner_id"])
        if len(value) != 13 or not is_valid_tax_id(value):
            raise forms.ValidationError(_("เลขประจำตัว 13 หลักไม่ถูกต้อง"))
        return value


TAX_CHOICES = [("land_building", _("ภาษีที่ดินและสิ่งปลูกสร้าง")), ("signboard", _("ภาษีป้าย"))]
CHANGING_CHOICES = [("0", _("ข้อความคงที่")), ("1", _("ข้อความเปลี่ยนได้"))]


QUARTER_CHOICES = [("", _("ทั้งปี (ป้ายที่ติดตั้งก่อนปีภาษี)")), ("1", _("ไตรมาสที่ 1 (ม.ค.-มี.ค.): ร้อยละ 100")),
                   ("2", _("ไตรมาสที่ 2 (เม.ย.-มิ.ย.): ร้อยละ 75")), ("3", _("ไตรมาสที่ 3 (ก.ค.-ก.ย.): ร้อยละ 50")),
                   ("4", _("ไตรมาสที่ 4 (ต.ค.-ธ.ค.): ร้อยละ 25"))]


class QuarterField(forms.TypedChoiceField):
    """The quarter a new sign was put up in; Thai digits accepted as typed in a link."""

    def to_python(self, value):
        return super().to_python(to_arabic_digits(value).strip() if isinstance(value, str) else value)


# A number box refuses Thai digits and thousands separators ("๒,๐๐๐,๐๐๐"): a text box with the decimal keypad.
AMOUNT = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class EstimateForm(forms.Form):
    tax = forms.ChoiceField(label=_("ประเภทภาษี"), choices=TAX_CHOICES, initial="land_building")
    # Choices as radio buttons: their labels are longer than a phone's closed drop-down shows, and wrap here.
    use = forms.ChoiceField(label=_("การใช้ประโยชน์"), choices=Use.choices, required=False, initial=Use.choices[0][0],
                            widget=forms.RadioSelect)
    owner = forms.ChoiceField(label=_("ประเภทเจ้าของ"), choices=OwnerKind.choices, required=False,
                              initial=OwnerKind.choices[0][0], widget=forms.RadioSelect)
    value = ThaiDigitsDecimalField(label=_("มูลค่าทรัพย์สิน (บาท)"), required=False, min_value=0, max_digits=16,
                                   decimal_places=2, widget=AMOUNT)
    kind = forms.ChoiceField(label=_("ประเภทป้าย"), choices=SignKind.choices, required=False,
                             initial=SignKind.choices[0][0], widget=forms.RadioSelect)
    changing = forms.ChoiceField(label=_("ลักษณะข้อความ"), choices=CHANGING_CHOICES, required=False,
                                 initial=CHANGING_CHOICES[0][0], widget=forms.RadioSelect)
    width_cm = ThaiDigitsDecimalField(label=_("ความกว้าง (ซม.)"), required=False, min_value=Decimal("0.1"), max_digits=8,
                                      decimal_places=1, widget=AMOUNT)
    height_cm = ThaiDigitsDecimalField(label=_("ความยาว (ซม.)"), required=False, min_value=Decimal("0.1"), max_digits=8,
                                       decimal_places=1, widget=AMOUNT)
    quarter = QuarterField(label=_("ติดตั้งป้ายใหม่ในไตรมาส"), choices=QUARTER_CHOICES, coerce=int, required=False,
                           empty_value=None,
                           help_text=_("ป้ายที่ติดตั้งระหว่างปีเสียภาษีปีแรกตามไตรมาสที่ติดตั้ง"))

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


# --- staff: a tax year's rates, edited as rows (no raw JSON) ---------------------------------------------------

def _money(label, **kwargs):
    return ThaiDigitsDecimalField(label=label, max_digits=16, decimal_places=2, min_value=0, **kwargs)


class SliceForm(forms.Form):
    """One slice of one category: from (baht, counted after the exemption), to (empty: no upper bound), rate."""

    use = forms.ChoiceField(label=_("ประเภทการใช้ประโยชน์"), choices=Use.choices)
    lower = _money(_("มูลค่าตั้งแต่ (บาท)"), help_text=_("นับต่อจากมูลค่าที่ได้รับยกเว้น"))
    upper = _money(_("ถึง (บาท)"), required=False, help_text=_("เว้นว่างสำหรับช่วงสุดท้าย (ไม่จำกัด)"))
    rate_percent = ThaiDigitsDecimalField(label=_("อัตราภาษี (ร้อยละ)"), max_digits=6, decimal_places=4, min_value=0)

    def clean(self):
        data = super().clean()
        lower, upper = data.get("lower"), data.get("upper")
        if lower is not None and upper is not None and upper <= lower:
            self.add_error("upper", _("ต้องมากกว่ามูลค่าตั้งแต่"))
        return data


class CategoryForm(forms.Form):
    """A category's exemptions (the first part of the value that is not taxed)."""

    use = forms.ChoiceField(choices=Use.choices, widget=forms.HiddenInput)
    exemption_individual = _money(_("ยกเว้นสำหรับบุคคลธรรมดา (บาท)"))
    exemption_juristic = _money(_("ยกเว้นสำหรับนิติบุคคล (บาท)"))

    def label(self):
        return Use(self["use"].value()).label if self["use"].value() in rules.Use.ALL else ""


SliceFormSet = forms.formset_factory(SliceForm, extra=3, can_delete=True)
CategoryFormSet = forms.formset_factory(CategoryForm, extra=0, min_num=len(rules.Use.ALL), max_num=len(rules.Use.ALL),
                                        validate_min=True, validate_max=True)


def _sign_field(kind, changing):
    return f"sign_{kind}_{'changing' if changing else 'fixed'}"


def check_slices(rows_by_use: dict[str, list[tuple]]) -> dict[str, list[str]]:
    """Per category: at least one slice; sorted by `from`, the first from 0, each from where the previous ended,
    only the last open-ended; every rate within the Act's ceiling. Returns the messages per category."""
    problems: dict[str, list[str]] = {}
    for use in rules.Use.ALL:
        rows = sorted(rows_by_use.get(use, []), key=lambda r: r[0])
        name = Use(use).label
        found = problems.setdefault(use, [])
        if not rows:
            found.append(_("%(use)s: ต้องมีอย่างน้อยหนึ่งช่วง") % {"use": name})
            continue
        if rows[0][0] != 0:
            found.append(_("%(use)s: ช่วงแรกต้องเริ่มที่ 0 บาท") % {"use": name})
        for (_lower, upper, _rate), (next_lower, _u, _r) in zip(rows, rows[1:], strict=False):
            if upper is None:
                found.append(_("%(use)s: เฉพาะช่วงสุดท้ายที่เว้นว่างมูลค่าสูงสุดได้") % {"use": name})
            elif next_lower != upper:
                found.append(_("%(use)s: ช่วงต้องต่อเนื่องกัน ช่วงที่เริ่ม %(next)s บาท ต้องเริ่มที่ %(upper)s บาท")
                             % {"use": name, "next": f"{next_lower:,}", "upper": f"{upper:,}"})
        if rows[-1][1] is not None:
            found.append(_("%(use)s: ช่วงสุดท้ายต้องเว้นว่างมูลค่าสูงสุด (ไม่จำกัด)") % {"use": name})
        ceiling = rules.CEILING_PERCENT[use]
        if any(rate > ceiling for _l, _u, rate in rows):
            found.append(_("%(use)s: อัตราเกินเพดานตามพระราชบัญญัติ (ไม่เกินร้อยละ %(c)s)") % {"use": name, "c": ceiling})
    return {use: found for use, found in problems.items() if found}


class TaxYearForm(forms.ModelForm):
    """The year's fields, plus its rates as rows (slices per category, exemptions per category, signboard rates
    per kind); the rows are validated together and stored as the year's tables."""

    class Meta:
        model = TaxYear
        fields = ["organization", "year", "relief_percent", "notice_date", "due_date", "instalment_2_due",
                  "instalment_3_due", "instalment_threshold", "signboard_due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import default_tax_year_values

        defaults = default_tax_year_values(self.instance.year or 2568)
        schedules = self.instance.schedules or defaults["schedules"]
        slices, categories = [], []
        for use in rules.Use.ALL:
            schedule = rules.Schedule.from_data(schedules[use]) if use in schedules else rules.SCHEDULES_2568[use]
            lower = Decimal("0")
            for piece in schedule.slices:
                slices.append({"use": use, "lower": lower, "upper": piece.upper, "rate_percent": piece.rate_percent})
                lower = piece.upper
            categories.append({"use": use, "exemption_individual": schedule.exemption_individual,
                               "exemption_juristic": schedule.exemption_juristic})
        data = self.data if self.is_bound else None
        self.slices = SliceFormSet(data, prefix="slices", initial=slices)
        self.categories = CategoryFormSet(data, prefix="categories", initial=categories)
        sign_rates = self.instance.sign_rates or defaults["sign_rates"]
        for kind in rules.SignKind.ALL:
            pair = sign_rates.get(kind, [str(r) for r in rules.SIGN_RATES_2564[kind]])
            for changing, value in ((True, pair[0]), (False, pair[1])):
                self.fields[_sign_field(kind, changing)].initial = Decimal(value)

    def add_error(self, field, error):
        # the model's own checks of its tables (TaxYear.clean) name fields this form shows as rows: show them on top
        if isinstance(error, forms.ValidationError) and hasattr(error, "error_dict"):
            for name in [n for n in error.error_dict if n not in self.fields and n != forms.forms.NON_FIELD_ERRORS]:
                super().add_error(None, error.error_dict.pop(name))
            if not error.error_dict:
                return
        super().add_error(field, error)

    def clean(self):
        data = super().clean()
        due, second, third = data.get("due_date"), data.get("instalment_2_due"), data.get("instalment_3_due")
        if bool(second) != bool(third):
            self.add_error("instalment_3_due" if second else "instalment_2_due",
                           _("ผ่อนชำระต้องกำหนดทั้งงวดที่ 2 และงวดที่ 3 หรือเว้นว่างทั้งสองงวด"))
        elif due and second and third and not due < second < third:
            self.add_error("instalment_2_due", _("วันครบกำหนดต้องเรียงกัน: งวดแรก ก่อนงวดที่ 2 ก่อนงวดที่ 3"))
        notice = data.get("notice_date")
        if notice and due and notice > due:
            self.add_error("notice_date", _("วันแจ้งประเมินต้องไม่หลังวันครบกำหนดชำระ"))
        if not (self.slices.is_valid() and self.categories.is_valid()):
            raise forms.ValidationError(_("ตรวจสอบตารางอัตราภาษีด้านล่าง"))
        rows: dict[str, list[tuple]] = {}
        for form in self.slices.forms:
            if not form.has_changed() and form.empty_permitted or self.slices._should_delete_form(form):
                continue
            row = form.cleaned_data
            rows.setdefault(row["use"], []).append((row["lower"], row["upper"], row["rate_percent"]))
        problems = check_slices(rows)
        if problems:
            raise forms.ValidationError([message for found in problems.values() for message in found])
        exemptions = {form.cleaned_data["use"]: form.cleaned_data for form in self.categories.forms}
        if set(exemptions) != set(rules.Use.ALL):
            raise forms.ValidationError(_("ตรวจสอบตารางอัตราภาษีด้านล่าง"))
        schedules = {}
        for use in rules.Use.ALL:
            ordered = sorted(rows[use], key=lambda r: r[0])
            schedules[use] = rules.Schedule(
                slices=tuple(rules.Slice(upper, rate) for _lower, upper, rate in ordered),
                exemption_individual=exemptions[use]["exemption_individual"],
                exemption_juristic=exemptions[use]["exemption_juristic"],
                individual_only=rules.SCHEDULES_2568[use].individual_only).as_data()
        self.instance.schedules = schedules
        self.instance.sign_rates = {
            kind: [str(data[_sign_field(kind, True)]), str(data[_sign_field(kind, False)])]
            for kind in rules.SignKind.ALL if _sign_field(kind, True) in data and _sign_field(kind, False) in data}
        return data


# One field per signboard kind and text (declared, so the admin's fieldsets may name them).
for _kind, _label in SignKind.choices:
    for _changing in (True, False):
        TaxYearForm.base_fields[_sign_field(_kind, _changing)] = TaxYearForm.declared_fields[
            _sign_field(_kind, _changing)] = ThaiDigitsDecimalField(
            label=_("ภาษีป้าย %(kind)s, %(text)s (บาทต่อ 500 ตร.ซม.)")
            % {"kind": _label, "text": _("ข้อความเปลี่ยนได้") if _changing else _("ข้อความคงที่")},
            max_digits=8, decimal_places=2, min_value=Decimal("0.01"))
