"""Shared core: organizations, departments, staff roles, and the notification outbox."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal import thai
from portal.access.roles import Role  # noqa: F401  (re-exported: portal.models.Role)
from portal.access.tenancy import OrganizationScopedQuerySet, organization_id_of
from portal.outputs.crypto import SealedCharField
from portal.outputs.files import private_storage, private_upload_to


class AuditTaggedByOrganization:
    """Tags audit-log rows with the organization reached through `organization_path`, so the audit trail can be
    scoped per organization without joining every model (see portal.admin.ScopedLogEntryAdmin)."""

    def get_additional_data(self):
        from portal.audit.trail import named_actor

        data = {"organization_id": organization_id_of(self)}
        if actor := named_actor():
            data["actor"] = actor
        return data


# First path segments used by the portal itself: an organization with one of these slugs could not be reached.
RESERVED_SLUGS = {"admin", "api", "i18n", "static", "media", "healthz", "open311", "line", "plans", "accounts",
                  "jobs", "files", "opendata", "complaints", "taxpay"}


class LanguageField(models.CharField):
    """The language a citizen used when filing or asked to be contacted in: their notifications are written in it
    (portal.notifications.services.notify(language=...))."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("ภาษาที่ใช้ติดต่อ"))
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault("choices", settings.LANGUAGES)
        kwargs.setdefault("default", settings.LANGUAGE_CODE)
        kwargs.setdefault("help_text", _("ภาษาของข้อความแจ้งเตือนทาง SMS อีเมล และ LINE"))
        super().__init__(*args, **kwargs)


def validate_slug_not_reserved(value):
    from django.core.exceptions import ValidationError

    if value in RESERVED_SLUGS:
        raise ValidationError(_("ชื่อนี้ระบบใช้อยู่แล้ว"))


# Thailand's national emergency numbers, whatever an organization calls them in Thai.
NATIONAL_EMERGENCY_NUMBERS = {"191": _("เหตุด่วนเหตุร้าย (ตำรวจ)"), "199": _("ดับเพลิง"), "1669": _("เจ็บป่วยฉุกเฉิน"),
                              "1784": _("สาธารณภัย"), "1554": _("หน่วยแพทย์กู้ชีพ"), "1193": _("ตำรวจทางหลวง")}


class Organization(AuditTaggedByOrganization, models.Model):
    class Kind(models.TextChoices):
        SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("เทศบาลตำบล")
        TOWN_MUNICIPALITY = "town_municipality", _("เทศบาลเมือง")
        CITY_MUNICIPALITY = "city_municipality", _("เทศบาลนคร")
        SAO = "sao", _("องค์การบริหารส่วนตำบล (อบต.)")

    slug = models.SlugField(_("ชื่อย่อใน URL"), unique=True, max_length=60,
                            validators=[validate_slug_not_reserved],
                            help_text=_("ใช้ในที่อยู่เว็บ เช่น /khamyai/"))
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=200, blank=True)
    kind = models.CharField(_("ประเภท"), max_length=32, choices=Kind.choices)
    subdistrict = models.CharField(_("ตำบล"), max_length=100, blank=True)
    district = models.CharField(_("อำเภอ"), max_length=100)
    province = models.CharField(_("จังหวัด"), max_length=100)
    tax_id = models.CharField(
        _("เลขประจำตัวผู้เสียภาษี"), max_length=13, blank=True,
        validators=[RegexValidator(r"^\d{13}$", _("ต้องเป็นตัวเลข 13 หลัก"))],
        help_text=_("เลข 13 หลักของหน่วยงาน"),
    )
    code_prefix = models.CharField(
        _("อักษรนำรหัสติดตาม"), max_length=4,
        validators=[RegexValidator(r"^[A-Z]{2,4}$", _("อักษรอังกฤษตัวใหญ่ 2–4 ตัว"))],
        help_text=_("เช่น KY ในรหัส KY-2568-7F3K9Q"),
    )
    address = models.TextField(_("ที่อยู่"), blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=50, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    website = models.URLField(_("เว็บไซต์"), blank=True)
    logo = models.ImageField(_("ตราสัญลักษณ์"), upload_to="logos/", blank=True)
    latitude = models.DecimalField(_("ละติจูด"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("ลองจิจูด"), max_digits=9, decimal_places=6, null=True, blank=True)
    area_radius_km = models.DecimalField(
        _("รัศมีพื้นที่ (กม.)"), max_digits=6, decimal_places=2, default=10,
        help_text=_("ใช้ตรวจว่าตำแหน่งที่แจ้งอยู่ในพื้นที่"),
    )
    subdistrict_en = models.CharField(_("ตำบล (อังกฤษ)"), max_length=100, blank=True,
                                      help_text=_("แสดงบนหน้าภาษาอังกฤษ เช่น Kham Yai"))
    district_en = models.CharField(_("อำเภอ (อังกฤษ)"), max_length=100, blank=True,
                                   help_text=_("แสดงบนหน้าภาษาอังกฤษ เช่น Huai Mek"))
    province_en = models.CharField(_("จังหวัด (อังกฤษ)"), max_length=100, blank=True,
                                   help_text=_("แสดงบนหน้าภาษาอังกฤษ เช่น Kalasin"))
    office_hours = models.TextField(_("เวลาทำการ"), blank=True,
                                    help_text=_("เช่น จันทร์–ศุกร์ 08:30–16:30 น. เว้นวันหยุดราชการ"))
    office_hours_en = models.TextField(_("เวลาทำการ (อังกฤษ)"), blank=True,
                                       help_text=_("แสดงบนหน้าภาษาอังกฤษ ไม่บังคับ เช่น Mon–Fri 08:30–16:30"))
    line_oa_id = models.CharField(
        _("LINE Official Account"), max_length=40, blank=True,
        validators=[RegexValidator(r"^@[A-Za-z0-9._-]{2,30}$", _("ขึ้นต้นด้วย @ เช่น @khamyai"))],
        help_text=_("ไอดีบัญชีทางการ เช่น @khamyai หน้าแรกแสดงลิงก์และ QR ให้เพิ่มเพื่อน"))
    emergency_numbers = models.TextField(
        _("หมายเลขฉุกเฉิน"), blank=True,
        help_text=_("บรรทัดละหนึ่งหมายเลข: ชื่อ ตามด้วยเลขหมาย เช่น ป้องกันและบรรเทาสาธารณภัย 199"))
    public_digits = models.CharField(
        _("ตัวเลขบนหน้าสาธารณะ"), max_length=6, default="arabic",
        choices=[("arabic", _("เลขอารบิก (1, 2, 3)")), ("thai", _("เลขไทย (๑, ๒, ๓)"))],
        help_text=_("ใช้แบบเดียวทั้งหน้า ทั้งจำนวนเงิน ปี และค่าเป้าหมาย"))
    line_channel_secret = SealedCharField(
        _("LINE channel secret"), max_length=100, blank=True,
        help_text=_("จาก LINE Developers Console ใช้ตรวจลายมือชื่อข้อความที่ LINE ส่งมา"))
    line_channel_access_token = SealedCharField(
        _("LINE channel access token"), max_length=300, blank=True,
        help_text=_("จาก LINE Developers Console ใช้ส่งข้อความตอบกลับทาง LINE"))
    is_active = models.BooleanField(_("เปิดใช้งาน"), default=True)

    class Meta:
        verbose_name = _("องค์กรปกครองส่วนท้องถิ่น")
        verbose_name_plural = pgettext_lazy("plural", "องค์กรปกครองส่วนท้องถิ่น")
        ordering = ["province", "name_th"]
        # the landing page's order: a page of 24 of 7,850 read from the index instead of sorting them all
        indexes = [models.Index(fields=["province", "name_th"], name="org_province_name")]

    organization_path = "pk"

    def __str__(self):
        return self.name_th

    @property
    def name(self):
        return thai.localized(self)

    @property
    def hours(self):
        """The office hours in the page's language: the English ones on an English page when given, else the Thai."""
        return thai.in_language(self.office_hours, self.office_hours_en)

    def _localized(self, field):
        """The English form on English pages: the field filled in by staff, else (provinces) the official one."""
        english = getattr(self, f"{field}_en") or (thai.province_english(self.province) if field == "province" else "")
        return thai.in_language(getattr(self, field), english)

    @property
    def district_name(self):
        return self._localized("district")

    @property
    def province_name(self):
        return self._localized("province")

    @property
    def line_oa_url(self):
        from urllib.parse import quote

        return f"https://line.me/R/ti/p/{quote(self.line_oa_id)}" if self.line_oa_id else ""

    @property
    def emergency_list(self) -> list[tuple[str, str]]:
        """[(label, number)] from the one-per-line text: the number is the last word of each line. On an English
        page a national number gets its English name (the organization types its labels in Thai only)."""
        english = get_language() == "en"
        rows = []
        for line in self.emergency_numbers.splitlines():
            label, _sep, number = line.strip().rpartition(" ")
            if number:
                national = NATIONAL_EMERGENCY_NUMBERS.get(number) if english else None
                rows.append((str(national) if national else label.strip(" :") or number, number))
        return rows

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("portal:org-home", args=[self.slug])

    def new_tracking_code(self) -> str:
        return thai.tracking_code(self.code_prefix)



class OrganizationKey(models.ForeignKey):
    """The `organization` key of an `OrganizationOwned` row (CASCADE, indexed). Its reverse accessor on
    Organization is the model's `organization_related_name` (e.g. "tax_bills"; "+" for none), so each model keeps its
    reverse name without declaring the key again. Migrations see a plain ForeignKey."""

    def contribute_to_class(self, cls, name, *args, **kwargs):
        if not cls._meta.abstract:
            self._related_name = self.remote_field.related_name = cls.organization_related_name
        super().contribute_to_class(cls, name, *args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs


class OrganizationScoped(AuditTaggedByOrganization, models.Model):
    """Abstract base for rows that reach their organization through a parent: each model names the path in
    `organization_path` (e.g. "complaint__organization"); this gives the scoped queryset and audit tagging."""

    objects = OrganizationScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class OrganizationOwned(OrganizationScoped):
    """Abstract base for rows that belong to one organization directly: the `organization` key, the scoped
    queryset and audit tagging. A model sets `organization_related_name` to keep a reverse accessor."""

    organization = OrganizationKey(Organization, on_delete=models.CASCADE, db_index=True, verbose_name=_("องค์กร"),
                                   help_text=_("องค์กรเจ้าของรายการนี้"))

    organization_path = "organization"
    organization_related_name = "+"

    class Meta:
        abstract = True


# A DNS name as a citizen types it: labels of letters, digits and hyphens, at least one dot, no port.
HOST_NAME = RegexValidator(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$",
                           _("ชื่อโดเมนไม่ถูกต้อง ใช้ตัวอักษรอังกฤษพิมพ์เล็ก ตัวเลข ขีด และจุด เช่น www.khamyai.go.th"))


class OrganizationHost(OrganizationOwned):
    """A host name of the organization's own (e.g. www.khamyai.go.th): its pages are served there without the
    /<slug>/ prefix (portal.web.hosts), and the host is accepted as if listed in ALLOWED_HOSTS."""

    organization_related_name = "hosts"
    host = models.CharField(_("ชื่อโดเมน"), max_length=253, unique=True, validators=[HOST_NAME],
                            help_text=_("เช่น www.khamyai.go.th ไม่ต้องใส่ https:// ให้ชี้ DNS มาที่เครื่องนี้ก่อน"))
    created_at = models.DateTimeField(_("เพิ่มเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("โดเมนขององค์กร")
        verbose_name_plural = pgettext_lazy("plural", "โดเมนขององค์กร")
        ordering = ["host"]

    def __str__(self):
        return self.host

    def save(self, *args, **kwargs):
        self.host = self.host.strip().lower().rstrip(".")
        super().save(*args, **kwargs)

    def clean(self):
        self.host = (self.host or "").strip().lower().rstrip(".")


class Department(OrganizationOwned):
    organization_related_name = "departments"
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("สังกัด"), help_text=_("เช่น งานนิติการ สังกัดสำนักปลัด"),
    )
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=200, blank=True)
    code = models.SlugField(_("รหัส"), max_length=40, help_text=_("เช่น clerk, finance"))

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = pgettext_lazy("plural", "หน่วยงาน")
        ordering = ["organization", "name_th"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="uniq_department_code")]

    def __str__(self):
        return self.name_th if not self.parent_id else f"{self.parent.name_th} › {self.name_th}"

    @property
    def name(self):
        return thai.localized(self)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.organization_id != self.organization_id:
            raise ValidationError({"parent": _("หน่วยงานแม่ต้องอยู่ในองค์กรเดียวกัน")})


class Membership(OrganizationOwned):
    """A staff user's role in one organization; a user may hold several roles in several organizations."""

    organization_related_name = "memberships"
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("ผู้ใช้"))
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   verbose_name=_("หน่วยงาน"),
                                   help_text=_("สำหรับเจ้าหน้าที่: หน่วยงานที่สังกัด"))

    class Meta:
        verbose_name = _("สิทธิ์เจ้าหน้าที่")
        verbose_name_plural = pgettext_lazy("plural", "สิทธิ์เจ้าหน้าที่")
        constraints = [models.UniqueConstraint(fields=["user", "organization", "role"], name="uniq_membership_role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.department_id and self.department.organization_id != self.organization_id:
            raise ValidationError({"department": _("หน่วยงานต้องอยู่ในองค์กรเดียวกัน")})


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


# --- onboarding: the national directory, invitations and the set-up wizard (portal.onboarding) ------------------------

DLA_CODE = RegexValidator(r"^\d{7}$", _("รหัส อปท. ต้องเป็นตัวเลข 7 หลัก"))


class DirectoryEntry(models.Model):
    """One local administrative organization in the national list of the Department of Local Administration
    (กรมส่งเสริมการปกครองท้องถิ่น), keyed by its 7-digit code. Imported from the department's CSV/XLSX
    (`manage.py import_dla_directory`, or the admin's upload page); an organization is invited from here."""

    code = models.CharField(_("รหัส อปท."), max_length=7, unique=True, validators=[DLA_CODE],
                            help_text=_("รหัส 7 หลักตามทะเบียนของกรมส่งเสริมการปกครองท้องถิ่น"))
    kind = models.CharField(_("ประเภท"), max_length=32, choices=Organization.Kind.choices)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200, help_text=_("ชื่อตามทะเบียน"))
    subdistrict = models.CharField(_("ตำบล"), max_length=100, blank=True)
    district = models.CharField(_("อำเภอ"), max_length=100)
    province = models.CharField(_("จังหวัด"), max_length=100)
    organization = models.OneToOneField(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="directory_entry",
        verbose_name=_("องค์กรในระบบ"), help_text=_("ว่างจนกว่าจะเชิญองค์กรนี้เข้าระบบ"))
    updated_at = models.DateTimeField(_("ปรับปรุงเมื่อ"), auto_now=True)

    class Meta:
        verbose_name = _("ทะเบียน อปท.")
        verbose_name_plural = pgettext_lazy("plural", "ทะเบียน อปท.")
        ordering = ["province", "district", "name_th"]

    def __str__(self):
        return f"{self.name_th} ({self.code})"


class Invitation(OrganizationOwned):
    """An invitation to an organization's first administrator: a link sent by e-mail, good once, until it expires.
    Only a SHA-256 of the link's secret is kept; the link names the invitation by its UUID."""

    organization_related_name = "invitations"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("อีเมลผู้รับเชิญ"), help_text=_("ใช้เป็นชื่อผู้ใช้ของผู้ดูแลองค์กร"))
    token_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("ผู้เชิญ"))
    created_at = models.DateTimeField(_("เชิญเมื่อ"), auto_now_add=True)
    expires_at = models.DateTimeField(_("หมดอายุเมื่อ"))
    accepted_at = models.DateTimeField(_("ตอบรับเมื่อ"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("บัญชีที่ตอบรับ"))

    class Meta:
        verbose_name = _("คำเชิญผู้ดูแลองค์กร")
        verbose_name_plural = pgettext_lazy("plural", "คำเชิญผู้ดูแลองค์กร")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} · {self.organization}"


class OrganizationSetup(AuditTaggedByOrganization, models.Model):
    """Where the organization's own set-up wizard stands: the steps saved so far (coming back resumes at the first
    one not done), the services switched off on the home page, and when the clerk finished."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="setup",
                                        verbose_name=_("องค์กร"))
    steps_done = models.JSONField(_("ขั้นที่ทำแล้ว"), default=list, blank=True,
                                  help_text=_("ขั้นที่บันทึกหรือข้ามแล้ว"))
    steps_skipped = models.JSONField(_("ขั้นที่ข้าม"), default=list, blank=True,
                                     help_text=_("ขั้นที่ข้ามไว้ ทำภายหลังได้"))
    services_off = models.JSONField(_("บริการที่ปิด"), default=list, blank=True,
                                    help_text=_("ชื่อแอปของบริการที่ไม่แสดงบนหน้าแรกขององค์กร"))
    finished_at = models.DateTimeField(_("ตั้งค่าเสร็จเมื่อ"), null=True, blank=True)

    organization_path = "organization"

    class Meta:
        verbose_name = _("การตั้งค่าเริ่มต้นขององค์กร")
        verbose_name_plural = pgettext_lazy("plural", "การตั้งค่าเริ่มต้นขององค์กร")

    def __str__(self):
        return str(self.organization)
