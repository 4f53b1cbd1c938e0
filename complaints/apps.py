from django.utils.translation import gettext_lazy as _

from portal.registry import ServiceAppConfig
from portal.roles import ALL, STANDARD, VIEW, Role

EVERY_ROLE_VIEWS = {role: VIEW for role in Role}


class ComplaintsConfig(ServiceAppConfig):
    name = "complaints"
    verbose_name = _("เรื่องร้องเรียน / Complaints")
    root_url_module = "complaints.root_urls"
    api_url_module = "complaints.api.urls"
    role_permissions = {
        "complaint": STANDARD,
        "asset": STANDARD,
        "category": {**STANDARD, Role.OFFICER: VIEW},
        # Corruption reports: legal officers (read and handle) and executives (read) only; nobody else,
        # not even the organization's administrator or the department concerned.
        "protectedcomplaint": {Role.LEGAL_OFFICER: {"view", "change"}, Role.EXECUTIVE: VIEW},
        # History, photos, ratings and LINE conversations are written by the services, never edited by hand.
        "complaintupdate": EVERY_ROLE_VIEWS,
        "complaintphoto": EVERY_ROLE_VIEWS,
        "rating": EVERY_ROLE_VIEWS,
        "lineconversation": EVERY_ROLE_VIEWS,
        "apikey": {Role.ADMINISTRATOR: ALL},
        "holiday": {Role.ADMINISTRATOR: VIEW},
    }

    def service_links(self, organization):
        from django.urls import reverse

        return [
            {"label": _("แจ้งเรื่องร้องเรียน / ร้องทุกข์"), "url": reverse("complaints:new", args=[organization.slug])},
            {"label": _("ติดตามเรื่องร้องเรียน"), "url": reverse("complaints:index", args=[organization.slug])},
            {"label": _("สถิติเรื่องร้องเรียน"), "url": reverse("complaints:dashboard", args=[organization.slug])},
            {"label": _("แจ้งเบาะแสการทุจริต"), "url": reverse("complaints:integrity-new", args=[organization.slug])},
        ]

    def load_demo(self, organization, *, stdout=None):
        from .demo import load_demo

        load_demo(organization, stdout=stdout)
        return []
