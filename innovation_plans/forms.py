"""Staff forms: the budget grid (one field per fiscal year), M&E with the five methods, evidence uploads checked
by content, and the plan-document upload."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.forms import ThaiDigitsIntegerField
from portal.models import Organization

from . import uploads
from .models import Activity, ActivityBudget, EvidenceFile, MonitoringRecord


def budget_field_name(year: int) -> str:
    return f"budget_{year}"


class BudgetGridForm(forms.ModelForm):
    """An activity row with one budget cell per fiscal year of its plan; empty cell = no budget that year."""

    plan_years: list[int] = []
    plan = None

    class Meta:
        model = Activity
        fields = ["component", "number", "title", "responsible_unit", "department", "start_year", "end_year",
                  "budget_total", "no_budget", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.plan is not None and "component" in self.fields:
            self.fields["component"].queryset = self.plan.components.all()
        if self.plan is not None and "department" in self.fields:
            self.fields["department"].queryset = self.fields["department"].queryset.filter(
                organization_id=self.plan.organization_id)
        if self.instance.pk:
            existing = {b.fiscal_year: b.amount for b in self.instance.budgets.all()}
            for year in self.plan_years:
                self.initial.setdefault(budget_field_name(year), existing.get(year))

    def clean(self):
        data = super().clean()
        amounts = [data.get(budget_field_name(y)) for y in self.plan_years]
        if data.get("no_budget") and any(a for a in amounts):
            raise ValidationError(_("กิจกรรมที่ไม่ใช้งบประมาณต้องไม่มีงบรายปี / an activity without budget cannot have yearly amounts"))
        return data

    def budgets(self) -> dict[int, int | None]:
        return {y: self.cleaned_data.get(budget_field_name(y)) for y in self.plan_years}

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if commit:
            self._save_budgets(instance)
        else:
            previous = self.save_m2m

            def save_m2m():
                previous()
                self._save_budgets(instance)

            self.save_m2m = save_m2m
        return instance

    def _save_budgets(self, instance):
        for year, amount in self.budgets().items():
            if amount is None:
                ActivityBudget.objects.filter(activity=instance, fiscal_year=year).delete()
            else:
                ActivityBudget.objects.update_or_create(activity=instance, fiscal_year=year,
                                                        defaults={"amount": amount})


def budget_grid_form(plan):
    """A BudgetGridForm class with one declared field per fiscal year of `plan`."""
    years = plan.years if plan else []
    attrs = {"plan": plan, "plan_years": years, "__module__": __name__}
    for year in years:
        attrs[budget_field_name(year)] = ThaiDigitsIntegerField(
            label=str(year), required=False, min_value=0,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 9, "class": "budget-cell"}))
    return type("PlanBudgetGridForm", (BudgetGridForm,), attrs)


class MonitoringRecordForm(forms.ModelForm):
    methods = forms.MultipleChoiceField(
        label=_("วิธีการติดตาม / methods used"), choices=MonitoringRecord.Method.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    actual_spend = ThaiDigitsIntegerField(label=_("ใช้จ่ายจริง (บาท) / actual spend (baht)"), required=False, min_value=0)
    fiscal_year = ThaiDigitsIntegerField(label=_("ปีงบประมาณ (พ.ศ.) / fiscal year (BE)"), min_value=2400, max_value=2700)

    class Meta:
        model = MonitoringRecord
        fields = ["activity", "fiscal_year", "status", "progress_percent", "actual_spend", "methods", "notes"]

    def clean(self):
        data = super().clean()
        activity, year = data.get("activity"), data.get("fiscal_year")
        if activity and year and year not in activity.plan.years:
            self.add_error("fiscal_year", _("ปีนี้อยู่นอกช่วงของแผน / this year is outside the plan"))
        return data


class EvidenceFileForm(forms.ModelForm):
    class Meta:
        model = EvidenceFile
        fields = ["file", "title"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type") and not getattr(upload, "_committed", False):
            # A new upload: size and type are checked by content, never by the name.
            self.detected_type = uploads.check_evidence(upload)
        return upload


class PlanUploadForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("องค์กร / organization"), queryset=Organization.objects.none())
    document = forms.FileField(
        label=_("ไฟล์แผน / plan file"),
        help_text=_("ข้อความ (.txt/.md), Word (.docx) หรือ CSV/XLSX ที่ส่งออกจากระบบ / text, Word (.docx) or the portal's CSV/XLSX"))

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
            if organizations.count() == 1:
                self.fields["organization"].initial = organizations.first().pk

    def clean_document(self):
        upload = self.cleaned_data["document"]
        self.data_bytes = uploads.check_plan_document(upload)
        return upload
