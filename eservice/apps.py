from django.utils.translation import gettext_lazy as _

from portal.registry import ServiceAppConfig

HANDLED = {"administrator": {"view", "add", "change", "delete"}, "officer": {"view", "add", "change"},
           "auditor": {"view"}, "executive": {"view"}}


class EserviceConfig(ServiceAppConfig):
    name = "eservice"
    verbose_name = _("บริการออนไลน์")
    url_module = "eservice.urls"
    api_url_module = "eservice.queues.api.urls"
    root_url_module = None
    demo_order = 150  # after complaints, which seeds the public holidays the queue calendar skips
    audit_events = {
        "eservice.form.field_added": _("เพิ่มช่องในแบบฟอร์ม"),
        "eservice.form.field_changed": _("แก้ไขช่องในแบบฟอร์ม"),
        "eservice.form.field_moved": _("ย้ายช่องในแบบฟอร์ม"),
        "eservice.form.field_duplicated": _("ทำสำเนาช่องในแบบฟอร์ม"),
        "eservice.form.field_removed": _("ลบช่องในแบบฟอร์ม"),
        "eservice.form.published": _("เผยแพร่แบบฟอร์ม"),
        "eservice.form.rolled_back": _("ย้อนแบบฟอร์มไปรุ่นก่อน"),
        "eservice.booking.confirmed": _("ยืนยันคิว"),
        "eservice.booking.hold_released": _("ปล่อยคิวที่กันไว้"),
        "eservice.request.access": _("เปิดดูคำร้อง"),
        "eservice.request.details_sent": _("ส่งรายละเอียดคำร้องให้ผู้ยื่น"),
        "eservice.service_type.created_from_template": _("สร้างบริการจากแม่แบบ"),
        "eservice.booking.booked": _("จองคิว"),
        "eservice.booking.cancelled": _("ยกเลิกคิว"),
        "eservice.booking.moved": _("เลื่อนคิว"),
        "eservice.booking.reminded": _("เตือนคิว"),
        "eservice.booking.checked_in": _("เช็กอินคิว"),
        "eservice.booking.called": _("เรียกคิว"),
        "eservice.booking.finished": _("ปิดบัตรคิว (รับบริการแล้วหรือไม่มาตามนัด)"),
        "eservice.request.documents_uploaded": _("ส่งเอกสารเพิ่มเติม"),
        "eservice.request.rated": _("ให้คะแนนความพึงพอใจ"),
        "eservice.request.submitted": _("ยื่นคำร้อง"),
    }
    role_permissions = {
        # Citizens' requests and bookings: officers handle them; auditors and executives read; administrators also
        # delete. Every model is listed: one added later gives nothing until it is listed here (fail closed).
        "servicerequest": HANDLED,
        "documentrequest": HANDLED,
        "booking": HANDLED,
        # What the citizen sent and the timeline are evidence: nobody edits them in the admin.
        "requestevent": {"administrator": {"view"}, "officer": {"view"}, "auditor": {"view"}, "executive": {"view"}},
        "requestdocument": {"administrator": {"view"}, "officer": {"view"}, "auditor": {"view"}},
        "formversion": {"administrator": {"view"}, "officer": {"view"}, "auditor": {"view"}},
        "daycounter": {"administrator": {"view"}},
        # Service definitions, queues, hours and closures: the organization's administrator configures them.
        "servicetype": {"administrator": {"view", "add", "change", "delete"}, "officer": {"view"},
                        "auditor": {"view"}, "executive": {"view"}},
        "formfield": {"administrator": {"view", "add", "change", "delete"}, "officer": {"view"}},
        "requireddocument": {"administrator": {"view", "add", "change", "delete"}, "officer": {"view"}},
        "queue": {"administrator": {"view", "add", "change", "delete"}, "officer": {"view", "change"}},
        "openinghours": {"administrator": {"view", "add", "change", "delete"}, "officer": {"view"}},
        "closure": {"administrator": {"view", "add", "change", "delete"}, "officer": {"view", "add", "change"}},
        "slot": {"administrator": {"view", "change"}, "officer": {"view", "change"}},
    }

    def open311_provider(self):
        # E-service types appear in Open311 beside the complaint categories, with their form as attributes.
        from .open311 import provider

        return provider

    def service_links(self, organization):
        from django.urls import reverse

        return [
            {"label": _("บริการออนไลน์ (E-Service)"), "url": reverse("eservice:catalogue", args=[organization.slug]),
             "description": _("ยื่นคำร้อง ติดตามผล และดาวน์โหลดเอกสาร")},
            {"label": _("จองคิวออนไลน์"), "url": reverse("eservice:queue", args=[organization.slug]),
             "description": _("เลือกวันและเวลาไปรับบริการที่สำนักงาน")},
        ]

    def setup_checks(self, organization):
        from django.urls import reverse
        from django.utils.translation import gettext

        from .models import Queue, ServiceType

        return [
            {"label": gettext("บริการออนไลน์อย่างน้อยหนึ่งบริการ (เริ่มจากแม่แบบได้)"),
             "done": ServiceType.objects.filter(organization=organization, is_public=True,
                                                current_version__isnull=False).exists(),
             "url": reverse("admin:eservice_servicetype_from_template")},
            {"label": gettext("คิวที่จองได้พร้อมเวลาทำการ"),
             "done": Queue.objects.filter(organization=organization, is_active=True, hours__isnull=False).exists(),
             "url": reverse("admin:eservice_queue_changelist")},
        ]

    def setup_steps(self):
        from .setup import setup_steps

        return setup_steps()

    def staff_home(self, request):
        """Officers' admin home: their open eservice work due within three days or overdue, soonest first."""
        from portal.admin.mixins import due_queue_panel

        from . import workflow
        from .models import ServiceRequest

        return due_queue_panel(request, ServiceRequest, title=_("คำร้องที่ใกล้ครบกำหนด"), open_states=workflow.OPEN_STATES,
                               deadline_field="deadline", describe=lambda r: f"{r.tracking_code} · {r.service_type} · {r.applicant_name}")

    def load_demo(self, organization, *, stdout=None):
        from .demo import load_demo

        return load_demo(organization, stdout=stdout)

    def data_feeds(self):
        from .feeds import data_feeds

        return data_feeds()
