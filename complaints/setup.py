"""The complaints step of the organization's set-up wizard (portal.registry.SetupStep): which complaint categories
citizens pick from, out of the standard set the app knows (standard.DEFAULT_CATEGORIES), each sent to the department
that usually handles it. Saving the step again switches categories on and off; nothing is ever deleted."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal import thai
from portal.registry import SetupStep

from . import services
from .models import Category
from .standard import DEFAULT_CATEGORIES


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


def save_categories(*, organization, form, actor):
    return services.set_standard_categories(organization=organization, codes=form.cleaned_data["categories"],
                                            actor=actor)


def setup_steps():
    return [SetupStep(name="categories", title=_("ประเภทเรื่องร้องเรียน"), form_class=CategoriesForm,
                      save=save_categories)]
