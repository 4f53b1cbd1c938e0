"""The complaints step of the organization's set-up wizard (portal.registry.SetupStep): which complaint categories
citizens pick from, out of the standard set the app knows (demo.DEFAULT_CATEGORIES), each sent to the department
that usually handles it. Saving the step again switches categories on and off; nothing is ever deleted."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal import thai
from portal.access.permissions import require
from portal.audit import trail as audit
from portal.models import Department
from portal.registry import SetupStep

from .demo import DEFAULT_CATEGORIES
from .models import Category


def _label(row) -> str:
    code, name_th, name_en, _dept, sla_days, _public, protected = row
    name = thai.in_language(name_th, name_en)
    if protected:
        return _("%(name)s (ช่องทางคุ้มครองผู้แจ้ง)") % {"name": name}
    return _("%(name)s (เสร็จใน %(days)s วันทำการ)") % {"name": name, "days": sla_days}


class CategoriesForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("ประเภทเรื่องที่รับแจ้ง"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("แต่ละประเภทส่งถึงหน่วยงานที่รับผิดชอบโดยอัตโนมัติ แก้ชื่อ หน่วยงาน และกำหนดเสร็จได้ภายหลังในหน้าเจ้าหน้าที่"))

    def __init__(self, data=None, files=None, *, organization):
        super().__init__(data, files)
        self.fields["categories"].choices = [(row[0], _label(row)) for row in DEFAULT_CATEGORIES]
        active = dict(Category.objects.filter(organization=organization, code__in=[r[0] for r in DEFAULT_CATEGORIES])
                      .values_list("code", "is_active"))
        # nothing yet: every standard category comes ticked
        self.fields["categories"].initial = [row[0] for row in DEFAULT_CATEGORIES
                                             if active.get(row[0], not active)]


@transaction.atomic
def save_categories(*, organization, form, actor):
    """The picked standard categories on (created when new, with their department and working-day deadline), the
    other standard ones off."""
    picked = set(form.cleaned_data["categories"])
    departments = {d.code: d for d in Department.objects.filter(organization=organization)}
    existing = {c.code: c for c in Category.objects.filter(organization=organization)}
    with audit.acting(actor):
        for order, (code, th, en, dept, sla_days, public, protected) in enumerate(DEFAULT_CATEGORIES):
            category = existing.get(code)
            if category is None:
                if code not in picked:
                    continue
                category = Category(organization=organization, code=code, name_th=th, name_en=en,
                                    department=departments.get(dept), sla_days=sla_days, is_public=public,
                                    is_protected=protected, order=(order + 1) * 10)
                require(actor, "add", category)
                category.full_clean()
                category.save()
            elif category.is_active != (code in picked):
                require(actor, "change", category)
                category.is_active = code in picked
                category.save(update_fields=["is_active"])
    return None


def setup_steps():
    return [SetupStep(name="categories", title=_("ประเภทเรื่องร้องเรียน"), form_class=CategoriesForm,
                      save=save_categories)]
