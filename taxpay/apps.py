from django.utils.translation import gettext_lazy as _

from portal.access.roles import ALL, EDIT, VIEW, Role
from portal.registry import ServiceAppConfig

RECORD = frozenset({"view", "add"})
ISSUE = frozenset({"view", "add", "change"})
# Tax work is the finance division's: the register and bills for administrators and finance staff; money
# (payments, their corrections and voids, statement imports) for finance staff only ("change" on a payment is
# asking to correct or void it). Auditors and executives read; officers of other departments and legal officers
# get nothing, so the tax data and its dashboard stay closed to them.
REGISTER = {Role.ADMINISTRATOR: ALL, Role.FINANCE: EDIT, Role.AUDITOR: VIEW, Role.EXECUTIVE: VIEW}
MONEY = {Role.FINANCE: frozenset({"view", "add", "change"}), Role.ADMINISTRATOR: VIEW, Role.AUDITOR: VIEW,
         Role.EXECUTIVE: VIEW}
LEDGER = {Role.FINANCE: RECORD, Role.ADMINISTRATOR: VIEW, Role.AUDITOR: VIEW, Role.EXECUTIVE: VIEW}


class TaxpayConfig(ServiceAppConfig):
    name = "taxpay"
    verbose_name = _("ภาษีท้องถิ่นและการชำระด้วย QR")
    root_url_module = "taxpay.root_urls"
    api_url_module = "taxpay.api.urls"
    audit_events = {
        "taxpay.payment.void_requested": _("ขอยกเลิกการรับชำระ"),
        "taxpay.payment.void_approved": _("อนุมัติการยกเลิกการรับชำระ"),
        "taxpay.payment.void_rejected": _("ไม่อนุมัติการยกเลิกการรับชำระ"),
        "taxpay.payment.correct_requested": _("ขอแก้ไขการรับชำระ"),
        "taxpay.payment.correct_approved": _("อนุมัติการแก้ไขการรับชำระ"),
        "taxpay.payment.correct_rejected": _("ไม่อนุมัติการแก้ไขการรับชำระ"),
        "taxpay.payment.voided": _("ยกเลิกการรับชำระ"),
        "taxpay.payment.corrected": _("แก้ไขการรับชำระ"),
        "taxpay.register_import.queued": _("ส่งไฟล์ทะเบียนทรัพย์สินเข้าคิวนำเข้า"),
        "taxpay.statement_check.queued": _("ส่งไฟล์รายการเดินบัญชีเข้าคิวตรวจ"),
        "taxpay.statement_record.queued": _("ส่งรายการเดินบัญชีเข้าคิวบันทึก"),
        "taxpay.bill.reminded": _("เตือนชำระภาษี"),
        "taxpay.bill.superseded": _("แก้ไขใบแจ้งการประเมิน"),
        "taxpay.taxyear.assessed": _("ออกใบแจ้งการประเมิน"),
    }
    role_permissions = {
        # The callback secret: administrators only.
        "taxsettings": {Role.ADMINISTRATOR: frozenset({"view", "change"})},
        "taxyear": REGISTER,
        "owner": REGISTER,
        "parcel": REGISTER,
        "building": REGISTER,
        "parcelusepart": REGISTER,
        "signboard": REGISTER,
        "bill": {Role.ADMINISTRATOR: ISSUE, Role.FINANCE: ISSUE, Role.AUDITOR: VIEW, Role.EXECUTIVE: VIEW},
        "payment": MONEY,
        "paymentchange": MONEY,
        "statementimport": LEDGER,
        "counter": {Role.ADMINISTRATOR: VIEW, Role.AUDITOR: VIEW},
    }

    service_links_models = ("Bill",)  # decide service_links (portal.web.front_door forgets the home page)

    def service_links(self, organization):
        """Offered once the organization has issued bills (the lookup needs them; the estimator comes with it)."""
        from django.urls import reverse

        from .models import Bill

        if not Bill.objects.filter(organization=organization).exists():
            return []
        return [
            {"label": _("ตรวจสอบและชำระภาษีด้วย QR"), "url": reverse("taxpay:index", args=[organization.slug]),
             "description": _("ภาษีที่ดินและสิ่งปลูกสร้าง ภาษีป้าย")},
            {"label": _("ประมาณการภาษี"), "url": reverse("taxpay:estimate", args=[organization.slug]),
             "description": _("คำนวณภาษีที่ดินและสิ่งปลูกสร้างหรือภาษีป้ายโดยประมาณ")},
        ]

    def setup_checks(self, organization):
        from django.urls import reverse
        from django.utils.translation import gettext

        from .models import TaxYear

        return [{"label": gettext("อัตราภาษีและวันครบกำหนดของปีภาษี"),
                 "done": TaxYear.objects.filter(organization=organization).exists(),
                 "url": reverse("admin:taxpay_taxyear_changelist")}]

    def setup_steps(self):
        from .setup import setup_steps

        return setup_steps()

    def staff_home(self, request):
        """The finance clerk's admin home: per organization, the bills overdue and falling due within 30 days, and
        the bank statement lines no bill was matched to (payments to reconcile by hand)."""
        from django.contrib import admin
        from django.template.loader import render_to_string
        from django.urls import reverse
        from django.utils import timezone
        from django.utils.translation import gettext

        from portal.models import Organization

        from . import selectors
        from .models import Payment, StatementImport

        model_admin = admin.site._registry.get(Payment)
        if model_admin is None or not model_admin.has_add_permission(request):
            return []
        imports = admin.site._registry[StatementImport].get_queryset(request)
        bills_url = reverse("admin:taxpay_bill_changelist")
        lines = []
        organizations = (Organization.objects.filter(is_active=True) if request.user.is_superuser else
                         Organization.objects.filter(pk__in=self._finance_org_ids(request.user), is_active=True))
        shown = list(organizations.order_by("name_th")[:20])
        work = selectors.finance_work(shown, imports, today=timezone.localdate())
        for organization in shown:
            counts = work[organization.pk]
            if counts["overdue"]:
                lines.append({"text": gettext("%(org)s: ใบแจ้งเกินกำหนดชำระ %(n)s ฉบับ") % {
                    "org": organization.name_th, "n": counts["overdue"]}, "url": bills_url})
            if counts["due"]:
                lines.append({"text": gettext("%(org)s: ใบแจ้งครบกำหนดภายใน 30 วัน %(n)s ฉบับ") % {
                    "org": organization.name_th, "n": counts["due"]}, "url": bills_url})
            if counts["unmatched"]:
                lines.append({"text": gettext("%(org)s: รายการเดินบัญชีที่ยังจับคู่กับใบแจ้งไม่ได้ %(n)s รายการ") % {
                    "org": organization.name_th, "n": counts["unmatched"]},
                    "url": reverse("admin:taxpay_statementimport_changelist")})
        if not lines:
            return []
        return [{"title": _("งานการเงิน: ใบแจ้งที่ครบกำหนดและรายการที่ต้องกระทบยอด"),
                 "html": render_to_string("admin/staff_lines.html", {"lines": lines}, request=request)}]

    @staticmethod
    def _finance_org_ids(user):
        from portal.access.permissions import organization_ids_for

        # those who record payments: the finance role (administrators and officers only read them)
        return organization_ids_for(user, roles=[Role.FINANCE])

    def load_demo(self, organization, *, stdout=None):
        from .demo import load_demo_for

        return load_demo_for(organization, stdout=stdout)

    def data_feeds(self):
        from .feeds import data_feeds

        return data_feeds()
