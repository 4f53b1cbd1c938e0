from django.utils.translation import gettext_lazy as _

from portal.access.roles import ALL, EDIT, VIEW, Role
from portal.registry import DataFeed, FeedField, ServiceAppConfig

RECORD = frozenset({"view", "add"})
ISSUE = frozenset({"view", "add", "change"})
# Finance work (register, bills, payments) for administrators and officers, read-only for auditors and
# executives; legal officers none.
REGISTER = {Role.ADMINISTRATOR: ALL, Role.OFFICER: EDIT, Role.AUDITOR: VIEW, Role.EXECUTIVE: VIEW}
LEDGER = {Role.ADMINISTRATOR: RECORD, Role.OFFICER: RECORD, Role.AUDITOR: VIEW, Role.EXECUTIVE: VIEW}


class TaxpayConfig(ServiceAppConfig):
    name = "taxpay"
    verbose_name = _("ภาษีท้องถิ่นและการชำระด้วย QR")
    root_url_module = "taxpay.root_urls"
    api_url_module = "taxpay.api.urls"
    role_permissions = {
        # The callback secret: administrators only.
        "taxsettings": {Role.ADMINISTRATOR: frozenset({"view", "change"})},
        "taxyear": REGISTER,
        "owner": REGISTER,
        "parcel": REGISTER,
        "building": REGISTER,
        "parcelusepart": REGISTER,
        "signboard": REGISTER,
        "bill": {Role.ADMINISTRATOR: ISSUE, Role.OFFICER: ISSUE, Role.AUDITOR: VIEW, Role.EXECUTIVE: VIEW},
        "payment": LEDGER,
        "statementimport": LEDGER,
        "counter": {Role.ADMINISTRATOR: VIEW, Role.AUDITOR: VIEW},
    }

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

    def load_demo(self, organization, *, stdout=None):
        from .demo import load_demo_for

        return load_demo_for(organization, stdout=stdout)

    def data_feeds(self):
        from . import selectors

        return [DataFeed(
            name="tax-revenue-by-month",
            title=_("ภาษีท้องถิ่นที่ประเมินและรับชำระรายเดือน"),
            description=_("ยอดภาษีที่ออกใบแจ้งและยอดที่รับชำระ แยกตามประเภทภาษีและเดือน ไม่มีข้อมูลส่วนบุคคล"),
            fields=(
                FeedField("month", "month", description=_("เดือนที่ออกใบแจ้งหรือรับชำระ")),
                FeedField("tax_type", "text", description=_("land_building หรือ signboard")),
                FeedField("bills", "integer", description=_("จำนวนใบแจ้งที่ออก")),
                FeedField("billed", "numeric", unit="บาท", description=_("ยอดภาษีตามใบแจ้ง")),
                FeedField("payments", "integer", description=_("จำนวนรายการรับชำระ")),
                FeedField("collected", "numeric", unit="บาท", description=_("ยอดเงินที่รับชำระ")),
            ),
            rows=selectors.revenue_feed_rows,
            category="tax",
            tags=("ภาษี", "รายได้"),
            update_frequency_unit="วัน",  # thai-gdc value
        )]
