from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ALL = {"view", "add", "change", "delete"}
EDIT = {"view", "add", "change"}
RECORD = {"view", "add"}
VIEW = {"view"}


def _table():
    from portal.models import Role

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


class TaxpayConfig(AppConfig):
    name = "taxpay"
    verbose_name = _("ภาษีท้องถิ่นและการชำระด้วย QR")

    def role_actions(self, model_name, role):
        """Finance work (register, bills, payments) for administrators and officers, read-only for auditors and
        executives; legal officers none. Tax settings (the callback secret) for administrators only."""
        return _table().get(model_name, {}).get(role, set())

    def service_links(self, organization):
        from django.urls import reverse

        return [
            {"label": _("ตรวจสอบและชำระภาษีด้วย QR"), "url": reverse("taxpay:index", args=[organization.slug]),
             "description": _("ภาษีที่ดินและสิ่งปลูกสร้าง ภาษีป้าย")},
            {"label": _("ประมาณการภาษี"), "url": reverse("taxpay:estimate", args=[organization.slug]),
             "description": _("คำนวณภาษีที่ดินและสิ่งปลูกสร้างหรือภาษีป้ายโดยประมาณ")},
        ]
