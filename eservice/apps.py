from django.utils.translation import gettext_lazy as _

from portal.registry import DataFeed, FeedField, ServiceAppConfig


class EserviceConfig(ServiceAppConfig):
    name = "eservice"
    verbose_name = _("บริการออนไลน์")
    url_module = "eservice.urls"
    api_url_module = "eservice.api.urls"
    root_url_module = None
    demo_order = 150  # after complaints, which seeds the public holidays the queue calendar skips
    role_permissions = {
        # Citizens' requests: officers handle them; auditors and executives read; administrators also delete.
        "*": {
            "administrator": {"view", "add", "change", "delete"},
            "officer": {"view", "add", "change"},
            "auditor": {"view"},
            "executive": {"view"},
        },
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
        from . import selectors

        return [
            DataFeed(
                name="eservice-requests-by-service-month", title=_("คำร้องขอรับบริการออนไลน์ รายบริการรายเดือน"),
                description=_("จำนวนคำร้องที่ยื่นต่อเดือน แยกตามประเภทบริการ"), category="services",
                tags=("e-service", "คำร้อง"), app_label="eservice", rows=selectors.requests_by_service_month,
                fields=(FeedField("service_code", "text", description=_("รหัสบริการ")),
                        FeedField("service_name", "text", description=_("ชื่อบริการ")),
                        FeedField("month", "month", description=_("เดือน")),
                        FeedField("requests", "integer", unit=_("คำร้อง"), description=_("จำนวนคำร้อง")))),
            DataFeed(
                name="eservice-queue-bookings-per-day", title=_("การจองคิวออนไลน์ รายวัน"),
                description=_("จำนวนการจองคิวและผู้รับบริการต่อวัน แยกตามคิว"), category="services",
                tags=("คิว", "booking"), app_label="eservice", rows=selectors.bookings_per_day,
                fields=(FeedField("queue_code", "text", description=_("รหัสคิว")),
                        FeedField("queue_name", "text", description=_("ชื่อคิว")),
                        FeedField("date", "date", description=_("วันที่")),
                        FeedField("bookings", "integer", unit=_("ราย"), description=_("จำนวนการจอง")),
                        FeedField("served", "integer", unit=_("ราย"), description=_("จำนวนที่รับบริการแล้ว")))),
        ]
