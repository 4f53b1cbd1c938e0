from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("เรื่องร้องเรียน / Complaints")

    def role_actions(self, model_name, role):
        """Corruption reports: legal officers (read and handle) and executives (read) only; nobody else,
        not even the organization's administrator or the department concerned."""
        from portal.models import Role

        if model_name == "protectedcomplaint":
            return {Role.LEGAL_OFFICER: {"view", "change"}, Role.EXECUTIVE: {"view"}}.get(role, set())
        if model_name == "apikey":
            return {"view", "add", "change", "delete"} if role == Role.ADMINISTRATOR else set()
        if model_name == "holiday":
            return {"view"} if role == Role.ADMINISTRATOR else set()
        if model_name in ("complaintupdate", "complaintphoto", "rating", "lineconversation"):
            return {"view"}
        if model_name == "category" and role == Role.OFFICER:
            return {"view"}
        return None

    def service_links(self, organization):
        from django.urls import reverse

        return [
            {"label": _("แจ้งเรื่องร้องเรียน / ร้องทุกข์"), "url": reverse("complaints:new", args=[organization.slug])},
            {"label": _("ติดตามเรื่องร้องเรียน"), "url": reverse("complaints:index", args=[organization.slug])},
            {"label": _("สถิติเรื่องร้องเรียน"), "url": reverse("complaints:dashboard", args=[organization.slug])},
            {"label": _("แจ้งเบาะแสการทุจริต"), "url": reverse("complaints:integrity-new", args=[organization.slug])},
        ]
