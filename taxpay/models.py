"""Tax payment: per-organization settings, tax years as data, the property register (owners, parcels, buildings,
signboards), bills with their stored computation and correction versions, payments and statement imports."""

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import LanguageField, Organization, OrganizationOwned
from portal.outputs.crypto import SealedCharField
from portal.outputs.files import private_storage, private_upload_to

from . import rules

MONEY = {"max_digits": 16, "decimal_places": 2}


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_verify_code() -> str:
    return secrets.token_urlsafe(16)


class TaxSettings(OrganizationOwned):
    """What a bank needs to route a Thai QR bill payment to this organization."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="tax_settings",
                                        verbose_name=_("องค์กร"), help_text=_("องค์กรที่ใช้การตั้งค่านี้"))
    biller_suffix = models.CharField(
        _("รหัสต่อท้ายเลขผู้รับชำระ"), max_length=2, default="00",
        validators=[RegexValidator(r"^\d{2}$", _("ต้องเป็นตัวเลข 2 หลัก"))],
        help_text=_("ตัวเลข 2 หลักที่ธนาคารกำหนด ต่อท้ายเลขประจำตัวผู้เสียภาษี 13 หลักขององค์กร เป็นรหัสผู้รับชำระ (Biller ID)"))
    payee_name = models.CharField(_("ชื่อผู้รับชำระ"), max_length=25, blank=True,
                                  help_text=_("ชื่อที่แสดงข้าง QR (ไม่เกิน 25 ตัวอักษร); เว้นว่างเพื่อใช้ชื่อองค์กร"))
    callback_secret = SealedCharField(
        _("รหัสลับสำหรับธนาคารแจ้งชำระ"), max_length=100, default=new_secret,
        help_text=_("ใช้ตรวจลายมือชื่อ HMAC-SHA256 ของการแจ้งชำระเงินจากธนาคาร พิมพ์รหัสที่ตกลงกับธนาคาร; "
                    "เปลี่ยนเมื่อสงสัยว่ารั่วไหล"))
    changes_need_approval = models.BooleanField(
        _("การแก้ไขและยกเลิกการรับชำระต้องมีผู้อนุมัติ"), default=False,
        help_text=_("เมื่อเปิด การแก้ไขหรือยกเลิกรายการรับชำระมีผลเมื่อเจ้าหน้าที่การเงินอีกคนหนึ่งอนุมัติแล้วเท่านั้น"))

    class Meta:
        verbose_name = _("การตั้งค่าการรับชำระภาษี")
        verbose_name_plural = _("การตั้งค่าการรับชำระภาษี")

    def __str__(self):
        return str(self.organization)

    @property
    def biller_id(self) -> str:
        return f"{self.organization.tax_id}{self.biller_suffix}"


class TaxYear(OrganizationOwned):
    """One tax year's rules, editable: rates by category and slice, exemptions, relief, dates."""

    organization_related_name = "tax_years"
    year = models.PositiveSmallIntegerField(_("ปีภาษี (พ.ศ.)"), validators=[MinValueValidator(2562)],
                                            help_text=_("ปีภาษีเป็นพุทธศักราช เช่น 2568"))
    schedules = models.JSONField(
        _("อัตราภาษีตามประเภทการใช้ประโยชน์"), default=dict,
        help_text=_("ช่วงมูลค่าและอัตราภาษีของแต่ละประเภท พร้อมมูลค่าที่ได้รับยกเว้น"))
    sign_rates = models.JSONField(_("อัตราภาษีป้าย"), default=dict,
                                  help_text=_("บาทต่อ 500 ตารางเซนติเมตร ตามประเภทป้าย (ข้อความเคลื่อนที่, ข้อความคงที่)"))
    relief_percent = models.DecimalField(
        _("ลดหย่อนภาษี (ร้อยละ)"), max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("ร้อยละที่ลดให้ตามพระราชกฤษฎีกาของปีนั้น; 0 เมื่อไม่มีการลดหย่อน"))
    notice_date = models.DateField(_("วันแจ้งประเมิน"), help_text=_("วันที่ส่งแบบแจ้งการประเมินภาษี"))
    due_date = models.DateField(_("วันครบกำหนดชำระ"), help_text=_("วันสุดท้ายของการชำระภาษีที่ดินฯ หรืองวดแรก"))
    instalment_2_due = models.DateField(_("วันครบกำหนดงวดที่ 2"), null=True, blank=True,
                                        help_text=_("เว้นว่างเมื่อไม่ผ่อนชำระ"))
    instalment_3_due = models.DateField(_("วันครบกำหนดงวดที่ 3"), null=True, blank=True,
                                        help_text=_("เว้นว่างเมื่อไม่ผ่อนชำระ"))
    instalment_threshold = models.DecimalField(_("ยอดภาษีขั้นต่ำที่ผ่อนชำระได้"), default=Decimal("3000"), **MONEY,
                                               help_text=_("ภาษีตั้งแต่จำนวนนี้ขึ้นไปแบ่งชำระเป็นงวดเท่า ๆ กันได้"))
    signboard_due_date = models.DateField(_("วันครบกำหนดชำระภาษีป้าย"),
                                          help_text=_("วันสุดท้ายของการชำระภาษีป้าย"))

    class Meta:
        verbose_name = _("ปีภาษี")
        verbose_name_plural = _("ปีภาษี")
        ordering = ["organization", "-year"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="taxpay_uniq_tax_year")]

    def __str__(self):
        return f"{self.year}"

    def clean(self):
        try:
            for use, data in (self.schedules or {}).items():
                if use not in rules.Use.ALL:
                    raise ValueError(use)
                schedule = rules.Schedule.from_data(data)
                ceiling = rules.CEILING_PERCENT[use]
                if any(piece.rate_percent > ceiling for piece in schedule.slices):
                    raise ValidationError({"schedules": _("อัตราภาษีเกินอัตราเพดานตามพระราชบัญญัติ (%(use)s ไม่เกินร้อยละ %(c)s)")
                                           % {"use": use, "c": ceiling}})
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise ValidationError({"schedules": _("รูปแบบอัตราภาษีไม่ถูกต้อง")}) from exc

    def schedule(self, use: str) -> rules.Schedule:
        """The year's table for `use` (read once per instance: an assessment run asks for it per owner)."""
        cache = self.__dict__.setdefault("_schedule_cache", {})
        if use not in cache:
            data = (self.schedules or {}).get(use)
            cache[use] = rules.Schedule.from_data(data) if data else rules.SCHEDULES_2568[use]
        return cache[use]

    def sign_rate_table(self) -> dict:
        if not self.sign_rates:
            return rules.SIGN_RATES_2564
        return {kind: (Decimal(pair[0]), Decimal(pair[1])) for kind, pair in self.sign_rates.items()}

    def instalment_dates(self) -> list[dt.date]:
        dates = [self.due_date]
        if self.instalment_2_due and self.instalment_3_due:
            dates += [self.instalment_2_due, self.instalment_3_due]
        return dates


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


class Counter(OrganizationOwned):
    """Running numbers per organization, year and series (bills, receipts)."""

    series = models.CharField(_("ชุดเลข"), max_length=4, help_text=_("LB ภาษีที่ดินฯ, SB ภาษีป้าย, RC ใบเสร็จ"))
    year = models.PositiveSmallIntegerField(_("ปี (พ.ศ.)"), help_text=_("ปีของเลขลำดับ"))
    last = models.PositiveIntegerField(_("เลขล่าสุด"), default=0, help_text=_("เลขลำดับที่ใช้ไปล่าสุด"))

    class Meta:
        verbose_name = _("เลขลำดับเอกสาร")
        verbose_name_plural = _("เลขลำดับเอกสาร")
        constraints = [models.UniqueConstraint(fields=["organization", "series", "year"], name="taxpay_uniq_counter")]

    def __str__(self):
        return f"{self.series}{self.year}:{self.last}"


class TaxType(models.TextChoices):
    LAND_BUILDING = "land_building", _("ภาษีที่ดินและสิ่งปลูกสร้าง")
    SIGNBOARD = "signboard", _("ภาษีป้าย")


class Bill(OrganizationOwned):
    """An issued bill is never edited: a correction is a new version under the same number pointing to the old
    one, which becomes superseded."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("ฉบับปัจจุบัน")
        SUPERSEDED = "superseded", _("ถูกแก้ไขโดยฉบับใหม่")

    organization_related_name = "tax_bills"
    number = models.CharField(_("เลขที่ใบแจ้ง"), max_length=20, validators=[RegexValidator(r"^[A-Z0-9]{1,20}$")],
                              help_text=_("เลขที่ใบแจ้งการประเมิน ใช้เป็นเลขอ้างอิง 1 ของ QR"))
    version = models.PositiveSmallIntegerField(_("ฉบับที่"), default=1, help_text=_("ฉบับแก้ไขของใบแจ้งเลขนี้"))
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="correction", verbose_name=_("แก้ไขจากฉบับ"),
                                    help_text=_("ใบแจ้งฉบับก่อนหน้าที่ฉบับนี้แก้ไข"))
    status = models.CharField(_("สถานะ"), max_length=12, choices=Status.choices, default=Status.ISSUED,
                              help_text=_("ฉบับที่ถูกแก้ไขแล้วไม่ใช้เรียกเก็บ"))
    year = models.PositiveSmallIntegerField(_("ปีภาษี (พ.ศ.)"), help_text=_("ปีภาษีของใบแจ้ง"))
    tax_type = models.CharField(_("ประเภทภาษี"), max_length=16, choices=TaxType.choices,
                                help_text=_("ภาษีที่ดินและสิ่งปลูกสร้าง หรือภาษีป้าย"))
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="bills", verbose_name=_("ผู้เสียภาษี"),
                              help_text=_("ผู้มีหน้าที่เสียภาษี"))
    amount = models.DecimalField(_("ภาษีที่ต้องชำระ (บาท)"), **MONEY, help_text=_("ภาษีทั้งปีหลังลดหย่อน"))
    computation = models.JSONField(_("การคำนวณ"), default=dict,
                                   help_text=_("รายการทรัพย์สิน มูลค่า และการคำนวณทีละขั้นที่ใช้ออกใบแจ้งนี้"))
    instalments = models.JSONField(_("งวดชำระ"), default=list,
                                   help_text=_("รายการงวด: วันครบกำหนดและจำนวนเงินของแต่ละงวด"))
    due_date = models.DateField(_("วันครบกำหนดชำระ"), help_text=_("วันครบกำหนดของงวดสุดท้าย หรือของการชำระครั้งเดียว"))
    reason = models.CharField(_("เหตุผลการแก้ไข"), max_length=300, blank=True,
                              help_text=_("บันทึกเหตุผลเมื่อออกฉบับแก้ไข"))
    warning_sent_on = models.DateField(_("วันส่งหนังสือเตือน"), null=True, blank=True,
                                       help_text=_("วันที่ส่งหนังสือแจ้งเตือนให้ชำระภาษีค้าง"))
    warning_deadline = models.DateField(_("กำหนดชำระตามหนังสือเตือน"), null=True, blank=True,
                                        help_text=_("วันสุดท้ายที่ชำระตามหนังสือเตือน"))
    issued_at = models.DateTimeField(_("ออกเมื่อ"), auto_now_add=True, help_text=_("เวลาที่ออกใบแจ้ง"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("ผู้ออก"), help_text=_("เจ้าหน้าที่ผู้ออกใบแจ้ง"))

    class Meta:
        verbose_name = _("ใบแจ้งการประเมินภาษี")
        verbose_name_plural = _("ใบแจ้งการประเมินภาษี")
        ordering = ["-year", "number", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number", "version"], name="taxpay_uniq_bill_version"),
            models.UniqueConstraint(fields=["organization", "number"], condition=models.Q(status="issued"),
                                    name="taxpay_one_current_bill"),
        ]
        indexes = [models.Index(fields=["organization", "year", "tax_type"], name="taxpay_bill_year")]

    def __str__(self):
        return f"{self.number}" + (f" ({self.version})" if self.version > 1 else "")

    def instalment_list(self) -> list[tuple[int, dt.date, Decimal]]:
        return [(int(i["n"]), dt.date.fromisoformat(i["due"]), Decimal(i["amount"])) for i in self.instalments]


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
