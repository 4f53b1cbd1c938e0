from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("ข้อมูลเปิด")

    def role_actions(self, model_name, role):
        """Categories and tags are shared by every organization: staff pick them, superusers define them.
        Datasets and resources: the organization's administrators and officers; auditors and executives read."""
        from portal.models import Role

        if model_name == "group":
            return {"view"}
        if model_name == "tag":
            return {"view", "add"} if role in (Role.ADMINISTRATOR, Role.OFFICER) else {"view"}
        if model_name == "resourceversion":  # versions are immutable: added through the resource, never edited
            return {"view"}
        if model_name in ("datasetterm", "datastorerecord"):
            return set()
        if role == Role.LEGAL_OFFICER:
            return {"view"}
        return None

    def service_links(self, organization):
        from django.urls import reverse

        return [{"label": _("ข้อมูลเปิด"), "url": reverse("opendata:index", args=[organization.slug]),
                 "description": _("ชุดข้อมูลที่หน่วยงานเผยแพร่ ดาวน์โหลดและใช้ผ่าน API ได้")}]
