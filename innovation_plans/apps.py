from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationPlansConfig(AppConfig):
    name = "innovation_plans"
    verbose_name = _("แผนนวัตกรรม / Innovation plans")
