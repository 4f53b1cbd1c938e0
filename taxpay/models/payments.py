"""Payments (never edited: voided, or voided and corrected), the requests to void or correct one, and bank
statement imports."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import OrganizationOwned
from portal.outputs.files import private_storage, private_upload_to

from .bills import Bill
from .years import MONEY


def new_verify_code() -> str:
    return secrets.token_urlsafe(16)


class Payment(OrganizationOwned):
    """Money received. A payment is never edited or deleted: a void marks it void (with who and why) and a
    correction voids it and records the corrected payment, with a new receipt, pointing back to it."""

    class Status(models.TextChoices):
        VALID = "valid", _("ใช้ได้")
        VOID = "void", _("ยกเลิกแล้ว")

    class Method(models.TextChoices):
        STATEMENT = "statement", _("นำเข้าจากรายการเดินบัญชี")
        CALLBACK = "callback", _("ธนาคารแจ้งอัตโนมัติ")
        COUNTER = "counter", _("เงินสดที่เคาน์เตอร์")

    organization_related_name = "tax_payments"
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments", verbose_name=_("ใบแจ้ง"),
                             help_text=_("ใบแจ้งที่ชำระ"))
    amount = models.DecimalField(_("จำนวนเงิน (บาท)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))],
                                 help_text=_("จำนวนเงินที่ได้รับ"))
    principal = models.DecimalField(_("ส่วนที่เป็นภาษี"), **MONEY, help_text=_("ส่วนของเงินที่ตัดชำระภาษี"))
    charges = models.DecimalField(_("ส่วนที่เป็นเงินเพิ่มและเบี้ยปรับ"), **MONEY, default=Decimal("0"),
                                  help_text=_("ส่วนของเงินที่ชำระเบี้ยปรับและเงินเพิ่ม"))
    paid_on = models.DateField(_("วันที่ชำระ"), help_text=_("วันที่เงินเข้าบัญชีหรือรับเงินสด"))
    method = models.CharField(_("ช่องทาง"), max_length=10, choices=Method.choices, help_text=_("ช่องทางที่รับชำระ"))
    bank_reference = models.CharField(_("เลขอ้างอิงธนาคาร"), max_length=64, blank=True,
                                      help_text=_("เลขที่รายการของธนาคาร ใช้กันการบันทึกซ้ำ"))
    ref2 = models.CharField(_("เลขอ้างอิง 2"), max_length=20, blank=True, help_text=_("ปีภาษีและงวดจาก QR"))
    receipt_number = models.CharField(_("เลขที่ใบเสร็จ"), max_length=20, help_text=_("เลขที่ใบเสร็จรับเงิน"))
    verify_code = models.CharField(_("รหัสตรวจสอบใบเสร็จ"), max_length=32, unique=True, default=new_verify_code,
                                   editable=False, help_text=_("รหัสสุ่มใน QR ตรวจสอบใบเสร็จ"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("ผู้บันทึก"), help_text=_("เจ้าหน้าที่ผู้รับเงิน"))
    created_at = models.DateTimeField(_("บันทึกเมื่อ"), auto_now_add=True, help_text=_("เวลาที่บันทึก"))
    status = models.CharField(_("สถานะรายการ"), max_length=8, choices=Status.choices, default=Status.VALID,
                              help_text=_("รายการที่ยกเลิกแล้วไม่นับเป็นเงินที่ชำระ"))
    voided_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True, help_text=_("เวลาที่ยกเลิกรายการ"))
    void_reason = models.CharField(_("เหตุผลการยกเลิก"), max_length=300, blank=True,
                                   help_text=_("เหตุผลที่ยกเลิกหรือแก้ไขรายการนี้"))
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="corrected_by", verbose_name=_("แก้ไขจากรายการ"),
                                    help_text=_("รายการเดิมที่รายการนี้แก้ไข (รายการเดิมถูกยกเลิก)"))

    class Meta:
        verbose_name = _("การชำระภาษี")
        verbose_name_plural = _("การชำระภาษี")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "bank_reference"], condition=~models.Q(bank_reference=""),
                                    name="taxpay_uniq_bank_reference"),
            models.UniqueConstraint(fields=["organization", "receipt_number"], name="taxpay_uniq_receipt"),
        ]

    def __str__(self):
        return self.receipt_number


class PaymentChange(OrganizationOwned):
    """A request to correct or void a payment, with its reason; applied at once, or once a second finance
    officer approves it when the organization asks for that (TaxSettings.changes_need_approval)."""

    class Kind(models.TextChoices):
        VOID = "void", _("ยกเลิกรายการ")
        CORRECT = "correct", _("แก้ไขรายการ")

    class Status(models.TextChoices):
        PENDING = "pending", _("รออนุมัติ")
        APPLIED = "applied", _("ดำเนินการแล้ว")
        REJECTED = "rejected", _("ไม่อนุมัติ")

    organization_related_name = "tax_payment_changes"
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="changes",
                                verbose_name=_("รายการรับชำระ"), help_text=_("รายการที่ขอแก้ไขหรือยกเลิก"))
    kind = models.CharField(_("ประเภทคำขอ"), max_length=8, choices=Kind.choices,
                            help_text=_("ยกเลิกรายการ หรือแก้ไขใบแจ้ง จำนวนเงิน วันที่ชำระ"))
    reason = models.CharField(_("เหตุผล"), max_length=300, help_text=_("เหตุผลที่ขอแก้ไขหรือยกเลิก (จำเป็น)"))
    new_bill = models.ForeignKey(Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("ใบแจ้งที่ถูกต้อง"), help_text=_("สำหรับการแก้ไข: ใบแจ้งที่ชำระจริง"))
    new_amount = models.DecimalField(_("จำนวนเงินที่ถูกต้อง (บาท)"), null=True, blank=True, **MONEY,
                                     help_text=_("สำหรับการแก้ไข: จำนวนเงินที่ได้รับจริง"))
    new_paid_on = models.DateField(_("วันที่ชำระที่ถูกต้อง"), null=True, blank=True,
                                   help_text=_("สำหรับการแก้ไข: วันที่รับเงินจริง"))
    status = models.CharField(_("สถานะ"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              help_text=_("รออนุมัติ ดำเนินการแล้ว หรือไม่อนุมัติ"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("ผู้ขอ"), help_text=_("เจ้าหน้าที่ผู้ขอ"))
    requested_at = models.DateTimeField(_("ขอเมื่อ"), auto_now_add=True, help_text=_("เวลาที่ขอ"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("ผู้อนุมัติ"),
                                   help_text=_("เจ้าหน้าที่ผู้อนุมัติหรือไม่อนุมัติ"))
    decided_at = models.DateTimeField(_("ตัดสินเมื่อ"), null=True, blank=True, help_text=_("เวลาที่อนุมัติหรือไม่อนุมัติ"))
    decision_note = models.CharField(_("หมายเหตุผู้อนุมัติ"), max_length=300, blank=True,
                                     help_text=_("เหตุผลเมื่อไม่อนุมัติ"))
    result = models.OneToOneField(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("รายการที่แก้ไขแล้ว"), help_text=_("รายการรับชำระใหม่ที่ได้จากการแก้ไข"))

    class Meta:
        verbose_name = _("คำขอแก้ไขหรือยกเลิกการรับชำระ")
        verbose_name_plural = _("คำขอแก้ไขหรือยกเลิกการรับชำระ")
        ordering = ["organization", "-requested_at"]
        constraints = [models.UniqueConstraint(fields=["payment"], condition=models.Q(status="pending"),
                                               name="taxpay_one_pending_change")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.payment}"


class StatementImport(OrganizationOwned):
    organization_related_name = "tax_statement_imports"
    filename = models.CharField(_("ชื่อไฟล์"), max_length=200, help_text=_("ชื่อไฟล์รายการเดินบัญชีที่นำเข้า"))
    file = models.FileField(_("ไฟล์ที่นำเข้า"), storage=private_storage, upload_to=private_upload_to("taxpay/statements"),
                            blank=True, help_text=_("สำเนาไฟล์ที่นำเข้า เก็บนอกพื้นที่สาธารณะ ดาวน์โหลดได้เฉพาะเจ้าหน้าที่"))
    lines = models.PositiveIntegerField(_("จำนวนรายการ"), default=0, help_text=_("จำนวนบรรทัดรายการในไฟล์"))
    recorded = models.PositiveIntegerField(_("บันทึกใหม่"), default=0, help_text=_("จำนวนการชำระที่บันทึกใหม่"))
    duplicates = models.PositiveIntegerField(_("ซ้ำ"), default=0, help_text=_("รายการที่เคยบันทึกแล้ว"))
    unmatched = models.JSONField(_("รายการที่จับคู่ไม่ได้"), default=list,
                                 help_text=_("บรรทัดที่ไม่พบใบแจ้งหรือจำนวนเงินไม่ตรง พร้อมเหตุผล"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("ผู้นำเข้า"), help_text=_("เจ้าหน้าที่ผู้นำเข้า"))
    created_at = models.DateTimeField(_("นำเข้าเมื่อ"), auto_now_add=True, help_text=_("เวลาที่นำเข้า"))

    class Meta:
        verbose_name = _("การนำเข้ารายการเดินบัญชี")
        verbose_name_plural = _("การนำเข้ารายการเดินบัญชี")
        ordering = ["organization", "-created_at"]

    def __str__(self):
        return self.filename
