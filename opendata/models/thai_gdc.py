"""thai-gdc's vocabulary: its licences, its choice lists (the schema's own Thai values) and the field that
holds several of them, and how long each update frequency lasts."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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

    class DataCollect(models.TextChoices):  # the smallest unit the data is collected by
        NONE = "ไม่มี", _("ไม่มี")
        PERSON = "บุคคล", _("บุคคล")
        HOUSEHOLD = "ครัวเรือน/ครอบครัว", _("ครัวเรือน/ครอบครัว")
        HOUSE = "บ้าน/ที่อยู่อาศัย", _("บ้าน/ที่อยู่อาศัย")
        BUSINESS = "บริษัท/ห้างร้าน/สถานประกอบการ", _("บริษัท/ห้างร้าน/สถานประกอบการ")
        BUILDING = "อาคาร/สิ่งปลูกสร้าง", _("อาคาร/สิ่งปลูกสร้าง")
        FARMLAND = "พื้นที่การเกษตร ประมง ป่าไม้", _("พื้นที่การเกษตร ประมง ป่าไม้")
        LIVING_THINGS = "สัตว์และพันธุ์พืช", _("สัตว์และพันธุ์พืช")
        AREA = "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", _("ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่")
        WATER = "แหล่งน้ำ เช่น แม่น้ำ อ่างเก็บน้ำ", _("แหล่งน้ำ เช่น แม่น้ำ อ่างเก็บน้ำ")
        ROUTE = "เส้นทางการเดินทาง เช่น ถนน ทางรถไฟ", _("เส้นทางการเดินทาง เช่น ถนน ทางรถไฟ")
        UNKNOWN = "ไม่ทราบ", _("ไม่ทราบ")
        OTHER = "อื่นๆ", _("อื่นๆ")


# package_show's top-level thai-gdc keys besides the core CKAN ones (ckan.package_dict): choice fields hold the
# schema's Thai values, the several-allowed ones (objective, data_format, data_language) are lists, the years of a
# statistical dataset are the text of the Buddhist-era year ("2567") as thai-gdc stores them, "" when not given.
API_KEYS = ("data_type", "data_type_other", "objective", "objective_other", "update_frequency_unit",
            "update_frequency_unit_other", "update_frequency_interval", "geo_coverage", "geo_coverage_other",
            "data_source", "data_format", "data_format_other", "data_category", "data_classification",
            "license_id_other", "accessible_condition", "data_language", "data_language_other", "data_support",
            "data_support_other", "data_collect", "data_collect_other", "first_year_of_data", "last_year_of_data",
            "disaggregate", "unit_of_measure", "unit_of_multiplier", "calculation_method", "standard",
            "telephone_number")
YEAR_KEYS = ("first_year_of_data", "last_year_of_data")


def api_values(dataset) -> dict:
    values = {key: getattr(dataset, key) for key in API_KEYS}
    for key in YEAR_KEYS:
        values[key] = str(values[key]) if values[key] else ""
    return values


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
        name, _path, args, kwargs = super().deconstruct()
        kwargs["values"] = self.values
        return name, "opendata.models.ChoiceListField", args, kwargs  # the path the migrations import

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
