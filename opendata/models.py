"""The open-data catalogue: datasets with the thai-gdc metadata, categories (CKAN groups), tags, resources with
immutable file versions, and a datastore holding the rows of tabular resources so they can be queried."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.access.tenancy import OrganizationScopedQuerySet
from portal.models import AuditTaggedByOrganization, Organization, OrganizationOwned
from portal.outputs.files import private_storage, private_upload_to

LICENSES = {
    # id -> (title, url, is open); "Open Data Common" is the Thai government's default licence.
    "Open Data Common": ("Open Data Common", "https://data.go.th/pages/open-data-common", True),
    "cc-by": ("Creative Commons Attribution", "https://creativecommons.org/licenses/by/4.0/", True),
    "cc-by-sa": ("Creative Commons Attribution Share-Alike", "https://creativecommons.org/licenses/by-sa/4.0/", True),
    "cc-zero": ("Creative Commons CCZero", "https://creativecommons.org/publicdomain/zero/1.0/", True),
    "cc-nc": ("Creative Commons Non-Commercial", "https://creativecommons.org/licenses/by-nc/4.0/", False),
}
DEFAULT_LICENSE = "Open Data Common"


class Group(models.Model):
    """A category (หมวดหมู่) shared by the whole installation, served as a CKAN group."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("ชื่อใน URL"), max_length=100, unique=True,
                            help_text=_("อักษรอังกฤษตัวเล็ก ตัวเลข และขีด เช่น public-safety"))
    title_th = models.CharField(_("ชื่อหมวดหมู่ (ไทย)"), max_length=200, help_text=_("ชื่อที่แสดงเป็นภาษาไทย"))
    title_en = models.CharField(_("ชื่อหมวดหมู่ (อังกฤษ)"), max_length=200, blank=True,
                                help_text=_("ชื่อที่แสดงเมื่อเลือกภาษาอังกฤษ"))
    description = models.TextField(_("คำอธิบาย"), blank=True, help_text=_("หมวดหมู่นี้รวบรวมข้อมูลเรื่องใด"))
    created = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True, help_text=_("เวลาที่สร้างหมวดหมู่"))

    class Meta:
        verbose_name = _("หมวดหมู่ข้อมูล")
        verbose_name_plural = _("หมวดหมู่ข้อมูล")
        ordering = ["name"]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.title_en if get_language() == "en" and self.title_en else self.title_th


class Tag(models.Model):
    name = models.CharField(_("คำสำคัญ"), max_length=100, unique=True, help_text=_("คำสำคัญของชุดข้อมูล เช่น ร้องเรียน"))

    class Meta:
        verbose_name = _("คำสำคัญ")
        verbose_name_plural = _("คำสำคัญ")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DatasetQuerySet(OrganizationScopedQuerySet):
    def published(self):
        """Public: published by an organization that is active (a deactivated one keeps its rows, unlisted)."""
        return self.filter(state=Dataset.State.PUBLISHED, organization__is_active=True)


class Dataset(OrganizationOwned):
    """A dataset (CKAN package). The thai-gdc fields are served as top-level keys of package_show."""

    class State(models.TextChoices):
        DRAFT = "draft", _("ฉบับร่าง")
        PUBLISHED = "published", _("เผยแพร่")

    class DataType(models.TextChoices):
        RECORD = "record", _("ข้อมูลระเบียน")
        STATISTICAL = "statistical", _("ข้อมูลสถิติ")
        GEOSPATIAL = "geospatial", _("ข้อมูลภูมิสารสนเทศ")
        MULTIPLE = "multiple", _("ข้อมูลหลายประเภท")
        OTHER = "other", _("ข้อมูลประเภทอื่น")

    class FrequencyUnit(models.TextChoices):
        DAY = "day", _("วัน")
        WEEK = "week", _("สัปดาห์")
        MONTH = "month", _("เดือน")
        QUARTER = "quarter", _("ไตรมาส")
        YEAR = "year", _("ปี")
        IRREGULAR = "irregular", _("ไม่แน่นอน")

    class Category(models.TextChoices):
        PUBLIC = "public", _("ข้อมูลสาธารณะ")
        INTERNAL = "internal", _("ข้อมูลใช้ภายใน")
        PERSONAL = "personal", _("ข้อมูลส่วนบุคคล")
        SECURITY = "security", _("ข้อมูลความมั่นคง")
        SECRET = "secret", _("ข้อมูลความลับทางราชการ")

    class Classification(models.TextChoices):
        OPEN = "open", _("เปิดเผย")
        RESTRICTED = "restricted", _("ใช้ภายใน")
        CONFIDENTIAL = "confidential", _("ลับ")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="datasets",
                                     verbose_name=_("องค์กร"), help_text=_("องค์กรเจ้าของชุดข้อมูล"))
    name = models.SlugField(_("ชื่อใน URL"), max_length=100, unique=True,
                            help_text=_("ไม่ซ้ำทั้งระบบ อักษรอังกฤษตัวเล็ก ตัวเลข และขีด เช่น khamyai-budget-2568"))
    title = models.CharField(_("ชื่อชุดข้อมูล"), max_length=300, help_text=_("ชื่อที่ผู้ใช้เห็น"))
    notes = models.TextField(_("รายละเอียด"), blank=True, help_text=_("คำอธิบายชุดข้อมูล"))
    state = models.CharField(_("สถานะการเผยแพร่"), max_length=12, choices=State.choices, default=State.DRAFT,
                             help_text=_("ฉบับร่างไม่แสดงต่อสาธารณะ"))
    feed_name = models.CharField(_("ชุดข้อมูลอัตโนมัติ"), max_length=100, blank=True, editable=False,
                                 help_text=_("ชื่อแหล่งข้อมูลของระบบที่ปรับปรุงชุดข้อมูลนี้โดยอัตโนมัติ"))
    # thai-gdc metadata
    data_type = models.CharField(_("ประเภทชุดข้อมูล"), max_length=20, choices=DataType.choices,
                                 default=DataType.STATISTICAL, help_text=_("ประเภทตามมาตรฐานคำอธิบายข้อมูลภาครัฐ"))
    objective = models.CharField(_("วัตถุประสงค์"), max_length=300, blank=True,
                                 help_text=_("เช่น เพื่อการเปิดเผยข้อมูลต่อสาธารณะ"))
    update_frequency_unit = models.CharField(_("หน่วยความถี่ในการปรับปรุง"), max_length=12,
                                             choices=FrequencyUnit.choices, default=FrequencyUnit.YEAR,
                                             help_text=_("ปรับปรุงข้อมูลทุก ๆ กี่ วัน/สัปดาห์/เดือน/ไตรมาส/ปี"))
    update_frequency_interval = models.PositiveSmallIntegerField(
        _("ค่าความถี่ในการปรับปรุง"), default=1, validators=[MinValueValidator(1)],
        help_text=_("จำนวนหน่วยระหว่างการปรับปรุงแต่ละครั้ง"))
    geo_coverage = models.CharField(_("ขอบเขตเชิงภูมิศาสตร์"), max_length=200, blank=True,
                                    help_text=_("เช่น ตำบล อำเภอ จังหวัด"))
    data_source = models.CharField(_("แหล่งที่มา"), max_length=300, blank=True,
                                   help_text=_("หน่วยงานหรือระบบที่เป็นต้นทางของข้อมูล"))
    data_format = models.CharField(_("รูปแบบการเก็บข้อมูล"), max_length=100, blank=True,
                                   help_text=_("เช่น CSV, XLSX, GeoJSON"))
    data_category = models.CharField(_("หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูล"), max_length=12,
                                     choices=Category.choices, default=Category.PUBLIC,
                                     help_text=_("ข้อมูลสาธารณะเท่านั้นที่เผยแพร่ได้"))
    data_classification = models.CharField(_("ชั้นความลับ"), max_length=14, choices=Classification.choices,
                                           default=Classification.OPEN, help_text=_("ระดับชั้นความลับของข้อมูล"))
    license_id = models.CharField(_("สัญญาอนุญาต"), max_length=40, default=DEFAULT_LICENSE,
                                  choices=[(k, v[0]) for k, v in LICENSES.items()],
                                  help_text=_("ค่าเริ่มต้นคือ Open Data Common"))
    accessible_condition = models.CharField(_("เงื่อนไขในการเข้าถึงข้อมูล"), max_length=300, blank=True,
                                            help_text=_("เว้นว่างเมื่อไม่มีเงื่อนไข"))
    data_language = models.CharField(_("ภาษาของข้อมูล"), max_length=20, default="ไทย",
                                     help_text=_("เช่น ไทย หรือ ไทย, อังกฤษ"))
    created_date = models.DateField(_("วันที่สร้างข้อมูล"), null=True, blank=True,
                                    help_text=_("วันที่เริ่มเก็บข้อมูล (พ.ศ.)"))
    last_updated_date = models.DateField(_("วันที่ปรับปรุงข้อมูลล่าสุด"), null=True, blank=True,
                                         help_text=_("วันที่ข้อมูลถูกปรับปรุงครั้งล่าสุด (พ.ศ.)"))
    allow_harvest = models.BooleanField(_("อนุญาตให้ระบบบัญชีข้อมูลภาครัฐรวบรวม"), default=True,
                                        help_text=_("ให้ระบบกลางดึงคำอธิบายชุดข้อมูลนี้ได้"))
    maintainer = models.CharField(_("ผู้ติดต่อ"), max_length=200, blank=True,
                                  help_text=_("ชื่อหน่วยงานหรือเจ้าหน้าที่ที่ดูแลชุดข้อมูล"))
    maintainer_email = models.EmailField(_("อีเมลผู้ติดต่อ"), blank=True,
                                         help_text=_("ได้รับแจ้งเตือนเมื่อชุดข้อมูลไม่ได้ปรับปรุงตามกำหนด"))
    telephone_number = models.CharField(_("เบอร์โทรศัพท์ผู้ติดต่อ"), max_length=50, blank=True,
                                        help_text=_("เบอร์ติดต่อผู้ดูแลชุดข้อมูล"))
    groups = models.ManyToManyField(Group, blank=True, related_name="datasets", verbose_name=_("หมวดหมู่"),
                                    help_text=_("หมวดหมู่ของชุดข้อมูล"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets", verbose_name=_("คำสำคัญ"),
                                  help_text=_("คำสำคัญสำหรับค้นหา"))
    metadata_created = models.DateTimeField(_("สร้างคำอธิบายเมื่อ"), default=timezone.now, editable=False,
                                            help_text=_("เวลาที่สร้างชุดข้อมูลในระบบ"))
    metadata_modified = models.DateTimeField(_("แก้ไขคำอธิบายเมื่อ"), default=timezone.now, editable=False,
                                             help_text=_("เวลาที่แก้ไขชุดข้อมูลหรือทรัพยากรครั้งล่าสุด"))
    stale_notified_at = models.DateTimeField(_("แจ้งเตือนข้อมูลล้าสมัยเมื่อ"), null=True, blank=True,
                                             editable=False, help_text=_("เวลาที่แจ้งผู้ดูแลครั้งล่าสุด"))
    download_count = models.PositiveIntegerField(_("จำนวนดาวน์โหลด"), default=0, editable=False,
                                                 help_text=_("นับทุกทรัพยากรของชุดข้อมูล"))
    search_text = models.TextField(editable=False, blank=True, default="",
                                   verbose_name=_("คำสำหรับค้นหา"),
                                   help_text=_("คำที่ตัดแล้วของชื่อ รายละเอียด และคำสำคัญ"))

    objects = DatasetQuerySet.as_manager()

    class Meta:
        verbose_name = _("ชุดข้อมูล")
        verbose_name_plural = _("ชุดข้อมูล")
        ordering = ["-metadata_modified"]
        indexes = [
            models.Index(fields=["state", "-metadata_modified"], name="od_ds_state_mod"),
            models.Index(fields=["organization", "state"], name="od_ds_org_state"),
            models.Index(fields=["state", "title"], name="od_ds_state_title"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "feed_name"], condition=~models.Q(feed_name=""),
                                    name="od_ds_one_per_feed"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # Relabelling a published dataset as restricted (personal data, internal, secret) is refused: unpublish
        # first. The rule itself lives in workflow.check_publishable.
        if self.state == self.State.PUBLISHED:
            from .workflow import check_publishable

            check_publishable(self)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("opendata:dataset", args=[self.organization.slug, self.name])

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED

    @property
    def license_title(self):
        return LICENSES.get(self.license_id, (self.license_id, "", False))[0]

    @property
    def license_url(self):
        return LICENSES.get(self.license_id, ("", "", False))[1]

    @property
    def isopen(self):
        return LICENSES.get(self.license_id, ("", "", False))[2]

    def update_period(self) -> dt.timedelta | None:
        days = {"day": 1, "week": 7, "month": 31, "quarter": 92, "year": 366}.get(self.update_frequency_unit)
        return dt.timedelta(days=days * self.update_frequency_interval) if days else None

    def is_stale(self, now=None) -> bool:
        """Past its declared update frequency (with the data's last update, or the metadata's)."""
        period = self.update_period()
        if period is None:
            return False
        now = now or timezone.now()
        if self.last_updated_date:
            last = dt.datetime.combine(self.last_updated_date, dt.time.max, tzinfo=now.tzinfo)
        else:
            last = self.metadata_modified
        return last + period < now


class IntegerListField(models.Field):
    """A list of integers: an `integer[]` column on PostgreSQL (it can sit in an index and be unnested in SQL), JSON
    text on other databases (read there with json_each)."""

    description = "List of integers"

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        import json

        return json.loads(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        import json

        return json.loads(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        value = [int(v) for v in value]
        if connection.vendor == "postgresql":
            return value
        import json

        return json.dumps(value)


class SearchFacet(models.Model):
    """A facet value a search counts by (organization id, tag, category, resource format, licence, data type),
    numbered so each search word can carry its dataset's facet values as a short list of integers."""

    field = models.CharField(max_length=20)
    value = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("ค่าตัวกรองการค้นหา")
        verbose_name_plural = _("ค่าตัวกรองการค้นหา")
        constraints = [models.UniqueConstraint(fields=["field", "value"], name="od_facet_uniq")]

    def __str__(self):
        return f"{self.field}:{self.value}"


class DatasetTerm(models.Model):
    """One word of a dataset's title, description or tags (Thai split with PyThaiNLP): the search index.

    It carries copies of what a search filters, sorts and counts by (organization, published, last change,
    word in the title, the dataset's facet values as SearchFacet ids), so a query, its count, its page and every
    facet read this table's index alone (on PostgreSQL an index-only scan: the facet ids are INCLUDEd)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=100)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", null=True)
    published = models.BooleanField(default=False)
    modified = models.DateTimeField(null=True)
    in_title = models.BooleanField(default=False)
    facets = IntegerListField(default=list)

    organization_path = "dataset__organization"
    objects = OrganizationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("คำค้นของชุดข้อมูล")
        verbose_name_plural = _("คำค้นของชุดข้อมูล")
        constraints = [models.UniqueConstraint(fields=["term", "dataset"], name="od_term_uniq")]
        indexes = [models.Index(fields=["term", "published", "organization", "modified", "in_title", "dataset"],
                                include=["facets"], name="od_term_search")]

    def __str__(self):
        return self.term


class Resource(AuditTaggedByOrganization, models.Model):
    """A file (uploaded, versioned) or a link in a dataset."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources",
                                verbose_name=_("ชุดข้อมูล"), help_text=_("ชุดข้อมูลที่ทรัพยากรนี้สังกัด"))
    name = models.CharField(_("ชื่อทรัพยากร"), max_length=300, help_text=_("เช่น ข้อมูลปี 2568 (CSV)"))
    description = models.TextField(_("คำอธิบาย"), blank=True, help_text=_("รายละเอียดของไฟล์หรือลิงก์"))
    format = models.CharField(_("รูปแบบ"), max_length=20, blank=True,
                              help_text=_("CSV, XLSX, GeoJSON, JSON, PDF ... ตรวจจากเนื้อไฟล์เมื่ออัปโหลด"))
    url = models.URLField(_("ลิงก์"), max_length=1000, blank=True,
                          help_text=_("สำหรับทรัพยากรที่เป็นลิงก์ภายนอก; เว้นว่างเมื่ออัปโหลดไฟล์"))
    position = models.PositiveSmallIntegerField(_("ลำดับ"), default=0, help_text=_("ลำดับการแสดง"))
    created = models.DateTimeField(_("สร้างเมื่อ"), default=timezone.now, editable=False,
                                   help_text=_("เวลาที่สร้างทรัพยากร"))
    last_modified = models.DateTimeField(_("ปรับปรุงล่าสุด"), default=timezone.now, editable=False,
                                         help_text=_("เวลาของฉบับล่าสุด"))
    download_count = models.PositiveIntegerField(_("จำนวนดาวน์โหลด"), default=0, editable=False,
                                                 help_text=_("จำนวนครั้งที่ดาวน์โหลดทุกฉบับ"))
    datastore_active = models.BooleanField(_("อยู่ในคลังข้อมูลตาราง"), default=False, editable=False,
                                           help_text=_("แถวของไฟล์ถูกโหลดให้ค้นด้วย datastore_search ได้"))
    datastore_fields = models.JSONField(_("คอลัมน์ในคลังข้อมูลตาราง"), default=list, blank=True, editable=False,
                                        help_text=_("ชื่อและชนิดของแต่ละคอลัมน์"))
    datastore_error = models.CharField(_("ข้อผิดพลาดการโหลดตาราง"), max_length=500, blank=True, editable=False,
                                       help_text=_("เหตุที่ไฟล์โหลดเป็นตารางไม่ได้"))
    # Live datasets: the data dictionary of the feed (field, type, unit, description).
    data_dictionary = models.JSONField(_("พจนานุกรมข้อมูล"), default=list, blank=True, editable=False,
                                       help_text=_("ชื่อ ชนิด หน่วย และคำอธิบายของแต่ละคอลัมน์"))

    organization_path = "dataset__organization"
    objects = OrganizationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ทรัพยากร")
        verbose_name_plural = _("ทรัพยากร")
        ordering = ["dataset", "position", "created"]

    def __str__(self):
        return self.name

    @property
    def latest_version(self):
        cached = getattr(self, "_latest_version", None)
        if cached is None:
            cached = self.versions.order_by("-number").first()
            self._latest_version = cached
        return cached

    @property
    def url_type(self):
        return "upload" if not self.url else ""


class ResourceVersion(AuditTaggedByOrganization, models.Model):
    """One uploaded file of a resource. Never changed once written: a new upload is a new version."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("ทรัพยากร"), help_text=_("ทรัพยากรของฉบับนี้"))
    number = models.PositiveIntegerField(_("ฉบับที่"), help_text=_("เริ่มที่ 1 เพิ่มขึ้นทุกครั้งที่อัปโหลด"))
    file = models.FileField(_("ไฟล์"), storage=private_storage, upload_to=private_upload_to("opendata"), max_length=300,
                            help_text=_("เก็บนอกพื้นที่สาธารณะ ดาวน์โหลดผ่านหน้าชุดข้อมูล"))
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255, help_text=_("ชื่อไฟล์ที่อัปโหลด"))
    mimetype = models.CharField(_("ชนิดไฟล์"), max_length=100, help_text=_("ตรวจจากเนื้อไฟล์"))
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"), help_text=_("ขนาดไฟล์"))
    sha256 = models.CharField(_("ค่าแฮช SHA-256"), max_length=64, help_text=_("ใช้ตรวจว่าไฟล์ไม่ถูกแก้"))
    created = models.DateTimeField(_("อัปโหลดเมื่อ"), default=timezone.now, editable=False,
                                   help_text=_("เวลาที่อัปโหลดฉบับนี้"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("ผู้อัปโหลด"),
                                   help_text=_("ว่างเมื่อระบบสร้างเอง"))

    organization_path = "resource__dataset__organization"
    objects = OrganizationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ฉบับของทรัพยากร")
        verbose_name_plural = _("ฉบับของทรัพยากร")
        ordering = ["resource", "-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"], name="od_version_uniq")]

    def __str__(self):
        return f"{self.resource} #{self.number}"


class DatastoreRecord(models.Model):
    """One row of a tabular resource's latest version (CKAN DataStore), queried by datastore_search."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="records")
    row = models.PositiveIntegerField(help_text=_("ลำดับแถว เริ่มที่ 1"), verbose_name=_("แถวที่"))
    data = models.JSONField(verbose_name=_("ข้อมูลในแถว"), help_text=_("ค่าตามชื่อคอลัมน์"))

    organization_path = "resource__dataset__organization"
    objects = OrganizationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("แถวในคลังข้อมูลตาราง")
        verbose_name_plural = _("แถวในคลังข้อมูลตาราง")
        ordering = ["resource", "row"]
        constraints = [models.UniqueConstraint(fields=["resource", "row"], name="od_record_uniq")]

    def __str__(self):
        return f"{self.resource_id} #{self.row}"
