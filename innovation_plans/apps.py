from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationPlansConfig(AppConfig):
    name = "innovation_plans"
    verbose_name = _("แผนนวัตกรรม / Innovation plans")

    def role_actions(self, model_name, role):
        from portal.models import Role

        if model_name == "reportjob":
            return set()
        if role == Role.LEGAL_OFFICER:
            # Legal officers read plans; editing them is the planners' work.
            return {"view"}
        return None  # default: administrators all, officers view/add/change, auditors and executives view

    def service_links(self, organization):
        """Shown once the organization has published a plan (nothing to read before that)."""
        from django.urls import reverse

        from . import selectors

        if not selectors.published_plans(organization).exists():
            return []
        return [{"label": _("แผนพัฒนานวัตกรรม"),
                 "url": reverse("innovation_plans:plan-list", args=[organization.slug]),
                 "description": _("โครงการ งบประมาณรายปี ตัวชี้วัด และผลการติดตามประเมินผล")}]
