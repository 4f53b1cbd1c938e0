"""The catalogue: datasets with their thai-gdc metadata, categories (CKAN groups), tags, and an organization's
consent to the national catalogue harvesting it."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access.tenancy import OrganizationScopedQuerySet
from portal.models import Organization, OrganizationOwned
from portal.thai import localized

from .. import workflow
from .thai_gdc import DEFAULT_LICENSE, LICENSES, UPDATE_DAYS, ChoiceListField, ThaiGdc, thai_language

# Years are Buddhist era, as everywhere in the portal (innovation_plans.models.YEAR_VALIDATORS)
YEAR_VALIDATORS = [MinValueValidator(2400), MaxValueValidator(2700)]


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
        return localized(self, "title")


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
        """Published by an organization that is active (a deactivated one keeps its rows, unlisted). What the
        public sees also leaves out organizations that switched open data off: opendata.selectors.public_datasets."""
        return self.filter(state=Dataset.State.PUBLISHED, organization__is_active=True)


class Dataset(OrganizationOwned):
    """A dataset (CKAN package). The thai-gdc fields are served as top-level keys of package_show."""

    State = workflow.State  # the states and their transitions: opendata.workflow

    DataType = ThaiGdc.DataType
    FrequencyUnit = ThaiGdc.FrequencyUnit
    Category = ThaiGdc.Category
    Classification = ThaiGdc.Classification

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization_related_name = "datasets"
    name = models.SlugField(_("ชื่อใน URL"), max_length=100, unique=True,
                            help_text=_("ไม่ซ้ำทั้งระบบ อักษรอังกฤษตัวเล็ก ตัวเลข และขีด เช่น khamyai-budget-2568"))
    title = models.CharField(_("ชื่อชุดข้อมูล"), max_length=300, help_text=_("ชื่อที่ผู้ใช้เห็น"))
    notes = models.TextField(_("รายละเอียด"), blank=True, help_text=_("คำอธิบายชุดข้อมูล"))
    state = models.CharField(_("สถานะการเผยแพร่"), max_length=12, choices=State.choices, default=State.DRAFT,
                             help_text=_("ฉบับร่างไม่แสดงต่อสาธารณะ"))
    feed_name = models.CharField(_("ชุดข้อมูลอัตโนมัติ"), max_length=100, blank=True, editable=False,
                                 help_text=_("ชื่อแหล่งข้อมูลของระบบที่ปรับปรุงชุดข้อมูลนี้โดยอัตโนมัติ"))
    # thai-gdc metadata
    data_type = models.CharField(_("ประเภทชุดข้อมูล"), max_length=40, choices=ThaiGdc.DataType.choices,
                                 default=ThaiGdc.DataType.STATISTICAL,
                                 help_text=_("ประเภทตามมาตรฐานคำอธิบายข้อมูลภาครัฐ"))
    data_type_other = models.CharField(_("ประเภทชุดข้อมูลอื่นๆ"), max_length=200, blank=True,
                                       help_text=_("ระบุเมื่อเลือก “ข้อมูลประเภทอื่นๆ”"))
    objective = ChoiceListField(_("วัตถุประสงค์"), values=ThaiGdc.Objective,
                                help_text=_("เลือกได้หลายข้อ ต้องมีอย่างน้อยหนึ่งข้อเมื่อเผยแพร่"))
    objective_other = models.CharField(_("วัตถุประสงค์อื่นๆ"), max_length=300, blank=True,
                                       help_text=_("ระบุเมื่อเลือก “อื่นๆ”"))
    update_frequency_unit = models.CharField(_("หน่วยความถี่ในการปรับปรุง"), max_length=50,
                                             choices=ThaiGdc.FrequencyUnit.choices, default=ThaiGdc.FrequencyUnit.YEAR,
                                             help_text=_("ปรับปรุงข้อมูลทุก ๆ กี่ วัน/สัปดาห์/เดือน/ไตรมาส/ปี"))
    update_frequency_interval = models.PositiveSmallIntegerField(
        _("ค่าความถี่ในการปรับปรุง"), default=1, validators=[MinValueValidator(1)],
        help_text=_("จำนวนหน่วยระหว่างการปรับปรุงแต่ละครั้ง"))
    update_frequency_unit_other = models.CharField(_("หน่วยความถี่ในการปรับปรุงอื่นๆ"), max_length=200, blank=True,
                                                   help_text=_("ระบุเมื่อเลือก “อื่นๆ”"))
    geo_coverage = models.CharField(_("ขอบเขตเชิงภูมิศาสตร์"), max_length=40, choices=ThaiGdc.GeoCoverage.choices,
                                    blank=True, help_text=_("ต้องเลือกเมื่อเผยแพร่ เช่น ตำบล หรือ เทศบาล/อบต."))
    geo_coverage_other = models.CharField(_("ขอบเขตเชิงภูมิศาสตร์ (ระบุ)"), max_length=300, blank=True,
                                          help_text=_("ชื่อพื้นที่ เช่น ตำบลคำใหญ่ อำเภอห้วยเม็ก"))
    data_source = models.CharField(_("แหล่งที่มา"), max_length=300, blank=True,
                                   help_text=_("หน่วยงานหรือระบบที่เป็นต้นทางของข้อมูล"))
    data_format = ChoiceListField(_("รูปแบบการเก็บข้อมูล"), values=ThaiGdc.DataFormat,
                                  help_text=_("เลือกได้หลายข้อ ต้องมีอย่างน้อยหนึ่งข้อเมื่อเผยแพร่"))
    data_format_other = models.CharField(_("รูปแบบการเก็บข้อมูลอื่นๆ"), max_length=200, blank=True,
                                         help_text=_("ระบุเมื่อเลือก “อื่นๆ”"))
    data_category = models.CharField(_("หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูล"), max_length=40,
                                     choices=ThaiGdc.Category.choices, default=ThaiGdc.Category.PUBLIC,
                                     help_text=_("ข้อมูลสาธารณะเท่านั้นที่เผยแพร่ได้"))
    data_classification = models.CharField(_("ชั้นความลับ"), max_length=40, choices=ThaiGdc.Classification.choices,
                                           default=ThaiGdc.Classification.OPEN,
                                           help_text=_("ระดับชั้นความลับของข้อมูล"))
    license_id = models.CharField(_("สัญญาอนุญาต"), max_length=80, default=DEFAULT_LICENSE,
                                  choices=[(k, v[0]) for k, v in LICENSES.items()],
                                  help_text=_("ค่าเริ่มต้นคือ Open Data Common"))
    license_id_other = models.CharField(_("สัญญาอนุญาตอื่นๆ"), max_length=300, blank=True,
                                        help_text=_("ระบุเมื่อเลือก “อื่นๆ”"))
    accessible_condition = models.CharField(_("เงื่อนไขในการเข้าถึงข้อมูล"), max_length=300, blank=True,
                                            help_text=_("เว้นว่างเมื่อไม่มีเงื่อนไข"))
    data_language = ChoiceListField(_("ภาษาของข้อมูล"), values=ThaiGdc.Language, default=thai_language,
                                    help_text=_("เลือกได้หลายภาษา"))
    data_language_other = models.CharField(_("ภาษาของข้อมูลอื่นๆ"), max_length=200, blank=True,
                                           help_text=_("ระบุเมื่อเลือก “อื่นๆ”"))
    data_support = models.CharField(_("หน่วยงานที่สนับสนุน"), max_length=40, choices=ThaiGdc.Support.choices,
                                    blank=True, help_text=_("ผู้สนับสนุนการจัดทำข้อมูล ถ้ามี"))
    data_support_other = models.CharField(_("หน่วยงานที่สนับสนุนอื่นๆ"), max_length=300, blank=True,
                                          help_text=_("ระบุเมื่อเลือก “อื่นๆ”"))
    data_collect = models.CharField(_("หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล"), max_length=60,
                                    choices=ThaiGdc.DataCollect.choices, blank=True,
                                    help_text=_("เช่น บุคคล หรือ ครัวเรือน; “ไม่มี” เมื่อเป็นข้อมูลสรุปรวม"))
    data_collect_other = models.CharField(_("หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูลอื่นๆ"), max_length=300, blank=True,
                                          help_text=_("ระบุเมื่อเลือก “อื่นๆ”"))
    created_date = models.DateField(_("วันที่สร้างข้อมูล"), null=True, blank=True,
                                    help_text=_("วันที่เริ่มเก็บข้อมูล (พ.ศ.)"))
    last_updated_date = models.DateField(_("วันที่ปรับปรุงข้อมูลล่าสุด"), null=True, blank=True,
                                         help_text=_("วันที่ข้อมูลถูกปรับปรุงครั้งล่าสุด (พ.ศ.)"))
    # thai-gdc's fields for statistical datasets (ข้อมูลสถิติ), all optional
    first_year_of_data = models.PositiveSmallIntegerField(_("ปีข้อมูลที่เริ่มต้นจัดทำ (พ.ศ.)"), null=True, blank=True,
                                                          validators=YEAR_VALIDATORS, help_text=_("เช่น 2560"))
    last_year_of_data = models.PositiveSmallIntegerField(_("ปีข้อมูลล่าสุดที่เผยแพร่ (พ.ศ.)"), null=True, blank=True,
                                                         validators=YEAR_VALIDATORS, help_text=_("เช่น 2567"))
    disaggregate = models.CharField(_("การจัดจำแนก"), max_length=300, blank=True,
                                    help_text=_("ข้อมูลแยกตามอะไร เช่น เพศ กลุ่มอายุ หมู่บ้าน"))
    unit_of_measure = models.CharField(_("หน่วยวัด"), max_length=200, blank=True, help_text=_("เช่น คน เรื่อง บาท"))
    unit_of_multiplier = models.CharField(_("หน่วยตัวคูณ"), max_length=100, blank=True,
                                          help_text=_("เช่น หน่วย พัน ล้าน"))
    calculation_method = models.TextField(_("วิธีการคำนวณ"), blank=True, help_text=_("ตัวเลขในชุดข้อมูลได้มาอย่างไร"))
    standard = models.CharField(_("มาตรฐานการจัดทำข้อมูล"), max_length=300, blank=True,
                                help_text=_("มาตรฐานหรือการจัดจำแนกที่ใช้ ถ้ามี"))
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
            # The few datasets kept from harvesting: every harvester's read excludes them, and without this it
            # scanned the whole table to find none.
            models.Index(fields=["id"], condition=models.Q(allow_harvest=False), name="od_ds_no_harvest"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "feed_name"], condition=~models.Q(feed_name=""),
                                    name="od_ds_one_per_feed"),
            # Never public unless public data: whatever path writes it (a plain save, a bulk update, raw SQL), a
            # published dataset relabelled restricted is refused by the database too (forms say why first).
            models.CheckConstraint(
                condition=~models.Q(state="published")
                | models.Q(data_category="ข้อมูลสาธารณะ", data_classification="เปิดเผย"),
                name="od_ds_published_is_public",
                violation_error_message=_("เผยแพร่ได้เฉพาะข้อมูลสาธารณะชั้น “เปิดเผย” (ยกเลิกการเผยแพร่ก่อนเปลี่ยน)")),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.first_year_of_data and self.last_year_of_data and self.last_year_of_data < self.first_year_of_data:
            raise ValidationError({"last_year_of_data": _("ปีข้อมูลล่าสุดต้องไม่ก่อนปีที่เริ่มต้น")})
        # Relabelling a published dataset as restricted (personal data, internal, secret) is refused: unpublish
        # first. The rule itself lives in workflow.check_publishable.
        if self.state == self.State.PUBLISHED:
            workflow.check_publishable(self)

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
        days = UPDATE_DAYS.get(self.update_frequency_unit)
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


class HarvestConsent(OrganizationOwned):
    """An organization's answer to the national data catalogue (GD-Catalog) harvesting its datasets. No row means
    yes, as thai-gdc's `allow_harvest` defaults to True; "no" keeps every dataset of the organization out of what
    the CKAN API lists for harvesting and out of the DCAT catalogue, whatever each dataset says."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="harvest_consent",
                                        verbose_name=_("องค์กร"), help_text=_("องค์กรที่ให้หรือไม่ให้ความยินยอม"))
    allow_harvest = models.BooleanField(_("อนุญาตให้ระบบบัญชีข้อมูลภาครัฐรวบรวม"), default=True,
                                        help_text=_("ไม่อนุญาต: ไม่มีชุดข้อมูลใดขององค์กรถูกส่งให้ระบบกลาง"))
    changed = models.DateTimeField(_("เปลี่ยนเมื่อ"), auto_now=True, help_text=_("เวลาที่บันทึกความยินยอมล่าสุด"))

    class Meta:
        verbose_name = _("ความยินยอมให้รวบรวมข้อมูล")
        verbose_name_plural = _("ความยินยอมให้รวบรวมข้อมูล")

    def __str__(self):
        return str(self.organization)
