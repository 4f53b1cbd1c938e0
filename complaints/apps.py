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
        """Only what this organization has switched on: the complaint pages once it has a public category, the
        protected channel once it has a corruption category."""
        from django.urls import reverse

        from .models import Category

        kinds = set(Category.objects.filter(organization=organization, is_active=True)
                    .values_list("is_protected", flat=True).distinct())
        links = []
        if False in kinds:
            links += [
                {"label": _("แจ้งเรื่องร้องเรียน / ร้องทุกข์"), "url": reverse("complaints:new", args=[organization.slug]),
                 "description": _("บอกประเภทเรื่อง รายละเอียด และตำแหน่ง (ปักหมุดหรือที่อยู่) แนบภาพได้ ไม่ต้องระบุชื่อ")},
                {"label": _("ติดตามเรื่องร้องเรียน"), "url": reverse("complaints:index", args=[organization.slug]),
                 "description": _("ใช้รหัสติดตามที่ได้รับตอนแจ้งเรื่อง")},
                {"label": _("สถิติเรื่องร้องเรียน"), "url": reverse("complaints:dashboard", args=[organization.slug]),
                 "description": _("จำนวนเรื่อง เวลาที่ใช้แก้ไข และแผนที่เรื่องที่ยังไม่แล้วเสร็จ")},
            ]
        if True in kinds:
            links.append({"label": _("แจ้งเบาะแสการทุจริต"),
                          "url": reverse("complaints:integrity-new", args=[organization.slug]),
                          "description": _("ช่องทางคุ้มครองผู้แจ้ง ได้รหัสติดตามและรหัสผ่านสำหรับดูความคืบหน้า")})
        return links
