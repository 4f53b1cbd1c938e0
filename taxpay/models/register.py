"""The property register: owners, parcels with their use by part, buildings, signboards."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import LanguageField, OrganizationOwned
from taxpay import rules

from .years import MONEY


class OwnerKind(models.TextChoices):
    INDIVIDUAL = rules.OwnerKind.INDIVIDUAL, _("บุคคลธรรมดา")
    JURISTIC = rules.OwnerKind.JURISTIC, _("นิติบุคคล")


class Use(models.TextChoices):
    AGRICULTURE = rules.Use.AGRICULTURE, _("เกษตรกรรม")
    MAIN_HOME = rules.Use.MAIN_HOME, _("บ้านหลังหลัก (เจ้าของที่ดินและบ้าน)")
    MAIN_HOME_BUILDING_ONLY = rules.Use.MAIN_HOME_BUILDING_ONLY, _("บ้านหลังหลัก (เจ้าของเฉพาะบ้าน)")
    RESIDENTIAL_OTHER = rules.Use.RESIDENTIAL_OTHER, _("อยู่อาศัยอื่น")
    COMMERCIAL = rules.Use.COMMERCIAL, _("อื่น ๆ (พาณิชยกรรม)")
    VACANT = rules.Use.VACANT, _("ที่รกร้างว่างเปล่า")


class SignKind(models.TextChoices):
    THAI_ONLY = rules.SignKind.THAI_ONLY, _("อักษรไทยล้วน")
    THAI_MIXED = rules.SignKind.THAI_MIXED, _("อักษรไทยปนอักษรต่างประเทศหรือภาพ")
    FOREIGN = rules.SignKind.FOREIGN, _("ไม่มีอักษรไทย หรืออักษรไทยอยู่ต่ำกว่าอักษรต่างประเทศ")


class Owner(OrganizationOwned):
    """A taxpayer. The citizen / tax ID is never stored in clear: a keyed hash to find it and a masked form to show."""

    organization_related_name = "tax_owners"
    kind = models.CharField(_("ประเภทเจ้าของ"), max_length=12, choices=OwnerKind.choices,
                            default=OwnerKind.INDIVIDUAL, help_text=_("บุคคลธรรมดาหรือนิติบุคคล"))
    name = models.CharField(_("ชื่อ"), max_length=200, help_text=_("ชื่อ-สกุล หรือชื่อนิติบุคคล"))
    id_hash = models.CharField(_("รหัสค้นหาเลขประจำตัว"), max_length=64, db_index=True, editable=False,
                               help_text=_("ค่าแฮชแบบมีกุญแจของเลขประจำตัว 13 หลัก ใช้ค้นหาโดยไม่เก็บเลขจริง"))
    id_masked = models.CharField(_("เลขประจำตัว (ปิดบัง)"), max_length=20, editable=False,
                                 help_text=_("เลขประจำตัวที่แสดงเฉพาะบางหลัก"))
    id_last4_hash = models.CharField(_("รหัสตรวจสี่หลักท้าย"), max_length=64, editable=False,
                                     help_text=_("ค่าแฮชของเลขสี่หลักท้าย ใช้ยืนยันตัวเมื่อค้นหาใบแจ้งภาษี"))
    address = models.TextField(_("ที่อยู่"), blank=True, help_text=_("ที่อยู่สำหรับส่งใบแจ้งการประเมิน"))
    contact_email = models.EmailField(_("อีเมลติดต่อ"), blank=True,
                                      help_text=_("ใช้แจ้งเตือนครบกำหนดชำระและการรับชำระ เมื่อเจ้าของให้ไว้"))
    contact_phone = models.CharField(_("โทรศัพท์มือถือ"), max_length=20, blank=True,
                                     help_text=_("ใช้ส่ง SMS แจ้งเตือน เมื่อเจ้าของให้ไว้"))
    contact_language = LanguageField(help_text=_("ภาษาที่เจ้าของต้องการรับการแจ้งเตือนทาง SMS และอีเมล"))

    class Meta:
        verbose_name = _("เจ้าของทรัพย์สิน")
        verbose_name_plural = _("เจ้าของทรัพย์สิน")
        ordering = ["organization", "name"]
        indexes = [models.Index(fields=["organization", "id_hash"], name="taxpay_owner_id")]

    def __str__(self):
        return f"{self.name} ({self.id_masked})"

    def set_id(self, number: str) -> None:
        from portal.thai import mask_id, normalize_id, personal_id_hash

        digits = normalize_id(number)
        self.id_hash = personal_id_hash(digits)
        self.id_masked = mask_id(digits)
        self.id_last4_hash = personal_id_hash("last4:" + digits[-4:]) if len(digits) >= 4 else ""


class DeedType(models.TextChoices):
    CHANOTE = "chanote", _("โฉนดที่ดิน")
    NS3K = "ns3k", _("น.ส.3 ก.")
    NS3 = "ns3", _("น.ส.3")
    SPK = "spk", _("ส.ป.ก.")
    OTHER = "other", _("อื่น ๆ")


class Parcel(OrganizationOwned):
    organization_related_name = "tax_parcels"
    code = models.CharField(_("รหัสแปลง"), max_length=30,
                            help_text=_("รหัสแปลงในแผนที่ภาษี เช่น 01A001/001 ไม่ซ้ำกันในองค์กร"))
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="parcels", verbose_name=_("เจ้าของ"),
                              help_text=_("เจ้าของที่ดิน"))
    deed_type = models.CharField(_("ประเภทเอกสารสิทธิ์"), max_length=10, choices=DeedType.choices,
                                 default=DeedType.CHANOTE, help_text=_("ชนิดของเอกสารสิทธิ์ในที่ดิน"))
    deed_number = models.CharField(_("เลขที่เอกสารสิทธิ์"), max_length=30, help_text=_("เลขที่โฉนดหรือเอกสารสิทธิ์"))
    location = models.CharField(_("ที่ตั้ง"), max_length=200, blank=True, help_text=_("หมู่ที่ ถนน หรือจุดสังเกต"))
    latitude = models.DecimalField(_("ละติจูด"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   help_text=_("พิกัดจุดกลางแปลง"))
    longitude = models.DecimalField(_("ลองจิจูด"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    help_text=_("พิกัดจุดกลางแปลง"))
    boundary = models.JSONField(_("รูปแปลง"), null=True, blank=True,
                                help_text=_("รูปหลายเหลี่ยมแบบ GeoJSON (พิกัดลองจิจูด, ละติจูด) ถ้ามี"))
    area_rai = models.PositiveIntegerField(_("ไร่"), default=0, help_text=_("เนื้อที่ส่วนที่เป็นไร่"))
    area_ngan = models.PositiveSmallIntegerField(_("งาน"), default=0, validators=[MaxValueValidator(3)],
                                                 help_text=_("เนื้อที่ส่วนที่เป็นงาน (0-3)"))
    area_wa = models.DecimalField(_("ตารางวา"), max_digits=6, decimal_places=2, default=Decimal("0"),
                                  validators=[MinValueValidator(0), MaxValueValidator(Decimal("99.99"))],
                                  help_text=_("เนื้อที่ส่วนที่เป็นตารางวา (น้อยกว่า 100)"))
    value_per_wa = models.DecimalField(_("ราคาประเมินต่อตารางวา (บาท)"), **MONEY, validators=[MinValueValidator(0)],
                                       help_text=_("ราคาประเมินทุนทรัพย์ของที่ดินต่อตารางวาตามบัญชีของกรมธนารักษ์"))
    use = models.CharField(_("การใช้ประโยชน์"), max_length=30, choices=Use.choices,
                           help_text=_("ประเภทการใช้ประโยชน์ของแปลงตามพระราชบัญญัติ"))
    vacant_idle_years = models.PositiveSmallIntegerField(_("ทิ้งร้างมาแล้ว (ปี)"), default=0,
                                                         help_text=_("สำหรับที่รกร้างว่างเปล่า: จำนวนปีที่ไม่ได้ทำประโยชน์ติดต่อกัน"))

    class Meta:
        verbose_name = _("แปลงที่ดิน")
        verbose_name_plural = _("แปลงที่ดิน")
        ordering = ["organization", "code"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="taxpay_uniq_parcel_code")]

    def __str__(self):
        return f"{self.code} ({self.get_deed_type_display()} {self.deed_number})"

    @property
    def area_sq_wa(self) -> Decimal:
        return Decimal(self.area_rai) * 400 + Decimal(self.area_ngan) * 100 + Decimal(self.area_wa)

    @property
    def land_value(self) -> Decimal:
        return rules.to_satang(self.area_sq_wa * self.value_per_wa)

    def clean(self):
        if self.owner_id and self.organization_id and self.owner.organization_id != self.organization_id:
            raise ValidationError({"owner": _("เจ้าของต้องอยู่ในองค์กรเดียวกัน")})


class ParcelUsePart(OrganizationOwned):
    """Use by part: a share of a parcel (its land with its buildings) used in another category than the parcel's
    own `use`, e.g. the ground floor of a shophouse let as a shop while the owner lives upstairs. Each part's
    value (the property's value times its share) is taxed under its own category's slices, added to the owner's
    other property of that category; what the parts leave is taxed under the parcel's `use`."""

    organization_related_name = "tax_parcel_parts"
    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="use_parts",
                               verbose_name=_("แปลงที่ดิน"), help_text=_("แปลงที่ใช้ประโยชน์หลายประเภท"))
    use = models.CharField(_("การใช้ประโยชน์ของส่วนนี้"), max_length=30, choices=Use.choices,
                           help_text=_("ประเภทการใช้ประโยชน์ของส่วนนี้ ต่างจากการใช้ประโยชน์หลักของแปลง"))
    share_percent = models.DecimalField(
        _("สัดส่วน (ร้อยละ)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("สัดส่วนของพื้นที่ที่ใช้ประโยชน์ประเภทนี้ (ที่ดินและสิ่งปลูกสร้างรวมกัน) เป็นร้อยละของทั้งแปลง"))

    class Meta:
        verbose_name = _("การใช้ประโยชน์บางส่วน")
        verbose_name_plural = _("การใช้ประโยชน์บางส่วน")
        ordering = ["parcel", "use"]
        constraints = [models.UniqueConstraint(fields=["parcel", "use"], name="taxpay_uniq_parcel_part_use")]

    def __str__(self):
        return f"{self.get_use_display()} {self.share_percent}%"

    def clean(self):
        if self.parcel_id and self.organization_id and self.parcel.organization_id != self.organization_id:
            raise ValidationError({"parcel": _("แปลงที่ดินต้องอยู่ในองค์กรเดียวกัน")})
        if self.parcel_id and self.use == self.parcel.use:
            raise ValidationError({"use": _("ส่วนนี้ใช้ประโยชน์เหมือนการใช้ประโยชน์หลักของแปลง ไม่ต้องแยกส่วน")})
        if (self.parcel_id and self.use in (Use.MAIN_HOME, Use.MAIN_HOME_BUILDING_ONLY)
                and self.parcel.owner.kind != OwnerKind.INDIVIDUAL):
            raise ValidationError({"use": _("บ้านหลังหลักใช้ได้เฉพาะเจ้าของที่เป็นบุคคลธรรมดา")})


class BuildingType(models.TextChoices):
    HOUSE = "house", _("บ้านเดี่ยว")
    TOWNHOUSE = "townhouse", _("ห้องแถว / ทาวน์เฮาส์")
    SHOPHOUSE = "shophouse", _("ตึกแถว / อาคารพาณิชย์")
    WAREHOUSE = "warehouse", _("โกดัง / โรงงาน")
    OTHER = "other", _("อื่น ๆ")


class Building(OrganizationOwned):
    organization_related_name = "tax_buildings"
    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="buildings",
                               verbose_name=_("แปลงที่ดิน"), help_text=_("แปลงที่สิ่งปลูกสร้างตั้งอยู่"))
    building_type = models.CharField(_("ประเภทสิ่งปลูกสร้าง"), max_length=12, choices=BuildingType.choices,
                                     help_text=_("ประเภทตามบัญชีราคาประเมินสิ่งปลูกสร้าง"))
    area_sqm = models.DecimalField(_("พื้นที่ (ตารางเมตร)"), max_digits=10, decimal_places=2,
                                   validators=[MinValueValidator(0)], help_text=_("พื้นที่ใช้สอยรวม"))
    price_per_sqm = models.DecimalField(_("ราคาประเมินต่อตารางเมตร (บาท)"), **MONEY, validators=[MinValueValidator(0)],
                                        help_text=_("ราคาประเมินสิ่งปลูกสร้างต่อตารางเมตรตามบัญชีของกรมธนารักษ์"))
    age_years = models.PositiveSmallIntegerField(_("อายุ (ปี)"), default=0, help_text=_("อายุของสิ่งปลูกสร้าง"))
    depreciation_percent = models.DecimalField(
        _("ค่าเสื่อม (ร้อยละ)"), max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(Decimal("95"))],
        help_text=_("ร้อยละค่าเสื่อมตามอายุและประเภทสิ่งปลูกสร้าง"))

    class Meta:
        verbose_name = _("สิ่งปลูกสร้าง")
        verbose_name_plural = _("สิ่งปลูกสร้าง")
        ordering = ["parcel", "pk"]

    def __str__(self):
        return f"{self.get_building_type_display()} {self.area_sqm} ตร.ม."

    @property
    def value(self) -> Decimal:
        gross = self.area_sqm * self.price_per_sqm
        return rules.to_satang(gross * (100 - self.depreciation_percent) / 100)

    def clean(self):
        if self.parcel_id and self.organization_id and self.parcel.organization_id != self.organization_id:
            raise ValidationError({"parcel": _("แปลงที่ดินต้องอยู่ในองค์กรเดียวกัน")})


class Signboard(OrganizationOwned):
    organization_related_name = "tax_signboards"
    code = models.CharField(_("รหัสป้าย"), max_length=30, help_text=_("รหัสป้ายในทะเบียน ไม่ซ้ำกันในองค์กร"))
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="signboards", verbose_name=_("เจ้าของ"),
                              help_text=_("เจ้าของป้าย"))
    kind = models.CharField(_("ประเภทป้าย"), max_length=12, choices=SignKind.choices,
                            help_text=_("ตามลักษณะอักษรบนป้าย"))
    changing = models.BooleanField(_("ข้อความเปลี่ยนได้"), default=False,
                                   help_text=_("ป้ายที่ข้อความ ภาพ หรือเครื่องหมายเคลื่อนที่หรือเปลี่ยนได้"))
    width_cm = models.DecimalField(_("ความกว้าง (ซม.)"), max_digits=8, decimal_places=1,
                                   validators=[MinValueValidator(Decimal("0.1"))], help_text=_("ส่วนที่กว้างที่สุด"))
    height_cm = models.DecimalField(_("ความยาว (ซม.)"), max_digits=8, decimal_places=1,
                                    validators=[MinValueValidator(Decimal("0.1"))], help_text=_("ส่วนที่ยาวที่สุด"))
    text = models.CharField(_("ข้อความบนป้าย"), max_length=200, blank=True, help_text=_("ข้อความโดยย่อ"))
    installed_on = models.DateField(
        _("วันที่ติดตั้ง"), null=True, blank=True,
        help_text=_("ป้ายที่ติดตั้งระหว่างปีเสียภาษีปีแรกตามไตรมาสที่ติดตั้ง (ร้อยละ 100, 75, 50, 25); "
                    "เว้นว่างเมื่อติดตั้งก่อนปีภาษี"))
    filed_on = models.DateField(
        _("วันที่ยื่นแบบ ภ.ป.1"), null=True, blank=True,
        help_text=_("ยื่นหลังสิ้นเดือนมีนาคม (ป้ายใหม่: หลัง 15 วันนับแต่วันติดตั้ง) เสียเงินเพิ่มร้อยละ 10"))
    location = models.CharField(_("ที่ตั้งป้าย"), max_length=200, blank=True, help_text=_("ที่ติดตั้งป้าย"))
    latitude = models.DecimalField(_("ละติจูด"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   help_text=_("พิกัดของป้าย"))
    longitude = models.DecimalField(_("ลองจิจูด"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    help_text=_("พิกัดของป้าย"))

    class Meta:
        verbose_name = _("ป้าย")
        verbose_name_plural = _("ป้าย")
        ordering = ["organization", "code"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="taxpay_uniq_sign_code")]

    def __str__(self):
        return self.code

    def clean(self):
        if self.owner_id and self.organization_id and self.owner.organization_id != self.organization_id:
            raise ValidationError({"owner": _("เจ้าของต้องอยู่ในองค์กรเดียวกัน")})
