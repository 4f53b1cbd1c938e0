"""Bills with their stored computation and correction versions, and the running numbers of bills and
receipts."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import OrganizationOwned

from .register import Owner
from .years import MONEY


class Counter(OrganizationOwned):
    """Running numbers per organization, year and series (bills, receipts)."""

    series = models.CharField(_("ชุดเลข"), max_length=4, help_text=_("LB ภาษีที่ดินฯ, SB ภาษีป้าย, RC ใบเสร็จ"))
    year = models.PositiveSmallIntegerField(_("ปี (พ.ศ.)"), help_text=_("ปีของเลขลำดับ"))
    last = models.PositiveIntegerField(_("เลขล่าสุด"), default=0, help_text=_("เลขลำดับที่ใช้ไปล่าสุด"))

    class Meta:
        verbose_name = _("เลขลำดับเอกสาร")
        verbose_name_plural = _("เลขลำดับเอกสาร")
        constraints = [models.UniqueConstraint(fields=["organization", "series", "year"], name="taxpay_uniq_counter")]

    def __str__(self):
        return f"{self.series}{self.year}:{self.last}"


class TaxType(models.TextChoices):
    LAND_BUILDING = "land_building", _("ภาษีที่ดินและสิ่งปลูกสร้าง")
    SIGNBOARD = "signboard", _("ภาษีป้าย")


class Bill(OrganizationOwned):
    """An issued bill is never edited: a correction is a new version under the same number pointing to the old
    one, which becomes superseded."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("ฉบับปัจจุบัน")
        SUPERSEDED = "superseded", _("ถูกแก้ไขโดยฉบับใหม่")

    organization_related_name = "tax_bills"
    number = models.CharField(_("เลขที่ใบแจ้ง"), max_length=20, validators=[RegexValidator(r"^[A-Z0-9]{1,20}$")],
                              help_text=_("เลขที่ใบแจ้งการประเมิน ใช้เป็นเลขอ้างอิง 1 ของ QR"))
    version = models.PositiveSmallIntegerField(_("ฉบับที่"), default=1, help_text=_("ฉบับแก้ไขของใบแจ้งเลขนี้"))
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="correction", verbose_name=_("แก้ไขจากฉบับ"),
                                    help_text=_("ใบแจ้งฉบับก่อนหน้าที่ฉบับนี้แก้ไข"))
    status = models.CharField(_("สถานะ"), max_length=12, choices=Status.choices, default=Status.ISSUED,
                              help_text=_("ฉบับที่ถูกแก้ไขแล้วไม่ใช้เรียกเก็บ"))
    year = models.PositiveSmallIntegerField(_("ปีภาษี (พ.ศ.)"), help_text=_("ปีภาษีของใบแจ้ง"))
    tax_type = models.CharField(_("ประเภทภาษี"), max_length=16, choices=TaxType.choices,
                                help_text=_("ภาษีที่ดินและสิ่งปลูกสร้าง หรือภาษีป้าย"))
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="bills", verbose_name=_("ผู้เสียภาษี"),
                              help_text=_("ผู้มีหน้าที่เสียภาษี"))
    amount = models.DecimalField(_("ภาษีที่ต้องชำระ (บาท)"), **MONEY, help_text=_("ภาษีทั้งปีหลังลดหย่อน"))
    computation = models.JSONField(_("การคำนวณ"), default=dict,
                                   help_text=_("รายการทรัพย์สิน มูลค่า และการคำนวณทีละขั้นที่ใช้ออกใบแจ้งนี้"))
    instalments = models.JSONField(_("งวดชำระ"), default=list,
                                   help_text=_("รายการงวด: วันครบกำหนดและจำนวนเงินของแต่ละงวด"))
    due_date = models.DateField(_("วันครบกำหนดชำระ"), help_text=_("วันครบกำหนดของงวดสุดท้าย หรือของการชำระครั้งเดียว"))
    reason = models.CharField(_("เหตุผลการแก้ไข"), max_length=300, blank=True,
                              help_text=_("บันทึกเหตุผลเมื่อออกฉบับแก้ไข"))
    warning_sent_on = models.DateField(_("วันส่งหนังสือเตือน"), null=True, blank=True,
                                       help_text=_("วันที่ส่งหนังสือแจ้งเตือนให้ชำระภาษีค้าง"))
    warning_deadline = models.DateField(_("กำหนดชำระตามหนังสือเตือน"), null=True, blank=True,
                                        help_text=_("วันสุดท้ายที่ชำระตามหนังสือเตือน"))
    issued_at = models.DateTimeField(_("ออกเมื่อ"), auto_now_add=True, help_text=_("เวลาที่ออกใบแจ้ง"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("ผู้ออก"), help_text=_("เจ้าหน้าที่ผู้ออกใบแจ้ง"))

    class Meta:
        verbose_name = _("ใบแจ้งการประเมินภาษี")
        verbose_name_plural = _("ใบแจ้งการประเมินภาษี")
        ordering = ["-year", "number", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number", "version"], name="taxpay_uniq_bill_version"),
            models.UniqueConstraint(fields=["organization", "number"], condition=models.Q(status="issued"),
                                    name="taxpay_one_current_bill"),
        ]
        indexes = [models.Index(fields=["organization", "year", "tax_type"], name="taxpay_bill_year")]

    def __str__(self):
        return f"{self.number}" + (f" ({self.version})" if self.version > 1 else "")

    def instalment_list(self) -> list[tuple[int, dt.date, Decimal]]:
        return [(int(i["n"]), dt.date.fromisoformat(i["due"]), Decimal(i["amount"])) for i in self.instalments]
