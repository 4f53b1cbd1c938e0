"""The open-data catalogue: datasets with the thai-gdc metadata, categories (CKAN groups), tags, resources with
immutable file versions, and a datastore holding the rows of tabular resources so they can be queried."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal.access.tenancy import OrganizationScopedQuerySet
from portal.models import AuditTaggedByOrganization, Organization, OrganizationOwned
from portal.outputs.files import private_storage, private_upload_to

# thai-gdc's licence values (ckanext-thai_gdc, schema ckan_dataset.json) -> (title, url, is open). The value is what
# the API serves; "Open Data Common" is the Thai government's default licence.
LICENSES = {
    "Open Data Common": ("Open Data Common", "https://data.go.th/pages/open-data-common", True),
    "Creative Commons Attributions": ("Creative Commons Attribution", "https://creativecommons.org/licenses/by/4.0/",
                                      True),
    "Creative Commons Attribution Non-Commercial": (
        "Creative Commons Attribution Non-Commercial", "https://creativecommons.org/licenses/by-nc/4.0/", False),
    "Creative Commons Attribution Share-Alike": (
        "Creative Commons Attribution Share-Alike", "https://creativecommons.org/licenses/by-sa/4.0/", True),
    "Creative Commons Attribution Non-Commercial Share-Alike": (
        "Creative Commons Attribution Non-Commercial Share-Alike", "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        False),
    "Creative Commons Attribution Non-Commercial No-Derivs": (
        "Creative Commons Attribution Non-Commercial No-Derivs", "https://creativecommons.org/licenses/by-nc-nd/4.0/",
        False),
    "Creative Commons Attribution No-Derivs": (
        "Creative Commons Attribution No-Derivs", "https://creativecommons.org/licenses/by-nd/4.0/", False),
    "อื่นๆ": ("อื่นๆ", "", False),
}
DEFAULT_LICENSE = "Open Data Common"


class ThaiGdc:
    """thai-gdc's choice lists (ckanext-thai_gdc, ckanext-scheming schema ckan_dataset.json). The stored and served
    value is the schema's own Thai string; the label is the same string through gettext, so English pages can show
    an English label while the API and the database keep the Thai value."""

    class DataType(models.TextChoices):
        RECORD = "ข้อมูลระเบียน", _("ข้อมูลระเบียน")
        STATISTICAL = "ข้อมูลสถิติ", _("ข้อมูลสถิติ")
        GEOSPATIAL = "ข้อมูลภูมิสารสนเทศเชิงพื้นที่", _("ข้อมูลภูมิสารสนเทศเชิงพื้นที่")
        MULTIPLE = "ข้อมูลหลากหลายประเภท", _("ข้อมูลหลากหลายประเภท")
        OTHER = "ข้อมูลประเภทอื่นๆ", _("ข้อมูลประเภทอื่นๆ")

    class Objective(models.TextChoices):
        NATIONAL_STRATEGY = "ยุทธศาสตร์ชาติ", _("ยุทธศาสตร์ชาติ")
        DEVELOPMENT_PLAN = "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ", _("แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ")
        SECURITY_PLAN = "แผนความมั่นคงแห่งชาติ", _("แผนความมั่นคงแห่งชาติ")
        MASTER_PLAN = "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ", _("แผนแม่บทภายใต้ยุทธศาสตร์ชาติ")
        REFORM_PLAN = "แผนปฏิรูปประเทศ", _("แผนปฏิรูปประเทศ")
        LEVEL_3_PLAN = "แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)", _("แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)")
        GOVERNMENT_POLICY = "นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี", _("นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี")
        CABINET_RESOLUTION = "มติคณะรัฐมนตรี", _("มติคณะรัฐมนตรี")
        PUBLIC_SERVICE = "เพื่อการให้บริการประชาชน", _("เพื่อการให้บริการประชาชน")
        LAW = "กฎหมายที่เกี่ยวข้อง", _("กฎหมายที่เกี่ยวข้อง")
        MISSION = "พันธกิจหน่วยงาน", _("พันธกิจหน่วยงาน")
        INTERNATIONAL_INDEX = "ดัชนี/ตัวชี้วัดระดับนานาชาติ", _("ดัชนี/ตัวชี้วัดระดับนานาชาติ")
        UNKNOWN = "ไม่ทราบ", _("ไม่ทราบ")
        OTHER = "อื่นๆ", _("อื่นๆ")

    class FrequencyUnit(models.TextChoices):
        UNKNOWN = "ไม่ทราบ", _("ไม่ทราบ")
        YEAR = "ปี", _("ปี")
        HALF_YEAR = "ครึ่งปี", _("ครึ่งปี")
        QUARTER = "ไตรมาส", _("ไตรมาส")
        MONTH = "เดือน", _("เดือน")
        WEEK = "สัปดาห์", _("สัปดาห์")
        DAY = "วัน", _("วัน")
        WORKING_DAY = "วันทำการ", _("วันทำการ")
        HOUR = "ชั่วโมง", _("ชั่วโมง")
        MINUTE = "นาที", _("นาที")
        REAL_TIME = "ตามเวลาจริง", _("ตามเวลาจริง")
        NEVER = "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", _("ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล")
        OTHER = "อื่นๆ", _("อื่นๆ")

    class GeoCoverage(models.TextChoices):
        NONE = "ไม่มี", _("ไม่มี")
        WORLD = "โลก", _("โลก")
        CONTINENT = "ทวีป/กลุ่มประเทศในทวีป", _("ทวีป/กลุ่มประเทศในทวีป")
        ECONOMIC_GROUP = "กลุ่มประเทศทางเศรษฐกิจ", _("กลุ่มประเทศทางเศรษฐกิจ")
        COUNTRY = "ประเทศ", _("ประเทศ")
        REGION = "ภาค", _("ภาค")
        PROVINCE = "จังหวัด", _("จังหวัด")
        DISTRICT = "อำเภอ", _("อำเภอ")
        SUBDISTRICT = "ตำบล", _("ตำบล")
        VILLAGE = "หมู่บ้าน", _("หมู่บ้าน")
        LOCAL_GOVERNMENT = "เทศบาล/อบต.", _("เทศบาล/อบต.")
        COORDINATES = "พิกัด", _("พิกัด")
        UNKNOWN = "ไม่ทราบ", _("ไม่ทราบ")
        OTHER = "อื่นๆ", _("อื่นๆ")

    class DataFormat(models.TextChoices):
        DATABASE = "Database", "Database"
        CSV = "CSV", "CSV"
        XML = "XML", "XML"
        IMAGE = "Image", "Image"
        VIDEO = "Video", "Video"
        AUDIO = "Audio", "Audio"
        TEXT = "Text", "Text"
        JSON = "JSON", "JSON"
        HTML = "HTML", "HTML"
        DOC = "DOC/DOCX", "DOC/DOCX"
        XLS = "XLS", "XLS"
        PDF = "PDF", "PDF"
        RDF = "RDF", "RDF"
        NOSQL = "NoSQL", "NoSQL"
        ARC_INFO = "Arc/Info Coverage", "Arc/Info Coverage"
        SHAPEFILE = "Shapefile", "Shapefile"
        GEOTIFF = "GeoTiff", "GeoTiff"
        GML = "GML", "GML"
        UNKNOWN = "ไม่ทราบ", _("ไม่ทราบ")
        OTHER = "อื่นๆ", _("อื่นๆ")

    class Category(models.TextChoices):
        PUBLIC = "ข้อมูลสาธารณะ", _("ข้อมูลสาธารณะ")
        INTERNAL = "ข้อมูลใช้ภายใน", _("ข้อมูลใช้ภายใน")
        PERSONAL = "ข้อมูลส่วนบุคคล", _("ข้อมูลส่วนบุคคล")
        SECURITY = "ข้อมูลความมั่นคง", _("ข้อมูลความมั่นคง")
        SECRET = "ข้อมูลความลับทางราชการ", _("ข้อมูลความลับทางราชการ")

    class Classification(models.TextChoices):
        OPEN = "เปิดเผย", _("เปิดเผย")
        INTERNAL = "ชั้นเผยแพร่ภายในองค์กร", _("ชั้นเผยแพร่ภายในองค์กร")
        CONFIDENTIAL = "ลับ", _("ลับ")
        SECRET = "ลับมาก", _("ลับมาก")
        TOP_SECRET = "ลับที่สุด", _("ลับที่สุด")

    class Language(models.TextChoices):  # with a context: "ไทย" alone names the interface language
        THAI = "ไทย", pgettext_lazy("ภาษาของข้อมูล", "ไทย")
        ENGLISH = "อังกฤษ", pgettext_lazy("ภาษาของข้อมูล", "อังกฤษ")
        CHINESE = "จีน", pgettext_lazy("ภาษาของข้อมูล", "จีน")
        MALAY = "มลายู", pgettext_lazy("ภาษาของข้อมูล", "มลายู")
        BURMESE = "พม่า", pgettext_lazy("ภาษาของข้อมูล", "พม่า")
        LAO = "ลาว", pgettext_lazy("ภาษาของข้อมูล", "ลาว")
        KHMER = "เขมร", pgettext_lazy("ภาษาของข้อมูล", "เขมร")
        JAPANESE = "ญี่ปุ่น", pgettext_lazy("ภาษาของข้อมูล", "ญี่ปุ่น")
        KOREAN = "เกาหลี", pgettext_lazy("ภาษาของข้อมูล", "เกาหลี")
        FRENCH = "ฝรั่งเศส", pgettext_lazy("ภาษาของข้อมูล", "ฝรั่งเศส")
        GERMAN = "เยอรมัน", pgettext_lazy("ภาษาของข้อมูล", "เยอรมัน")
        ARABIC = "อารบิก", pgettext_lazy("ภาษาของข้อมูล", "อารบิก")
        UNKNOWN = "ไม่ทราบ", pgettext_lazy("ภาษาของข้อมูล", "ไม่ทราบ")
        OTHER = "อื่นๆ", pgettext_lazy("ภาษาของข้อมูล", "อื่นๆ")

    class Support(models.TextChoices):
        NONE = "ไม่มี", _("ไม่มี")
        GOVERNMENT = "หน่วยงานของรัฐ", _("หน่วยงานของรัฐ")
        PRIVATE = "หน่วยงานเอกชน", _("หน่วยงานเอกชน")
        INTERNATIONAL = "หน่วยงาน/องค์กรระหว่างประเทศ", _("หน่วยงาน/องค์กรระหว่างประเทศ")
        FOUNDATION = "มูลนิธิ/สมาคม", _("มูลนิธิ/สมาคม")
        ACADEMIC = "สถาบันการศึกษา", _("สถาบันการศึกษา")
        OTHER = "อื่นๆ", _("อื่นๆ")


def thai_language():
    return [ThaiGdc.Language.THAI.value]


# Days between updates per frequency unit (the longest month, quarter, year); units shorter than a day count as a
# day, a working day as three (a weekend between); unknown, irregular or never: not tracked.
UPDATE_DAYS = {"วัน": 1, "วันทำการ": 3, "ชั่วโมง": 1, "นาที": 1, "ตามเวลาจริง": 1, "สัปดาห์": 7, "เดือน": 31,
               "ไตรมาส": 92, "ครึ่งปี": 184, "ปี": 366}


class ChoiceListField(models.JSONField):
    """A thai-gdc field that allows several values: a JSON list of the schema's values (the API serves the list),
    edited as checkboxes."""

    def __init__(self, *args, values=(), **kwargs):
        # a TextChoices class in the model (labels for the form), its plain values in migrations
        self.labels = dict(values.choices) if hasattr(values, "choices") else {}
        self.values = list(values.values) if hasattr(values, "values") else list(values)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["values"] = self.values
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        from django.core.exceptions import ValidationError

        super().validate(value, model_instance)
        if not isinstance(value, list) or any(v not in self.values for v in value):
            raise ValidationError(_("เลือกได้เฉพาะค่าในรายการ: %(values)s") % {"values": ", ".join(self.values)},
                                  code="invalid_choice")

    def formfield(self, **kwargs):
        from django import forms

        labels = self.labels
        return forms.TypedMultipleChoiceField(
            choices=[(v, labels.get(v, v)) for v in self.values], required=not self.blank, label=self.verbose_name,
            help_text=self.help_text, widget=forms.CheckboxSelectMultiple, **{
                k: v for k, v in kwargs.items() if k in ("initial",)})


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

    DataType = ThaiGdc.DataType
    FrequencyUnit = ThaiGdc.FrequencyUnit
    Category = ThaiGdc.Category
    Classification = ThaiGdc.Classification

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
    geo_coverage = models.CharField(_("ขอบเขตเชิงภูมิศาสตร์"), max_length=40, choices=ThaiGdc.GeoCoverage.choices,
                                    blank=True, help_text=_("ต้องเลือกเมื่อเผยแพร่ เช่น ตำบล หรือ เทศบาล/อบต."))
    geo_coverage_other = models.CharField(_("ขอบเขตเชิงภูมิศาสตร์ (ระบุ)"), max_length=300, blank=True,
                                          help_text=_("ชื่อพื้นที่ เช่น ตำบลคำใหญ่ อำเภอห้วยเม็ก"))
    data_source = models.CharField(_("แหล่งที่มา"), max_length=300, blank=True,
                                   help_text=_("หน่วยงานหรือระบบที่เป็นต้นทางของข้อมูล"))
    data_format = ChoiceListField(_("รูปแบบการเก็บข้อมูล"), values=ThaiGdc.DataFormat,
                                  help_text=_("เลือกได้หลายข้อ ต้องมีอย่างน้อยหนึ่งข้อเมื่อเผยแพร่"))
    data_category = models.CharField(_("หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูล"), max_length=40,
                                     choices=ThaiGdc.Category.choices, default=ThaiGdc.Category.PUBLIC,
                                     help_text=_("ข้อมูลสาธารณะเท่านั้นที่เผยแพร่ได้"))
    data_classification = models.CharField(_("ชั้นความลับ"), max_length=40, choices=ThaiGdc.Classification.choices,
                                           default=ThaiGdc.Classification.OPEN,
                                           help_text=_("ระดับชั้นความลับของข้อมูล"))
    license_id = models.CharField(_("สัญญาอนุญาต"), max_length=80, default=DEFAULT_LICENSE,
                                  choices=[(k, v[0]) for k, v in LICENSES.items()],
                                  help_text=_("ค่าเริ่มต้นคือ Open Data Common"))
    accessible_condition = models.CharField(_("เงื่อนไขในการเข้าถึงข้อมูล"), max_length=300, blank=True,
                                            help_text=_("เว้นว่างเมื่อไม่มีเงื่อนไข"))
    data_language = ChoiceListField(_("ภาษาของข้อมูล"), values=ThaiGdc.Language, default=thai_language,
                                    help_text=_("เลือกได้หลายภาษา"))
    data_support = models.CharField(_("หน่วยงานที่สนับสนุน"), max_length=40, choices=ThaiGdc.Support.choices,
                                    blank=True, help_text=_("ผู้สนับสนุนการจัดทำข้อมูล ถ้ามี"))
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
            # The few datasets kept from harvesting: every harvester's read excludes them, and without this it
            # scanned the whole table to find none.
            models.Index(fields=["id"], condition=models.Q(allow_harvest=False), name="od_ds_no_harvest"),
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
