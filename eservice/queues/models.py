"""Queue booking: queues with their opening hours and closures, the day's slots, the ticket counter and bookings."""


from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import (
    Department,
    LanguageField,
    OrganizationOwned,
    OrganizationScoped,
)
from portal.thai import be_display, localized

from ..names import new_token

# --- queues ------------------------------------------------------------------------------------------------

class Queue(OrganizationOwned):
    organization_related_name = "queues"
    code = models.SlugField(_("รหัสคิว"), max_length=40, help_text=_("เช่น finance ใช้ในที่อยู่เว็บและ API"))
    name_th = models.CharField(_("ชื่อคิว (ไทย)"), max_length=200, help_text=_("เช่น งานจัดเก็บรายได้"))
    name_en = models.CharField(_("ชื่อคิว (อังกฤษ)"), max_length=200, blank=True, help_text=_("ไม่บังคับ"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="queues", verbose_name=_("หน่วยงาน"), help_text=_("ส่วนงานที่ให้บริการ"))
    letter = models.CharField(_("อักษรนำบัตรคิว"), max_length=3, default="ก",
                              help_text=_("เช่น ก ในบัตรคิว ก-012"))
    location = models.CharField(_("จุดบริการ"), max_length=200, blank=True, help_text=_("ห้องหรือชั้น"))
    slot_minutes = models.PositiveSmallIntegerField(_("ความยาวช่วงเวลา (นาที)"), default=30,
                                                    validators=[MinValueValidator(5), MaxValueValidator(240)],
                                                    help_text=_("ช่วงเวลาละกี่นาที"))
    places_per_slot = models.PositiveSmallIntegerField(_("จำนวนที่ต่อช่วง"), default=4,
                                                       validators=[MinValueValidator(1), MaxValueValidator(500)],
                                                       help_text=_("รับได้กี่คนต่อช่วงเวลา"))
    booking_window_days = models.PositiveSmallIntegerField(_("จองล่วงหน้าได้ (วันทำการ)"), default=14,
                                                           validators=[MinValueValidator(1), MaxValueValidator(60)],
                                                           help_text=_("จองได้ไม่เกินกี่วันทำการข้างหน้า"))
    lead_time_minutes = models.PositiveIntegerField(_("ต้องจองก่อน (นาที)"), default=60,
                                                    help_text=_("ปิดรับจองช่วงเวลาที่จะเริ่มภายในกี่นาที"))
    counters = models.PositiveSmallIntegerField(_("จำนวนช่องบริการ"), default=1,
                                                validators=[MinValueValidator(1), MaxValueValidator(50)],
                                                help_text=_("จำนวนโต๊ะที่เรียกคิว"))
    is_active = models.BooleanField(_("เปิดจอง"), default=True, help_text=_("ปิดเพื่อหยุดรับจองชั่วคราว"))
    confirm_by_sms = models.BooleanField(
        _("ยืนยันการจองด้วยรหัส SMS"), default=False,
        help_text=_("ผู้จองต้องใส่รหัสที่ส่งไปยังโทรศัพท์ภายในไม่กี่นาที มิฉะนั้นที่ที่กันไว้จะคืนให้ผู้อื่น"))
    # What one person may hold, so that a few phone numbers cannot take a whole day.
    max_per_phone_day = models.PositiveSmallIntegerField(
        _("จองได้ต่อเบอร์ต่อวัน"), default=2, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("จำนวนที่หนึ่งเบอร์โทรศัพท์ถือไว้ได้ในคิวนี้ต่อวัน"))
    max_per_phone_week = models.PositiveSmallIntegerField(
        _("จองได้ต่อเบอร์ต่อสัปดาห์"), default=4, validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("จำนวนที่หนึ่งเบอร์โทรศัพท์ถือไว้ได้ในคิวนี้ต่อสัปดาห์ (จันทร์ถึงอาทิตย์)"))
    max_per_client_day = models.PositiveSmallIntegerField(
        _("จองได้ต่อเครื่องต่อวัน"), default=10, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("จำนวนการจองในคิวนี้ที่ส่งจากที่อยู่เครือข่ายเดียวกันได้ต่อวัน (ผู้ใช้มือถือหลายคนอาจใช้ที่อยู่เดียวกัน)"))

    class Meta:
        verbose_name = _("คิว")
        verbose_name_plural = _("คิว")
        ordering = ["organization", "name_th"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="uniq_eservice_queue_code")]

    def __str__(self):
        return self.name_th

    @property
    def name(self):
        return localized(self)

    def clean(self):
        if self.department_id and self.department.organization_id != self.organization_id:
            raise ValidationError({"department": _("หน่วยงานต้องอยู่ในองค์กรเดียวกัน")})


class OpeningHours(OrganizationScoped):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("จันทร์")
        TUESDAY = 1, _("อังคาร")
        WEDNESDAY = 2, _("พุธ")
        THURSDAY = 3, _("พฤหัสบดี")
        FRIDAY = 4, _("ศุกร์")
        SATURDAY = 5, _("เสาร์")
        SUNDAY = 6, _("อาทิตย์")

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="hours", verbose_name=_("คิว"),
                              help_text=_("คิวที่เปิดช่วงนี้"))
    weekday = models.PositiveSmallIntegerField(_("วัน"), choices=Weekday.choices, help_text=_("วันในสัปดาห์"))
    opens = models.TimeField(_("เปิด"), help_text=_("เวลาเริ่ม"))
    closes = models.TimeField(_("ปิด"), help_text=_("เวลาสิ้นสุด"))

    organization_path = "queue__organization"

    class Meta:
        verbose_name = _("เวลาทำการ")
        verbose_name_plural = _("เวลาทำการ")
        ordering = ["queue", "weekday", "opens"]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("เวลาปิดต้องหลังเวลาเปิด")})


class Closure(OrganizationOwned):
    """A day an office is shut besides weekends and public holidays (one queue, or all when queue is empty)."""

    organization_related_name = "queue_closures"
    queue = models.ForeignKey(Queue, null=True, blank=True, on_delete=models.CASCADE, related_name="closures",
                              verbose_name=_("คิว"), help_text=_("ว่างไว้ถ้าปิดทุกคิว"))
    date = models.DateField(_("วันที่"), help_text=_("วันที่ปิดให้บริการ"))
    reason = models.CharField(_("เหตุผล"), max_length=200, blank=True, help_text=_("เช่น อบรมเจ้าหน้าที่"))

    class Meta:
        verbose_name = _("วันปิดให้บริการ")
        verbose_name_plural = _("วันปิดให้บริการ")
        ordering = ["date"]

    def __str__(self):
        return f"{be_display(self.date)} {self.reason}"

    def clean(self):
        if self.queue_id and self.queue.organization_id != self.organization_id:
            raise ValidationError({"queue": _("คิวต้องอยู่ในองค์กรเดียวกัน")})


class Slot(OrganizationScoped):
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="slots", verbose_name=_("คิว"),
                              help_text=_("คิวของช่วงเวลานี้"))
    date = models.DateField(_("วันที่"), help_text=_("วันที่ของช่วงเวลา"))
    start = models.DateTimeField(_("เริ่ม"), help_text=_("เวลาเริ่ม"))
    end = models.DateTimeField(_("สิ้นสุด"), help_text=_("เวลาสิ้นสุด"))
    capacity = models.PositiveSmallIntegerField(_("จำนวนที่"), help_text=_("รับได้กี่คน"))
    booked = models.PositiveSmallIntegerField(_("จองแล้ว"), default=0, help_text=_("จำนวนที่จองไปแล้ว"))
    is_closed = models.BooleanField(_("ปิด"), default=False, help_text=_("ปิดรับจองช่วงนี้"))

    organization_path = "queue__organization"

    class Meta:
        verbose_name = _("ช่วงเวลา")
        verbose_name_plural = _("ช่วงเวลา")
        ordering = ["queue", "start"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "start"], name="uniq_eservice_slot"),
            models.CheckConstraint(condition=Q(booked__lte=models.F("capacity")), name="eservice_slot_not_overbooked"),
        ]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.queue} {local:%Y-%m-%d %H:%M}"

    @property
    def remaining(self):
        return max(self.capacity - self.booked, 0)


class DayCounter(OrganizationScoped):
    """The last ticket number issued per queue and day: locked while a booking takes the next one."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="+", verbose_name=_("คิว"),
                              help_text=_("คิวของตัวนับ"))
    date = models.DateField(_("วันที่"), help_text=_("วันของตัวนับ"))
    last_number = models.PositiveIntegerField(_("เลขล่าสุด"), default=0, help_text=_("เลขบัตรคิวล่าสุดที่ออก"))

    organization_path = "queue__organization"

    class Meta:
        verbose_name = _("ตัวนับบัตรคิวรายวัน")
        verbose_name_plural = _("ตัวนับบัตรคิวรายวัน")
        constraints = [models.UniqueConstraint(fields=["queue", "date"], name="uniq_eservice_day_counter")]

    def __str__(self):
        return f"{self.queue} {be_display(self.date)} {self.last_number}"


class BookingStatus(models.TextChoices):
    HELD = "held", _("รอยืนยันรหัส SMS")
    BOOKED = "booked", _("จองแล้ว")
    CHECKED_IN = "checked_in", _("มาถึงแล้ว")
    CALLED = "called", _("กำลังเรียก")
    SERVED = "served", _("รับบริการแล้ว")
    NO_SHOW = "no_show", _("ไม่มาตามนัด")
    CANCELLED = "cancelled", _("ยกเลิก")


# A place held for a code (Queue.confirm_by_sms) counts as taken until it is confirmed or released.
ACTIVE_BOOKING = (BookingStatus.HELD, BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.CALLED)


class Booking(OrganizationScoped):
    booked_by = None  # set by services.book: the citizen (by channel) named on the booking's audit row

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("คิว"),
                              help_text=_("คิวที่จอง"))
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("ช่วงเวลา"),
                             help_text=_("ช่วงเวลาที่จอง"))
    date = models.DateField(_("วันที่"), help_text=_("วันที่นัด"))
    number = models.PositiveIntegerField(_("เลขคิว"), help_text=_("เลขรายวันต่อคิว ไม่ข้าม"))
    ticket = models.CharField(_("บัตรคิว"), max_length=12, help_text=_("เช่น ก-012"))
    name = models.CharField(_("ชื่อ"), max_length=200, help_text=_("ชื่อผู้จอง"))
    phone = models.CharField(_("โทรศัพท์"), max_length=20, help_text=_("เบอร์ติดต่อ"),
                             validators=[RegexValidator(r"^0\d{8,9}$", _("เบอร์โทรศัพท์ไม่ถูกต้อง"))])
    citizen_id_hash = models.CharField(_("แฮชเลขประจำตัวประชาชน"), max_length=64, blank=True,
                                       help_text=_("ไม่บังคับ เก็บเฉพาะค่าแฮช"))
    citizen_id_masked = models.CharField(_("เลขประจำตัวประชาชน (ปิดบัง)"), max_length=20, blank=True,
                                         help_text=_("แสดงเพียงบางหลัก"))
    status = models.CharField(_("สถานะ"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED,
                              help_text=_("สถานะของบัตรคิว"))
    token = models.CharField(_("รหัสลับของลิงก์"), max_length=64, unique=True, default=new_token, editable=False,
                             help_text=_("ใช้ในลิงก์ยกเลิก/เลื่อน และ QR เช็กอิน"))
    counter = models.PositiveSmallIntegerField(_("ช่องบริการ"), null=True, blank=True, help_text=_("ช่องที่เรียก"))
    created_at = models.DateTimeField(_("จองเมื่อ"), default=timezone.now, help_text=_("เวลาที่จอง"))
    checked_in_at = models.DateTimeField(_("มาถึงเมื่อ"), null=True, blank=True, help_text=_("เวลาเช็กอิน"))
    called_at = models.DateTimeField(_("เรียกเมื่อ"), null=True, blank=True, help_text=_("เวลาที่เรียกคิว"))
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True, help_text=_("เวลารับบริการเสร็จ"))
    reminder_sent_at = models.DateTimeField(_("เตือนเมื่อ"), null=True, blank=True, help_text=_("เวลาส่งการเตือน"))
    language = LanguageField(help_text=_("ภาษาของหน้าที่ใช้จอง ข้อความยืนยันและการเตือนใช้ภาษานี้"))

    organization_path = "queue__organization"

    class Meta:
        verbose_name = _("การจองคิว")
        verbose_name_plural = _("การจองคิว")
        ordering = ["date", "queue", "number"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "date", "number"], name="uniq_eservice_ticket"),
            models.UniqueConstraint(fields=["slot", "phone"], condition=Q(status__in=list(ACTIVE_BOOKING)),
                                    name="uniq_eservice_booking_phone"),
        ]
        indexes = [
            models.Index(fields=["queue", "date", "status"], name="eservice_booking_day"),
            # What one phone holds in a queue (its day and week limits), read by every booking.
            models.Index(fields=["queue", "phone", "date"], condition=Q(status__in=list(ACTIVE_BOOKING)),
                         name="eservice_booking_phone_held"),
        ]

    def __str__(self):
        return f"{self.ticket} {be_display(self.date)}"

    def get_additional_data(self):
        data = super().get_additional_data()
        if self.booked_by is not None:  # the row auditlog writes for the booking itself, once
            data.update(event="eservice.booking.booked", actor=str(self.booked_by), ticket=self.ticket)
            self.booked_by = None
        return data

    @property
    def is_active(self):
        return self.status in ACTIVE_BOOKING


def ticket_label(letter: str, number: int) -> str:
    return f"{letter}-{number:03d}"
