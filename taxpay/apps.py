from django.utils.translation import gettext_lazy as _

from portal.registry import ServiceAppConfig
from portal.roles import Role

ALL = {"view", "add", "change", "delete"}
EDIT = {"view", "add", "change"}
RECORD = {"view", "add"}
VIEW = {"view"}


def _table():
    A, OF, AU, EX = Role.ADMINISTRATOR, Role.OFFICER, Role.AUDITOR, Role.EXECUTIVE
    register = {A: ALL, OF: EDIT, AU: VIEW, EX: VIEW}
    ledger = {A: RECORD, OF: RECORD, AU: VIEW, EX: VIEW}
    return {
        "taxsettings": {A: {"view", "change"}},
        "taxyear": {A: ALL, OF: EDIT, AU: VIEW, EX: VIEW},
        "owner": register, "parcel": register, "building": register, "signboard": register,
        "bill": {A: {"view", "add", "change"}, OF: {"view", "add", "change"}, AU: VIEW, EX: VIEW},
        "payment": ledger, "statementimport": ledger,
        "counter": {A: VIEW, AU: VIEW},
    }


class TaxpayConfig(ServiceAppConfig):
    name = "taxpay"
    verbose_name = _("ภาษีท้องถิ่นและการชำระด้วย QR")
    root_url_module = "taxpay.root_urls"
    api_url_module = "taxpay.api.urls"
    # Finance work (register, bills, payments) for administrators and officers, read-only for auditors and
    # executives; legal officers none. Tax settings (the callback secret) for administrators only.
    role_permissions = _table()

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
