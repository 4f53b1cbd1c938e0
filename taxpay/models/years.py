"""Per-organization tax settings (what a bank needs to route a payment) and tax years as data (rates,
relief, dates)."""

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Organization, OrganizationOwned
from portal.outputs.crypto import SealedCharField
from taxpay import rules

MONEY = {"max_digits": 16, "decimal_places": 2}


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class TaxSettings(OrganizationOwned):
    """What a bank needs to route a Thai QR bill payment to this organization."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="tax_settings",
                                        verbose_name=_("องค์กร"), help_text=_("องค์กรที่ใช้การตั้งค่านี้"))
    biller_suffix = models.CharField(
        _("รหัสต่อท้ายเลขผู้รับชำระ"), max_length=2, default="00",
        validators=[RegexValidator(r"^\d{2}$", _("ต้องเป็นตัวเลข 2 หลัก"))],
        help_text=_("ตัวเลข 2 หลักที่ธนาคารกำหนด ต่อท้ายเลขประจำตัวผู้เสียภาษี 13 หลักขององค์กร เป็นรหัสผู้รับชำระ (Biller ID)"))
    payee_name = models.CharField(_("ชื่อผู้รับชำระ"), max_length=25, blank=True,
                                  help_text=_("ชื่อที่แสดงข้าง QR (ไม่เกิน 25 ตัวอักษร); เว้นว่างเพื่อใช้ชื่อองค์กร"))
    callback_secret = SealedCharField(
        _("รหัสลับสำหรับธนาคารแจ้งชำระ"), max_length=100, default=new_secret,
        help_text=_("ใช้ตรวจลายมือชื่อ HMAC-SHA256 ของการแจ้งชำระเงินจากธนาคาร พิมพ์รหัสที่ตกลงกับธนาคาร; "
                    "เปลี่ยนเมื่อสงสัยว่ารั่วไหล"))
    changes_need_approval = models.BooleanField(
        _("การแก้ไขและยกเลิกการรับชำระต้องมีผู้อนุมัติ"), default=False,
        help_text=_("เมื่อเปิด การแก้ไขหรือยกเลิกรายการรับชำระมีผลเมื่อเจ้าหน้าที่การเงินอีกคนหนึ่งอนุมัติแล้วเท่านั้น"))

    class Meta:
        verbose_name = _("การตั้งค่าการรับชำระภาษี")
        verbose_name_plural = _("การตั้งค่าการรับชำระภาษี")

    def __str__(self):
        return str(self.organization)

    @property
    def biller_id(self) -> str:
        return f"{self.organization.tax_id}{self.biller_suffix}"


class TaxYear(OrganizationOwned):
    """One tax year's rules, editable: rates by category and slice, exemptions, relief, dates."""

    organization_related_name = "tax_years"
    year = models.PositiveSmallIntegerField(_("ปีภาษี (พ.ศ.)"), validators=[MinValueValidator(2562)],
                                            help_text=_("ปีภาษีเป็นพุทธศักราช เช่น 2568"))
    schedules = models.JSONField(
        _("อัตราภาษีตามประเภทการใช้ประโยชน์"), default=dict,
        help_text=_("ช่วงมูลค่าและอัตราภาษีของแต่ละประเภท พร้อมมูลค่าที่ได้รับยกเว้น"))
    sign_rates = models.JSONField(_("อัตราภาษีป้าย"), default=dict,
                                  help_text=_("บาทต่อ 500 ตารางเซนติเมตร ตามประเภทป้าย (ข้อความเคลื่อนที่, ข้อความคงที่)"))
    relief_percent = models.DecimalField(
        _("ลดหย่อนภาษี (ร้อยละ)"), max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("ร้อยละที่ลดให้ตามพระราชกฤษฎีกาของปีนั้น; 0 เมื่อไม่มีการลดหย่อน"))
    notice_date = models.DateField(_("วันแจ้งประเมิน"), help_text=_("วันที่ส่งแบบแจ้งการประเมินภาษี"))
    due_date = models.DateField(_("วันครบกำหนดชำระ"), help_text=_("วันสุดท้ายของการชำระภาษีที่ดินฯ หรืองวดแรก"))
    instalment_2_due = models.DateField(_("วันครบกำหนดงวดที่ 2"), null=True, blank=True,
                                        help_text=_("เว้นว่างเมื่อไม่ผ่อนชำระ"))
    instalment_3_due = models.DateField(_("วันครบกำหนดงวดที่ 3"), null=True, blank=True,
                                        help_text=_("เว้นว่างเมื่อไม่ผ่อนชำระ"))
    instalment_threshold = models.DecimalField(_("ยอดภาษีขั้นต่ำที่ผ่อนชำระได้"), default=Decimal("3000"), **MONEY,
                                               help_text=_("ภาษีตั้งแต่จำนวนนี้ขึ้นไปแบ่งชำระเป็นงวดเท่า ๆ กันได้"))
    signboard_due_date = models.DateField(_("วันครบกำหนดชำระภาษีป้าย"),
                                          help_text=_("วันสุดท้ายของการชำระภาษีป้าย"))

    class Meta:
        verbose_name = _("ปีภาษี")
        verbose_name_plural = _("ปีภาษี")
        ordering = ["organization", "-year"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="taxpay_uniq_tax_year")]

    def __str__(self):
        return f"{self.year}"

    def clean(self):
        try:
            for use, data in (self.schedules or {}).items():
                if use not in rules.Use.ALL:
                    raise ValueError(use)
                schedule = rules.Schedule.from_data(data)
                ceiling = rules.CEILING_PERCENT[use]
                if any(piece.rate_percent > ceiling for piece in schedule.slices):
                    raise ValidationError({"schedules": _("อัตราภาษีเกินอัตราเพดานตามพระราชบัญญัติ (%(use)s ไม่เกินร้อยละ %(c)s)")
                                           % {"use": use, "c": ceiling}})
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise ValidationError({"schedules": _("รูปแบบอัตราภาษีไม่ถูกต้อง")}) from exc

    def schedule(self, use: str) -> rules.Schedule:
        """The year's table for `use` (read once per instance: an assessment run asks for it per owner)."""
        cache = self.__dict__.setdefault("_schedule_cache", {})
        if use not in cache:
            data = (self.schedules or {}).get(use)
            cache[use] = rules.Schedule.from_data(data) if data else rules.SCHEDULES_2568[use]
        return cache[use]

    def sign_rate_table(self) -> dict:
        if not self.sign_rates:
            return rules.SIGN_RATES_2564
        return {kind: (Decimal(pair[0]), Decimal(pair[1])) for kind, pair in self.sign_rates.items()}

    def instalment_dates(self) -> list[dt.date]:
        dates = [self.due_date]
        if self.instalment_2_due and self.instalment_3_due:
            dates += [self.instalment_2_due, self.instalment_3_due]
        return dates
