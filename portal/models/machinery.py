"""The notification outbox, background jobs, the public-holiday calendar and Open311 API keys."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import thai
from portal.models.organizations import Organization, OrganizationOwned, OrganizationScoped
from portal.outputs.files import private_storage, private_upload_to


class Notification(OrganizationOwned):
    """Transactional outbox row: written with the change it reports, delivered by Celery after commit."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("อีเมล")
        SMS = "sms", _("SMS")
        LINE = "line", _("LINE")

    class Status(models.TextChoices):
        PENDING = "pending", _("รอส่ง")
        SENDING = "sending", _("กำลังส่ง")
        SENT = "sent", _("ส่งแล้ว")
        FAILED = "failed", _("ส่งไม่สำเร็จ")

    # What a scrubbed row's personal text becomes (anonymising a case; a one-time code once it is sent).
    SCRUBBED = "[ลบข้อมูลส่วนบุคคลแล้ว]"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("เหตุการณ์"), max_length=80)
    channel = models.CharField(_("ช่องทาง"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("ผู้รับ"), max_length=254)
    language = models.CharField(_("ภาษา"), max_length=5, default="th")
    subject = models.CharField(_("หัวเรื่อง"), max_length=200)
    body = models.TextField(_("ข้อความ"))
    related_type = models.CharField(_("ประเภทเรื่อง"), max_length=80, blank=True)
    related_id = models.CharField(_("รหัสเรื่อง"), max_length=64, blank=True)
    status = models.CharField(_("สถานะ"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่ลอง"), default=0)
    next_attempt_at = models.DateTimeField(_("ลองครั้งถัดไป"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("เริ่มส่งเมื่อ"), null=True, blank=True)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = pgettext_lazy("plural", "การแจ้งเตือน")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self):
        return f"{self.event} → {self.get_channel_display()} {self.recipient}"


class BackgroundJob(OrganizationScoped):
    """Work done by a Celery worker (reports, imports): status and progress for the page that polls it, the result
    file in private storage, retried and re-sent by the beat sweep (portal.machinery.jobs)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("รอคิว")
        RUNNING = "running", _("กำลังทำงาน")
        DONE = "done", _("เสร็จแล้ว")
        FAILED = "failed", _("ไม่สำเร็จ")

    uuid = models.UUIDField(_("รหัสงาน"), default=uuid.uuid4, unique=True, editable=False,
                            help_text=_("รหัสที่ใช้ในที่อยู่หน้าติดตามงาน (เดาไม่ได้)"))
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("องค์กร"), help_text=_("องค์กรที่งานนี้ทำให้ (ว่างได้ เช่น รายงานรวมหลายองค์กร)"))
    kind = models.CharField(_("ชนิดงาน"), max_length=80, help_text=_("ชื่องานที่ลงทะเบียนไว้ เช่น innovation_plans.report"))
    params = models.JSONField(_("พารามิเตอร์"), default=dict, blank=True, help_text=_("ค่าที่ส่งให้งาน"))
    status = models.CharField(_("สถานะ"), max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True, help_text=_("สถานะล่าสุดของงาน"))
    progress = models.PositiveIntegerField(_("ทำไปแล้ว"), default=0, help_text=_("จำนวนหน่วยงานที่ทำเสร็จ"))
    total = models.PositiveIntegerField(_("ทั้งหมด"), default=0, help_text=_("จำนวนหน่วยงานทั้งหมด (0 = ยังไม่ทราบ)"))
    message = models.CharField(_("ข้อความ"), max_length=300, blank=True, help_text=_("ข้อความถึงผู้ขอ"))
    result = models.FileField(_("ไฟล์ผลลัพธ์"), blank=True, max_length=200,
                              storage=private_storage, upload_to=private_upload_to("jobs"),
                              help_text=_("เก็บในที่เก็บไฟล์ส่วนตัว ดาวน์โหลดได้เฉพาะผู้ขอ"))
    filename = models.CharField(_("ชื่อไฟล์"), max_length=200, blank=True, help_text=_("ชื่อไฟล์ที่ผู้ขอได้รับ"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("ผู้ขอ"),
                                   help_text=_("ว่างเมื่อระบบเป็นผู้สั่ง"))
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่ลอง"), default=0, help_text=_("นับทุกครั้งที่เริ่มทำ"))
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True, help_text=_("เวลาที่ขอ"))
    updated_at = models.DateTimeField(_("ปรับปรุงเมื่อ"), auto_now=True, help_text=_("เวลาที่สถานะเปลี่ยนล่าสุด"))
    started_at = models.DateTimeField(_("เริ่มเมื่อ"), null=True, blank=True, help_text=_("เวลาที่เริ่มทำครั้งล่าสุด"))
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True, help_text=_("เวลาที่เสร็จหรือล้มเหลว"))

    organization_path = "organization"

    class Meta:
        verbose_name = _("งานเบื้องหลัง")
        verbose_name_plural = pgettext_lazy("plural", "งานเบื้องหลัง")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "updated_at"], name="backgroundjob_due")]

    def __str__(self):
        return f"{self.kind} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(self.progress * 100 / self.total)) if self.total else 0


class Holiday(models.Model):
    """A Thai public holiday (data, not code): working-day deadlines (complaint SLAs, e-service requests, queue
    days) skip these days and weekends (portal.machinery.calendar). The table keeps the name it had when the
    calendar belonged to complaints."""

    date = models.DateField(_("วันที่"), unique=True)
    name = models.CharField(_("ชื่อวันหยุด"), max_length=200)

    class Meta:
        verbose_name = _("วันหยุดราชการ")
        verbose_name_plural = _("วันหยุดราชการ")
        ordering = ["date"]
        db_table = "complaints_holiday"

    def __str__(self):
        return f"{thai.be_display(self.date)} {self.name}"


class ApiKey(OrganizationOwned):
    """Open311 API key of one organization (portal.open311); only a SHA-256 of the key is stored. The table keeps
    its first name: the keys belonged to the complaints app until the gateway became part of the core."""

    organization_related_name = "open311_api_keys"
    name = models.CharField(_("ชื่อ"), max_length=100, help_text=_("ใครใช้คีย์นี้"))
    prefix = models.CharField(_("ส่วนต้นของคีย์"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ใช้ล่าสุด"), null=True, blank=True, editable=False)

    class Meta:
        db_table = "complaints_apikey"
        verbose_name = _("คีย์ Open311 API")
        verbose_name_plural = _("คีย์ Open311 API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
