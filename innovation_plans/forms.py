"""Staff forms: the budget grid (one field per fiscal year), M&E with the five methods, evidence uploads checked
by content, and the plan-document upload."""

import json
import re

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.inputs import uploads
from portal.inputs.forms import ThaiDigitsIntegerField
from portal.models import Organization
from portal.thai import to_arabic_digits

from .models import Activity, EvidenceFile, Indicator, MonitoringRecord


def numeric_input(size=None, decimal=False):
    """A text box with the phone's number keyboard. Not <input type=number>: browsers refuse Thai digits (๐–๙)
    and thousands commas there, which people type and the Thai-digit fields accept."""
    attrs = {"inputmode": "decimal" if decimal else "numeric", "autocomplete": "off"}
    if size:
        attrs["size"] = size
    return forms.TextInput(attrs=attrs)


class YearAmountsWidget(forms.TextInput):
    """{"2566": 25000, "2567": 30000} shown as people write it: 2566: 25,000; 2567: 30,000."""

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip().startswith("{") else value
            except ValueError:
                return value
        if isinstance(value, dict):
            return "; ".join(f"{year}: {amount:,}" if isinstance(amount, int) else f"{year}: {amount}"
                             for year, amount in sorted(value.items()))
        return value


class YearAmountsField(forms.Field):
    """Per-year amounts typed as "2566: 25,000; 2567: 30,000" (Thai digits fine), stored as {"2566": 25000}."""

    widget = YearAmountsWidget
    default_error_messages = {"invalid": _("เขียนเป็น ปี: จำนวนเงิน คั่นด้วย ; เช่น 2566: 25,000; 2567: 30,000")}

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        text = to_arabic_digits(str(value or "")).strip()
        if not text:
            return {}
        amounts = {}
        for part in re.split(r"[;\n]+", text):
            if not part.strip():
                continue
            # "total" is the whole-period figure the importer keeps when a document states no yearly split.
            match = re.fullmatch(r"\s*(25\d\d|26\d\d|total|รวม)\s*[:=]\s*([0-9,]+)(?:\.-)?\s*(?:บาท)?\s*", part)
            if not match:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            key = "total" if match.group(1) in ("total", "รวม") else match.group(1)
            amounts[key] = int(match.group(2).replace(",", ""))
        return amounts

    def prepare_value(self, value):
        return value

    def has_changed(self, initial, data):
        try:
            return (initial or {}) != self.to_python(data)
        except ValidationError:
            return True


def budget_field_name(year: int) -> str:
    return f"budget_{year}"


class SharedModelChoiceField(forms.ModelChoiceField):
    """A foreign-key choice whose rows are loaded once and shared by every form of a formset: rendering and
    validating 40 grid rows costs one query, not 40 (a ModelChoiceField queries on every render and clean)."""

    def share(self, objects):
        self._by_pk = {str(obj.pk): obj for obj in objects}
        blank = [("", self.empty_label)] if self.empty_label is not None else []
        self.choices = blank + [(obj.pk, self.label_from_instance(obj)) for obj in objects]

    def to_python(self, value):
        by_pk = getattr(self, "_by_pk", None)
        if by_pk is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            value = value.pk
        try:
            return by_pk[str(value)]
        except KeyError:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value}) from None

    def has_changed(self, initial, data):
        if getattr(self, "_by_pk", None) is None:
            return super().has_changed(initial, data)
        initial = "" if initial is None else str(getattr(initial, "pk", initial))
        return initial != ("" if data is None else str(data))


class PlanChildForm(forms.ModelForm):
    """A row that belongs to one plan: its component (and department) choices are the plan's own, loaded once
    per formset class (see plan_child_form) and shared by all rows."""

    plan = None
    _shared: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.plan is None:
            return
        self._share("component", lambda qs: qs.filter(plan=self.plan).order_by("order", "number"))
        self._share("department", lambda qs: qs.filter(organization_id=self.plan.organization_id))

    def _share(self, name, narrow):
        field = self.fields.get(name)
        if field is None:
            return
        if name not in self._shared:
            self._shared[name] = list(narrow(field.queryset))
        objects = self._shared[name]
        if isinstance(field, SharedModelChoiceField):
            field.share(objects)
        else:  # a plain ModelChoiceField (one form, not a formset): narrow it, no sharing needed
            field.queryset = narrow(field.queryset)


def plan_child_form(base, plan, **attrs):
    """A subclass of `base` bound to `plan` with its own cache of shared choices (one per request)."""
    return type(f"Plan{base.__name__}", (base,), {"plan": plan, "_shared": {}, "__module__": __name__, **attrs})


class IndicatorForm(PlanChildForm):
    class Meta:
        model = Indicator
        fields = ["component", "strategy", "name", "kind", "unit", "order"]


class BudgetGridForm(PlanChildForm):
    """An activity row with one budget cell per fiscal year of its plan; empty cell = no budget that year."""

    plan_years: list[int] = []
    # Typed by people: Thai digits and thousands commas accepted like in the yearly cells.
    budget_total = ThaiDigitsIntegerField(
        label=Activity._meta.get_field("budget_total").verbose_name, required=False, min_value=0,
        help_text=Activity._meta.get_field("budget_total").help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 10}))
    start_year = ThaiDigitsIntegerField(label=Activity._meta.get_field("start_year").verbose_name, required=False,
                                        min_value=2400, max_value=2700,
                                        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}))
    end_year = ThaiDigitsIntegerField(label=Activity._meta.get_field("end_year").verbose_name, required=False,
                                      min_value=2400, max_value=2700,
                                      widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}))

    class Meta:
        model = Activity
        fields = ["component", "number", "title", "responsible_unit", "department", "start_year", "end_year",
                  "budget_total", "no_budget", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_budgets = {}
        if self.instance.pk:
            self.existing_budgets = {b.fiscal_year: b.amount for b in self.instance.budgets.all()}
            for year in self.plan_years:
                self.initial.setdefault(budget_field_name(year), self.existing_budgets.get(year))

    def clean(self):
        data = super().clean()
        amounts = [data.get(budget_field_name(y)) for y in self.plan_years]
        if data.get("no_budget") and any(a for a in amounts):
            raise ValidationError(_("กิจกรรมที่ไม่ใช้งบประมาณต้องไม่มีงบรายปี"))
        self._reconcile_total(data, [a for a in amounts if a is not None])
        return data

    def _reconcile_total(self, data, yearly):
        """One figure for the whole activity, or yearly amounts: never two figures that disagree.

        A total that was just the sum of the yearly cells (as the importer stores it) follows the cells when they
        are edited; a total typed by hand, or a one-figure budget that now also gets yearly amounts, must agree
        with the cells, or the officer is asked to choose."""
        total = data.get("budget_total")
        if not yearly or total is None or total == sum(yearly):
            return
        old = self.existing_budgets
        derived = bool(old) and self.instance.budget_total == sum(old.values()) and "budget_total" not in self.changed_data
        if derived:
            data["budget_total"] = sum(yearly)
            return
        self.add_error("budget_total", _(
            "งบรวมทั้งโครงการ %(total)s บาท ไม่เท่ากับผลรวมรายปี %(sum)s บาท: ลบงบรวมออก หรือแก้ให้ตรงกัน") % {"total": f"{total:,}", "sum": f"{sum(yearly):,}"})

    def budgets(self) -> dict[int, int | None]:
        """The yearly cells as typed; the admin saves them through services.set_activity_budget (audited)."""
        return {y: self.cleaned_data.get(budget_field_name(y)) for y in self.plan_years}


def budget_grid_form(plan):
    """A BudgetGridForm class with one declared field per fiscal year of `plan`."""
    years = plan.years if plan else []
    attrs = {"plan_years": years}
    for year in years:
        attrs[budget_field_name(year)] = ThaiDigitsIntegerField(
            label=str(year), required=False, min_value=0,
            error_messages={"invalid": _("งบประมาณปี %(year)s ต้องเป็นจำนวนเต็ม (บาท) เช่น 25000 หรือ ๒๕,๐๐๐")
                            % {"year": year}},
            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 9, "class": "budget-cell"}))
    return plan_child_form(BudgetGridForm, plan, **attrs)


class MonitoringRecordForm(forms.ModelForm):
    methods = forms.MultipleChoiceField(
        label=_("วิธีการติดตาม"), choices=MonitoringRecord.Method.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    actual_spend = ThaiDigitsIntegerField(label=_("ใช้จ่ายจริง (บาท)"), required=False, min_value=0,
                                          widget=numeric_input(12))
    fiscal_year = ThaiDigitsIntegerField(label=_("ปีงบประมาณ (พ.ศ.)"), min_value=2400, max_value=2700,
                                         widget=numeric_input(6))
    progress_percent = ThaiDigitsIntegerField(label=_("ความก้าวหน้า (%)"), min_value=0, max_value=100,
                                              initial=0, widget=numeric_input(4))

    class Meta:
        model = MonitoringRecord
        fields = ["activity", "fiscal_year", "status", "progress_percent", "actual_spend", "methods", "notes"]

    def clean(self):
        data = super().clean()
        activity, year = data.get("activity"), data.get("fiscal_year")
        if activity and year and year not in activity.plan.years:
            self.add_error("fiscal_year", _("ปีนี้อยู่นอกช่วงของแผน"))
        return data


class EvidenceFileForm(forms.ModelForm):
    class Meta:
        model = EvidenceFile
        fields = ["file", "title"]
        widgets = {"file": forms.FileInput}  # private files have no URL to show; the inline links to the view

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type") and not getattr(upload, "_committed", False):
            # A new upload: size and type are checked by content, never by the name.
            self.detected_type = uploads.check_file(upload, allowed=uploads.DOCUMENT_TYPES).mime
        return upload


class PlanUploadForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("องค์กร"), queryset=Organization.objects.none())
    document = forms.FileField(
        label=_("ไฟล์แผน"),
        help_text=_("ข้อความ (.txt/.md), Word (.docx) หรือ CSV/XLSX ที่ส่งออกจากระบบ"))

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
            if organizations.count() == 1:
                self.fields["organization"].initial = organizations.first().pk

    def clean_document(self):
        upload = self.cleaned_data["document"]
        self.data_bytes = check_plan_document(upload)
        return upload


# A plan document: plain text / CSV (no magic number), or Word / Excel (zip containers).
PLAN_BINARY_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip",
}


def check_plan_document(upload) -> bytes:
    """A plan file: text (any of the encodings the importer reads) or a .docx/.xlsx; other binaries refused."""
    data = uploads.read_limited(upload)
    kind = filetype.guess(data)
    if kind is not None and kind.mime not in PLAN_BINARY_TYPES:
        raise ValidationError(
            _("ไฟล์นี้ไม่ใช่เอกสารแผน (พบเป็น %(mime)s) รองรับ: ข้อความ .txt/.md/.csv, Word .docx, Excel .xlsx") % {"mime": kind.mime})
    return data
