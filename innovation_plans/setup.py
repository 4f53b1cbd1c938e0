"""The innovation-plan step of the organization's set-up wizard (portal.registry.SetupStep): the organization's
plan document (text, Word .docx, or the portal's CSV/XLSX exchange file) read by the app's importer and saved as a
draft through services.import_plan; staff check it and publish it from the plan admin."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.registry import SetupStep

from . import services
from .forms import check_plan_document
from .models import Plan


class PlanDocumentForm(forms.Form):
    document = forms.FileField(
        label=_("ไฟล์แผนพัฒนานวัตกรรม"),
        help_text=_("Word (.docx), ข้อความ (.txt/.md) หรือ CSV/XLSX ที่ส่งออกจากระบบ นำเข้าเป็นฉบับร่าง "
                    "ตรวจและเผยแพร่ได้ภายหลังในหน้าเจ้าหน้าที่"))

    def __init__(self, data=None, files=None, *, organization):
        super().__init__(data, files)
        plans = list(Plan.objects.filter(organization=organization).order_by("-fiscal_year_start")
                     .values_list("title", "fiscal_year_start", "fiscal_year_end")[:3])
        if plans:
            self.fields["document"].help_text = _("นำเข้าแล้ว: %(plans)s นำเข้าแผนอื่นได้อีก หรือข้ามขั้นนี้") % {
                "plans": "; ".join(f"{title} ({start}–{end})" for title, start, end in plans)}

    def clean_document(self):
        from .importer import PlanImportError, parse_plan

        upload = self.cleaned_data["document"]
        data = check_plan_document(upload)
        try:
            self.parsed = parse_plan(data, upload.name)
        except PlanImportError as exc:
            raise ValidationError(str(exc)) from None
        self.data_bytes = data
        return upload


def save_plan(*, organization, form, actor):
    """The parsed plan saved as a draft of this organization, with its source document kept."""
    upload = form.cleaned_data["document"]
    try:
        services.import_plan(organization=organization, parsed=form.parsed, source_name=upload.name[-200:],
                             source_bytes=form.data_bytes, actor=actor)
    except services.DuplicatePlanError as exc:
        raise ValidationError(str(exc)) from None
    return None


def setup_steps():
    return [SetupStep(name="plan", title=_("นำเข้าแผนพัฒนานวัตกรรม"), form_class=PlanDocumentForm, save=save_plan)]
