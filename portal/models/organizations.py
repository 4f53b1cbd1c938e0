"""Organizations and the abstract bases every organization-owned model builds on."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal import thai
from portal.access.tenancy import OrganizationScopedQuerySet, organization_id_of
from portal.outputs.crypto import SealedCharField


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

    def deconstruct(self):
        # Migrations name it where it was first defined; re-exported there (portal/models/__init__.py).
        name, _path, args, kwargs = super().deconstruct()
        return name, "portal.models.LanguageField", args, kwargs


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
