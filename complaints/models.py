"""Complaints: categories per organization, QR assets, complaints with their timeline, photos, ratings,
Open311 API keys, LINE conversations and the public-holiday calendar used for SLA deadlines."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.crypto import SealedJSONField
from portal.files import private_storage, private_upload_to
from portal.models import AuditTaggedByOrganization, Department, Organization, OrganizationOwned
from portal.tenancy import OrganizationScopedQuerySet

from . import workflow

DESCRIPTION_MAX = 4000
MAX_PHOTOS = 5  # per submission (web form, Open311, LINE)
RECEIVED_MESSAGE = _("ได้รับเรื่องแล้ว / complaint received")


class Holiday(models.Model):
    """A Thai public holiday (data, not code): SLA deadlines skip these days and weekends."""

    date = models.DateField(_("วันที่ / date"), unique=True)
    name = models.CharField(_("ชื่อวันหยุด / name"), max_length=200)

    class Meta:
        verbose_name = _("วันหยุดราชการ / public holiday")
        verbose_name_plural = _("วันหยุดราชการ / public holidays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class Category(OrganizationOwned):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="complaint_categories",
                                     verbose_name=_("องค์กร / organization"))
    code = models.SlugField(_("รหัส / code"), max_length=40,
                            help_text=_("ใช้เป็น service_code ของ Open311 / used as the Open311 service_code"))
    name_th = models.CharField(_("ชื่อ (ไทย) / Thai name"), max_length=200)
    name_en = models.CharField(_("ชื่อ (อังกฤษ) / English name"), max_length=200, blank=True)
    description = models.TextField(_("คำอธิบาย / description"), blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("หน่วยงานรับผิดชอบ / department"),
                                   help_text=_("เรื่องใหม่ส่งไปที่หน่วยงานนี้ / new complaints are routed here"))
    sla_days = models.PositiveSmallIntegerField(_("กำหนดเสร็จ (วันทำการ) / SLA (working days)"), default=7,
                                                validators=[MinValueValidator(1), MaxValueValidator(365)],
                                                help_text=_("นับเฉพาะวันทำการ ไม่รวมวันหยุด / working days only"))
    is_public = models.BooleanField(_("แสดงต่อสาธารณะ / public"), default=True,
                                    help_text=_("แสดงบนแผนที่และ Open311 / shown on maps and Open311"))
    is_protected = models.BooleanField(
        _("ช่องทางคุ้มครอง (ทุจริต) / protected (corruption)"), default=False,
        help_text=_("อ่านได้เฉพาะนิติกรและผู้บริหาร ไม่แสดงต่อสาธารณะ / legal officers and executives only, never public"))
    order = models.PositiveSmallIntegerField(_("ลำดับ / order"), default=100)
    is_active = models.BooleanField(_("เปิดใช้งาน / active"), default=True)

    class Meta:
        verbose_name = _("ประเภทเรื่องร้องเรียน / complaint category")
        verbose_name_plural = _("ประเภทเรื่องร้องเรียน / complaint categories")
        ordering = ["organization", "order", "name_th"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="uniq_complaint_category_code")]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if get_language() == "en" and self.name_en else self.name_th

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.department_id and self.department.organization_id != self.organization_id:
            raise ValidationError({"department": _("หน่วยงานต้องอยู่ในองค์กรเดียวกัน / department must be in the same organization")})
        if self.is_protected and self.is_public:
            raise ValidationError({"is_public": _("ประเภทคุ้มครองต้องไม่เป็นสาธารณะ / a protected category cannot be public")})


class Asset(OrganizationOwned):
    """Something in the street with a QR sticker: a loudspeaker pole, a street light, a water valve."""

    class Kind(models.TextChoices):
        LOUDSPEAKER = "loudspeaker", _("เสาหอกระจายข่าว / loudspeaker pole")
        STREET_LIGHT = "street_light", _("ไฟฟ้าสาธารณะ / street light")
        WATER_VALVE = "water_valve", _("ประตูน้ำประปา / water valve")
        OTHER = "other", _("อื่น ๆ / other")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="complaint_assets",
                                     verbose_name=_("องค์กร / organization"))
    code = models.SlugField(_("รหัสทรัพย์สิน / asset code"), max_length=40,
                            help_text=_("พิมพ์บนสติกเกอร์ QR เช่น LS-001 / printed on the QR sticker, e.g. LS-001"))
    kind = models.CharField(_("ประเภท / type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("ชื่อ/ตำแหน่ง / name or place"), max_length=200, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("ประเภทเรื่องที่มักแจ้ง / default category"))
    village = models.CharField(_("หมู่บ้าน/หมู่ที่ / village"), max_length=100, blank=True)
    latitude = models.DecimalField(_("ละติจูด / latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("ลองจิจูด / longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    batch = models.CharField(_("ชุดพิมพ์ / print batch"), max_length=40, blank=True,
                             help_text=_("ใช้พิมพ์สติกเกอร์เป็นชุด / to print stickers by batch"))
    scan_count = models.PositiveIntegerField(_("จำนวนครั้งที่สแกน / scans"), default=0, editable=False)

    class Meta:
        verbose_name = _("ทรัพย์สินที่มี QR / QR asset")
        verbose_name_plural = _("ทรัพย์สินที่มี QR / QR assets")
        ordering = ["organization", "code"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="uniq_complaint_asset_code")]

    def __str__(self):
        return f"{self.code} {self.name}".strip()

    def get_scan_url(self):
        from django.urls import reverse

        return reverse("complaints:qr-scan", args=[self.organization.slug, self.code])


class ComplaintQuerySet(OrganizationScopedQuerySet):
    def public(self):
        return self.filter(is_protected=False, category__is_public=True)

    def ordinary(self):
        return self.filter(is_protected=False)

    def protected(self):
        return self.filter(is_protected=True)

    def open(self):
        return self.filter(status__in=workflow.OPEN_STATES)

    def overdue(self, now=None):
        return self.open().filter(sla_deadline__lt=now or timezone.now())


class Complaint(OrganizationOwned):
    Status = workflow.Status

    class Channel(models.TextChoices):
        WEB = "web", _("เว็บไซต์ / website")
        LINE = "line", _("LINE")
        FACEBOOK = "facebook", _("Facebook")
        QR = "qr", _("QR code")
        PHONE = "phone", _("โทรศัพท์ / phone")
        COUNTER = "counter", _("ยื่นที่สำนักงาน / counter")
        OPEN311 = "open311", _("Open311 API")

    class NotifyChannel(models.TextChoices):
        NONE = "", _("ไม่ต้องแจ้ง / none")
        EMAIL = "email", _("อีเมล / e-mail")
        SMS = "sms", _("SMS")
        LINE = "line", _("LINE")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="complaints",
                                     verbose_name=_("องค์กร / organization"))
    tracking_code = models.CharField(_("รหัสติดตาม / tracking code"), max_length=24, unique=True, editable=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="complaints",
                                 verbose_name=_("ประเภทเรื่อง / category"))
    is_protected = models.BooleanField(_("ช่องทางคุ้มครอง / protected"), default=False, editable=False,
                                       help_text=_("เรื่องทุจริต: ไม่แสดงต่อสาธารณะ / corruption: never public"))
    description = models.TextField(_("รายละเอียด / description"), max_length=DESCRIPTION_MAX)
    status = models.CharField(_("สถานะ / status"), max_length=20, choices=workflow.Status.choices,
                              default=workflow.Status.SUBMITTED, editable=False)
    channel = models.CharField(_("ช่องทาง / channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    latitude = models.DecimalField(_("ละติจูด / latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("ลองจิจูด / longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("ที่อยู่/จุดสังเกต / address or landmark"), max_length=300, blank=True)
    village = models.CharField(_("หมู่บ้าน/หมู่ที่ / village"), max_length=100, blank=True)
    asset = models.ForeignKey(Asset, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints",
                              verbose_name=_("ทรัพย์สิน (QR) / asset"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("หน่วยงานรับผิดชอบ / department"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("เจ้าหน้าที่ผู้รับผิดชอบ / officer"))
    concerned_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("หน่วยงานที่ถูกร้องเรียน / department concerned"),
        help_text=_("เฉพาะเรื่องทุจริต / corruption reports only"))
    contact_name = models.CharField(_("ชื่อผู้แจ้ง / name"), max_length=200, blank=True)
    contact_phone = models.CharField(_("โทรศัพท์ / phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("อีเมล / e-mail"), blank=True)
    sealed_contact = SealedJSONField(
        _("ข้อมูลติดต่อผู้แจ้ง (เข้ารหัส)"), blank=True, editable=False,
        help_text=_("เรื่องทุจริต: ชื่อ โทรศัพท์ อีเมลของผู้แจ้ง เก็บแบบเข้ารหัส อ่านได้เฉพาะผู้มีสิทธิ์และถูกบันทึกทุกครั้ง"))
    line_user_id = models.CharField(_("LINE user id"), max_length=64, blank=True)
    notify_channel = models.CharField(_("แจ้งความคืบหน้าทาง / notify by"), max_length=10, blank=True,
                                      choices=NotifyChannel.choices)
    pdpa_consent_at = models.DateTimeField(_("ยินยอม PDPA เมื่อ / PDPA consent at"), null=True, blank=True)
    passphrase_hash = models.CharField(_("รหัสผ่านผู้แจ้ง (แฮช) / reporter passphrase (hash)"), max_length=200,
                                       blank=True, editable=False)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="duplicates", verbose_name=_("ซ้ำกับเรื่อง / duplicate of"))
    sla_deadline = models.DateTimeField(_("กำหนดเสร็จ / SLA deadline"), null=True, blank=True)
    rating_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    anonymized_at = models.DateTimeField(_("ลบข้อมูลส่วนบุคคลเมื่อ / anonymised at"), null=True, blank=True,
                                         editable=False)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("บันทึกแทนโดย / filed by staff"))
    created_at = models.DateTimeField(_("แจ้งเมื่อ / submitted"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("ปรับปรุงเมื่อ / updated"), auto_now=True)
    resolved_at = models.DateTimeField(_("แก้ไขเสร็จเมื่อ / resolved"), null=True, blank=True, editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("เรื่องร้องเรียน / complaint")
        verbose_name_plural = _("เรื่องร้องเรียน / complaints")
        ordering = ["-created_at"]
        indexes = [
            # The staff list: one organization, filtered by status / category / department, newest first.
            models.Index(fields=["organization", "is_protected", "status", "-created_at"], name="cmp_org_status"),
            models.Index(fields=["organization", "category", "-created_at"], name="cmp_org_category"),
            models.Index(fields=["organization", "department", "status", "-created_at"], name="cmp_org_dept"),
            models.Index(fields=["organization", "-created_at"], name="cmp_org_created"),
            models.Index(fields=["status", "sla_deadline"], name="cmp_status_sla"),
        ]

    def __str__(self):
        return self.tracking_code

    def reporter_contact(self) -> dict:
        """{"name", "phone", "email"}: the sealed copy of a corruption report, the plain fields otherwise. Staff read
        it only through views that write an audit row (the corruption-report admin)."""
        if self.is_protected:
            return {"name": "", "phone": "", "email": "", **(self.sealed_contact or {})}
        return {"name": self.contact_name, "phone": self.contact_phone, "email": self.contact_email}

    def permission_model(self):
        """A corruption report is governed by the ProtectedComplaint permissions whatever class it was loaded as:
        the organization's administrator and officers may not touch it (portal.permissions.can)."""
        return ProtectedComplaint if self.is_protected else Complaint

    @classmethod
    def audit_hidden_ids(cls, user):
        """Audit-log entries of corruption reports are shown only to those who may read the report (portal.admin):
        the ids of the protected rows hidden from `user`."""
        from portal.permissions import PROTECTED_ROLES
        from portal.tenancy import user_org_ids

        return (cls.objects.filter(is_protected=True)
                .exclude(organization__in=user_org_ids(user, PROTECTED_ROLES)).values("pk"))

    @classmethod
    def permission_model_of_rows(cls, queryset):
        return [(ProtectedComplaint if protected else Complaint, org_id)
                for org_id, protected in queryset.order_by().values_list("organization", "is_protected").distinct()]

    @property
    def is_open(self):
        return self.status in workflow.OPEN_STATES

    @property
    def is_overdue(self):
        return bool(self.is_open and self.sla_deadline and self.sla_deadline < timezone.now())

    @property
    def public_status(self):
        return workflow.public_label(self.status)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("complaints:track", args=[self.organization.slug, self.tracking_code])

    def received_entry(self) -> "ComplaintUpdate":
        """The first line of every timeline, derived from the complaint row itself: submitting writes one row,
        not two. Unsaved; for display only."""
        return ComplaintUpdate(complaint=self, kind=ComplaintUpdate.Kind.STATUS, to_status=workflow.Status.SUBMITTED,
                               is_public=True, author_id=self.filed_by_id, created_at=self.created_at,
                               message=RECEIVED_MESSAGE)

    def with_received(self, updates) -> list:
        """`updates` (oldest first) with the derived "received" entry in front, unless a stored one is there
        (complaints filed before the entry was derived have a real row)."""
        updates = list(updates)
        first = updates[0] if updates else None
        if first is not None and first.to_status == workflow.Status.SUBMITTED and not first.from_status:
            return updates
        return [self.received_entry(), *updates]


class ProtectedComplaint(Complaint):
    """Corruption / misconduct reports, a separate admin readable only by legal officers and executives."""

    class Meta:
        proxy = True
        verbose_name = _("เรื่องร้องเรียนการทุจริต / corruption report")
        verbose_name_plural = _("เรื่องร้องเรียนการทุจริต / corruption reports")


class ComplaintUpdate(AuditTaggedByOrganization, models.Model):
    """One line of a complaint's timeline: a status change, a public reply or an internal note."""

    class Kind(models.TextChoices):
        STATUS = "status", _("เปลี่ยนสถานะ / status change")
        REPLY = "reply", _("ตอบกลับผู้แจ้ง / public reply")
        NOTE = "note", _("บันทึกภายใน / internal note")
        ASSIGN = "assign", _("มอบหมาย / assignment")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="updates",
                                  verbose_name=_("เรื่องร้องเรียน / complaint"))
    kind = models.CharField(_("ชนิด / kind"), max_length=10, choices=Kind.choices)
    from_status = models.CharField(_("จากสถานะ / from"), max_length=20, blank=True, choices=workflow.Status.choices)
    to_status = models.CharField(_("เป็นสถานะ / to"), max_length=20, blank=True, choices=workflow.Status.choices)
    message = models.TextField(_("ข้อความ / message"), blank=True, max_length=DESCRIPTION_MAX)
    is_public = models.BooleanField(_("ผู้แจ้งเห็น / visible to citizen"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("ผู้บันทึก / by"))
    created_at = models.DateTimeField(_("เมื่อ / at"), default=timezone.now)

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "complaint__organization"

    class Meta:
        verbose_name = _("ความคืบหน้า / update")
        verbose_name_plural = _("ความคืบหน้า / timeline")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"



class ComplaintPhoto(AuditTaggedByOrganization, models.Model):
    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("ภาพจากผู้แจ้ง / from citizen")
        AFTER = "after", _("ภาพหลังแก้ไข / after repair")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos",
                                  verbose_name=_("เรื่องร้องเรียน / complaint"))
    image = models.ImageField(_("ภาพ / image"), upload_to="complaints/%Y/%m/", blank=True,
                              help_text=_("บันทึกใหม่เป็น JPEG ไม่มีพิกัด GPS / re-encoded JPEG without GPS metadata"))
    evidence = models.FileField(
        _("ภาพหลักฐาน (ส่วนตัว)"), storage=private_storage, upload_to=private_upload_to("complaints/evidence"),
        max_length=200, blank=True,
        help_text=_("ภาพของเรื่องร้องเรียนการทุจริต เก็บนอกพื้นที่สาธารณะ ดูได้เฉพาะผู้มีสิทธิ์อ่านเรื่องนั้น"))
    kind = models.CharField(_("ชนิด / kind"), max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    created_at = models.DateTimeField(_("เมื่อ / at"), auto_now_add=True)

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "complaint__organization"

    class Meta:
        verbose_name = _("ภาพประกอบ / photo")
        verbose_name_plural = _("ภาพประกอบ / photos")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.file.name

    @property
    def file(self):
        return self.evidence if self.evidence else self.image

    @property
    def url(self) -> str:
        """Public photos from MEDIA_URL; corruption evidence only through the permission-checked view."""
        if self.evidence:
            from django.urls import reverse

            return reverse("complaints-photo", args=[self.pk])
        return self.image.url


class Rating(AuditTaggedByOrganization, models.Model):
    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="rating",
                                     verbose_name=_("เรื่องร้องเรียน / complaint"))
    score = models.PositiveSmallIntegerField(_("คะแนน / score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("ความเห็น / comment"), blank=True, max_length=2000)
    reopen_requested = models.BooleanField(_("ขอให้เปิดเรื่องใหม่ / reopen requested"), default=False)
    created_at = models.DateTimeField(_("เมื่อ / at"), auto_now_add=True)

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "complaint__organization"

    class Meta:
        verbose_name = _("ความพึงพอใจ / satisfaction rating")
        verbose_name_plural = _("ความพึงพอใจ / satisfaction ratings")

    def __str__(self):
        return f"{self.complaint} {self.score}/5"


class ApiKey(OrganizationOwned):
    """Open311 API key of one organization; only a SHA-256 of the key is stored."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="complaint_api_keys",
                                     verbose_name=_("องค์กร / organization"))
    name = models.CharField(_("ชื่อ / name"), max_length=100, help_text=_("ใครใช้คีย์นี้ / who uses this key"))
    prefix = models.CharField(_("ส่วนต้นของคีย์ / key prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("ใช้งาน / active"), default=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ / created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ใช้ล่าสุด / last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("คีย์ Open311 API / Open311 API key")
        verbose_name_plural = _("คีย์ Open311 API / Open311 API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class LineConversation(OrganizationOwned):
    """What a LINE user has sent so far, until there is enough for a complaint."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("องค์กร / organization"))
    line_user_id = models.CharField(max_length=64)
    draft = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("บทสนทนา LINE / LINE conversation")
        verbose_name_plural = _("บทสนทนา LINE / LINE conversations")
        constraints = [models.UniqueConstraint(fields=["organization", "line_user_id"], name="uniq_line_conversation")]

    def __str__(self):
        return self.line_user_id

