from django.utils.translation import gettext_lazy as _

from portal.access.roles import STANDARD, VIEW, Role
from portal.registry import ServiceAppConfig

EVERY_ROLE_VIEWS = {role: VIEW for role in Role}


class ComplaintsConfig(ServiceAppConfig):
    name = "complaints"
    verbose_name = _("เรื่องร้องเรียน")
    root_url_module = "complaints.root_urls"
    api_url_module = "complaints.api.urls"
    audit_events = {
        "complaints.complaint.details_sent": _("ส่งรายละเอียดเรื่องให้ผู้แจ้ง"),
        "complaints.asset.scanned": _("สแกน QR ของจุดแจ้งเรื่อง"),
        "complaints.complaint.line_updates_stopped": _("หยุดส่งความคืบหน้าทาง LINE"),
        "complaints.complaint.rated": _("ให้คะแนนความพึงพอใจ"),
        "complaints.fake_complaints.generated": _("สร้างเรื่องร้องเรียนทดสอบ"),
        "complaints.lineconversation.started": _("เริ่มแจ้งเรื่องทาง LINE"),
        "complaints.protectedcomplaint.read": _("เปิดอ่านเรื่องร้องเรียนการทุจริต"),
    }
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
    }

    def open311_provider(self):
        from .open311 import provider

        return provider

    service_links_models = ("Category",)  # decide service_links (portal.web.front_door forgets the home page)

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

    def setup_checks(self, organization):
        from django.urls import reverse
        from django.utils.translation import gettext

        from .models import Category

        return [{"label": gettext("ประเภทเรื่องร้องเรียนพร้อมหน่วยงานที่รับผิดชอบ"),
                 "done": Category.objects.filter(organization=organization).exists(),
                 "url": reverse("admin:complaints_category_changelist")}]

    def setup_steps(self):
        from .setup import setup_steps

        return setup_steps()

    def staff_home(self, request):
        """Officers' admin home: their open complaints work due within three days or overdue, soonest first."""
        from portal.admin.mixins import due_queue_panel

        from . import workflow
        from .models import Complaint

        return due_queue_panel(request, Complaint, title=_("เรื่องร้องเรียนที่ใกล้ครบกำหนด"), open_states=workflow.OPEN_STATES,
                               deadline_field="sla_deadline", describe=lambda c: f"{c.tracking_code} · {c.category or ''}")

    def load_demo(self, organization, *, stdout=None):
        from .demo import load_demo

        load_demo(organization, stdout=stdout)
        return []

    def data_feeds(self):
        """Open-data feeds (aggregates only) published by the open-data app as live datasets."""
        from .feeds import data_feeds

        return data_feeds()
