"""E-service requests (forms the organization defines, versioned) and queue booking (slots, tickets)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import (
    Department,
    LanguageField,
    OrganizationOwned,
    OrganizationScoped,
    Role,
)
from portal.outputs.files import private_storage, private_upload_to
from portal.thai import be_display

from .workflow import Status


def _bilingual(th, en):
    return en if get_language() == "en" and en else th


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- service types and their form definitions ----------------------------------------------------------------

class FieldKind(models.TextChoices):
    """Named as a clerk names them (the form builder's type menu)."""
    TEXT = "text", _("ข้อความสั้น")
    TEXTAREA = "textarea", _("ข้อความยาว")
    NUMBER = "number", _("ตัวเลข")
    DATE = "date", _("วันที่")
    CHOICE = "choice", _("ตัวเลือกเดียว")
    MULTICHOICE = "multichoice", _("หลายตัวเลือก")
    ADDRESS = "address", _("ที่อยู่")
    CITIZEN_ID = "citizen_id", _("เลขประจำตัวประชาชน")
    PHONE = "phone", _("เบอร์โทร")
    EMAIL = "email", _("อีเมล")
    FILE = "file", _("แนบไฟล์")
    POINT = "point", _("ตำแหน่งบนแผนที่")


class ServiceType(OrganizationOwned):
    """A service the organization offers online, with its citizen's manual (Licensing Facilitation Act B.E. 2558)."""

    organization_related_name = "service_types"
    code = models.SlugField(_("รหัสบริการ"), max_length=40,
                            help_text=_("ใช้ในที่อยู่เว็บและเป็น service_code ของ Open311 เช่น tap-water"))
    name_th = models.CharField(_("ชื่อบริการ (ไทย)"), max_length=200, help_text=_("ชื่อที่ประชาชนเห็น"))
    name_en = models.CharField(_("ชื่อบริการ (อังกฤษ)"), max_length=200, blank=True,
                               help_text=_("ชื่อภาษาอังกฤษ ไม่บังคับ"))
    description = models.TextField(_("คำอธิบาย"), blank=True, help_text=_("บริการนี้คืออะไร ใครยื่นได้"))
    keywords = models.CharField(_("คำค้น"), max_length=300, blank=True,
                                help_text=_("คำที่ประชาชนอาจใช้ค้นหา คั่นด้วยเว้นวรรค"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="service_types", verbose_name=_("หน่วยงานที่รับผิดชอบ"),
                                   help_text=_("คำร้องเข้าคิวของหน่วยงานนี้"))
    handling_roles = models.JSONField(_("บทบาทที่ดำเนินการ"), default=list, blank=True,
                                      help_text=_("บทบาทเจ้าหน้าที่ที่พิจารณาคำร้อง เช่น [\"officer\"]"))
    steps = models.TextField(_("ขั้นตอนการให้บริการ"), blank=True, help_text=_("หนึ่งขั้นตอนต่อบรรทัด"))
    processing_days = models.PositiveSmallIntegerField(_("ระยะเวลาดำเนินการ (วันทำการ)"), default=7,
                                                       help_text=_("นับเฉพาะวันทำการ ไม่รวมวันหยุด"))
    fee = models.DecimalField(_("ค่าธรรมเนียม (บาท)"), max_digits=10, decimal_places=2, default=0,
                              help_text=_("0 หมายถึงไม่มีค่าธรรมเนียม"))
    office = models.CharField(_("สถานที่ให้บริการ"), max_length=300, blank=True,
                              help_text=_("ห้องหรือกองที่ติดต่อ เวลาทำการ"))
    legal_basis = models.TextField(_("กฎหมายที่เกี่ยวข้อง"), blank=True, help_text=_("พระราชบัญญัติ ระเบียบ ข้อบัญญัติ"))
    queue = models.ForeignKey("Queue", null=True, blank=True, on_delete=models.SET_NULL, related_name="service_types",
                              verbose_name=_("คิวที่จองได้"), help_text=_("แสดงปุ่มจองคิวในคู่มือ"))
    template_key = models.SlugField(_("แม่แบบต้นทาง"), max_length=40, blank=True,
                                    help_text=_("แม่แบบในแค็ตตาล็อกที่ใช้สร้างบริการนี้"))
    online = models.BooleanField(_("ยื่นออนไลน์ได้"), default=True, help_text=_("แสดงปุ่มยื่นคำร้องออนไลน์"))
    is_public = models.BooleanField(_("เผยแพร่"), default=True,
                                    help_text=_("แสดงในแค็ตตาล็อกและใน Open311"))
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0, help_text=_("น้อยขึ้นก่อน"))
    current_version = models.ForeignKey("FormVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", editable=False, verbose_name=_("ฉบับปัจจุบัน"),
                                        help_text=_("ฉบับของแบบฟอร์มที่ใช้รับคำร้องใหม่"))

    class Meta:
        verbose_name = _("ประเภทบริการ")
        verbose_name_plural = _("ประเภทบริการ")
        ordering = ["organization", "order", "name_th"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="uniq_eservice_type_code")]

    def __str__(self):
        return self.name_th

    @property
    def name(self):
        return _bilingual(self.name_th, self.name_en)

    def step_list(self):
        return [s.strip() for s in self.steps.splitlines() if s.strip()]

    def clean(self):
        bad = [r for r in (self.handling_roles or []) if r not in Role.values]
        if not isinstance(self.handling_roles, list) or bad:
            raise ValidationError({"handling_roles": _("บทบาทไม่ถูกต้อง: %(roles)s") % {"roles": ", ".join(map(str, bad))}})
        if self.department_id and self.department.organization_id != self.organization_id:
            raise ValidationError({"department": _("หน่วยงานต้องอยู่ในองค์กรเดียวกัน")})
        if self.queue_id and self.queue.organization_id != self.organization_id:
            raise ValidationError({"queue": _("คิวต้องอยู่ในองค์กรเดียวกัน")})


class FormField(OrganizationScoped):
    service_type = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="fields",
                                     verbose_name=_("ประเภทบริการ"), help_text=_("แบบฟอร์มที่ช่องนี้อยู่"))
    code = models.SlugField(_("รหัสช่อง"), max_length=40, help_text=_("ชื่อตัวแปร ใช้ใน Open311 เช่น house_no"))
    kind = models.CharField(_("ชนิดข้อมูล"), max_length=20, choices=FieldKind.choices, default=FieldKind.TEXT,
                            help_text=_("ชนิดของคำตอบ"))
    label_th = models.CharField(_("ป้ายชื่อ (ไทย)"), max_length=200, help_text=_("คำถามที่ประชาชนเห็น"))
    label_en = models.CharField(_("ป้ายชื่อ (อังกฤษ)"), max_length=200, blank=True, help_text=_("ไม่บังคับ"))
    required = models.BooleanField(_("ต้องกรอก"), default=False, help_text=_("ส่งไม่ได้ถ้าเว้นว่าง"))
    help_th = models.CharField(_("คำอธิบาย"), max_length=300, blank=True, help_text=_("แสดงใต้ช่อง"))
    choices = models.TextField(_("ตัวเลือก"), blank=True,
                               help_text=_("หนึ่งตัวเลือกต่อบรรทัด รูปแบบ รหัส|ชื่อ เช่น water|น้ำดื่ม"))
    allow_other = models.BooleanField(_("มีตัวเลือก “อื่น ๆ”"), default=False,
                                      help_text=_("ให้พิมพ์คำตอบเองได้"))
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0, help_text=_("น้อยขึ้นก่อน"))

    organization_path = "service_type__organization"

    class Meta:
        verbose_name = _("ช่องในแบบฟอร์ม")
        verbose_name_plural = _("ช่องในแบบฟอร์ม")
        ordering = ["service_type", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["service_type", "code"], name="uniq_eservice_field_code")]

    def __str__(self):
        return self.label_th

    def choice_pairs(self):
        pairs = []
        for line in self.choices.splitlines():
            if line.strip():
                key, _sep, label = line.partition("|")
                pairs.append((key.strip(), (label or key).strip()))
        return pairs

    def clean(self):
        if self.kind in (FieldKind.CHOICE, FieldKind.MULTICHOICE) and not self.choice_pairs():
            raise ValidationError({"choices": _("ช่องแบบเลือกต้องมีตัวเลือกอย่างน้อยหนึ่งข้อ")})
        keys = [k for k, _label in self.choice_pairs()]
        if len(keys) != len(set(keys)):
            raise ValidationError({"choices": _("รหัสตัวเลือกซ้ำกัน")})

    def as_definition(self) -> dict:
        return {"code": self.code, "kind": self.kind, "label_th": self.label_th, "label_en": self.label_en,
                "required": self.required, "help_th": self.help_th, "choices": self.choice_pairs(),
                "allow_other": self.allow_other, "order": self.order}


class RequiredDocument(OrganizationScoped):
    service_type = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="documents",
                                     verbose_name=_("ประเภทบริการ"), help_text=_("บริการที่ต้องใช้เอกสารนี้"))
    name_th = models.CharField(_("ชื่อเอกสาร (ไทย)"), max_length=200, help_text=_("เช่น สำเนาทะเบียนบ้าน"))
    name_en = models.CharField(_("ชื่อเอกสาร (อังกฤษ)"), max_length=200, blank=True, help_text=_("ไม่บังคับ"))
    copies = models.PositiveSmallIntegerField(_("จำนวนฉบับ"), default=1, help_text=_("จำนวนที่ต้องใช้"))
    required = models.BooleanField(_("จำเป็น"), default=True, help_text=_("ต้องมีทุกครั้ง"))
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0, help_text=_("น้อยขึ้นก่อน"))

    organization_path = "service_type__organization"

    class Meta:
        verbose_name = _("เอกสารที่ต้องใช้")
        verbose_name_plural = _("เอกสารที่ต้องใช้")
        ordering = ["service_type", "order", "pk"]

    def __str__(self):
        return self.name_th

    def as_definition(self) -> dict:
        return {"name_th": self.name_th, "name_en": self.name_en, "copies": self.copies, "required": self.required}


class FormVersion(OrganizationScoped):
    """A frozen copy of a service's form and manual; a request keeps the version it was filed under."""

    service_type = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="versions",
                                     verbose_name=_("ประเภทบริการ"), help_text=_("บริการของฉบับนี้"))
    number = models.PositiveIntegerField(_("ฉบับที่"), help_text=_("เพิ่มขึ้นทุกครั้งที่แก้แบบฟอร์ม"))
    definition = models.JSONField(_("นิยามแบบฟอร์ม"), help_text=_("ช่อง เอกสาร ค่าธรรมเนียม ระยะเวลา ณ ฉบับนี้"))
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True, help_text=_("เวลาที่ออกฉบับนี้"))

    organization_path = "service_type__organization"

    class Meta:
        verbose_name = _("ฉบับของแบบฟอร์ม")
        verbose_name_plural = _("ฉบับของแบบฟอร์ม")
        ordering = ["service_type", "-number"]
        constraints = [models.UniqueConstraint(fields=["service_type", "number"], name="uniq_eservice_version")]

    def __str__(self):
        return f"{self.service_type} #{self.number}"

    @property
    def fields(self) -> list[dict]:
        return self.definition.get("fields", [])


# --- requests ----------------------------------------------------------------------------------------------

class ServiceRequest(OrganizationOwned):
    class Channel(models.TextChoices):
        WEB = "web", _("เว็บไซต์")
        COUNTER = "counter", _("ยื่นที่เคาน์เตอร์")
        OPEN311 = "open311", _("Open311")

    class Notify(models.TextChoices):
        NONE = "", _("ไม่ต้องแจ้ง")
        EMAIL = "email", _("อีเมล")
        SMS = "sms", _("SMS")

    organization_related_name = "service_requests"
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="requests",
                                     verbose_name=_("ประเภทบริการ"), help_text=_("บริการที่ขอ"))
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="requests",
                                     verbose_name=_("ฉบับแบบฟอร์ม"), help_text=_("ฉบับที่ใช้ตอนยื่น"))
    tracking_code = models.CharField(_("รหัสติดตาม"), max_length=24, unique=True, editable=False,
                                     help_text=_("รหัสสุ่มที่ประชาชนใช้ติดตาม"))
    access_key = models.CharField(_("กุญแจเข้าถึง"), max_length=64, default=new_token, editable=False,
                                  help_text=_("อยู่ในลิงก์ส่วนตัวของผู้ยื่น ใช้เปิดเอกสาร ผลการพิจารณา และให้คะแนน"))
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True, help_text=_("เปลี่ยนตามตารางขั้นตอนงานเท่านั้น"))
    channel = models.CharField(_("ช่องทาง"), max_length=10, choices=Channel.choices, default=Channel.WEB,
                               help_text=_("ยื่นทางใด"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="service_requests", verbose_name=_("หน่วยงาน"),
                                   help_text=_("คิวของหน่วยงานที่รับผิดชอบ"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="eservice_requests", verbose_name=_("ผู้รับผิดชอบ"),
                                 help_text=_("เจ้าหน้าที่ที่ดูแลคำร้องนี้"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("ยื่นแทนโดย"),
                                 help_text=_("เจ้าหน้าที่ที่ยื่นแทนประชาชนที่มาติดต่อ"))
    applicant_name = models.CharField(_("ชื่อผู้ยื่น"), max_length=200, help_text=_("ชื่อ-นามสกุล"))
    phone = models.CharField(_("โทรศัพท์"), max_length=20, blank=True, help_text=_("สำหรับติดต่อกลับ"))
    email = models.EmailField(_("อีเมล"), blank=True, help_text=_("สำหรับแจ้งผล"))
    notify_channel = models.CharField(_("ช่องทางแจ้งผล"), max_length=10, choices=Notify.choices, blank=True,
                                      help_text=_("ช่องทางที่ผู้ยื่นเลือกรับการแจ้งเตือน"))
    language = LanguageField(help_text=_("ภาษาของหน้าที่ผู้ยื่นใช้ยื่นคำร้อง การแจ้งความคืบหน้าใช้ภาษานี้"))
    citizen_id_hash = models.CharField(_("แฮชเลขประจำตัวประชาชน"), max_length=64, blank=True, db_index=True,
                                       help_text=_("เก็บเฉพาะค่าแฮชแบบมีกุญแจ ไม่เก็บเลขจริง"))
    citizen_id_masked = models.CharField(_("เลขประจำตัวประชาชน (ปิดบัง)"), max_length=20, blank=True,
                                         help_text=_("แสดงเพียงบางหลัก"))
    citizen_id_last4_hash = models.CharField(
        _("รหัสตรวจสี่หลักท้าย"), max_length=64, blank=True, editable=False,
        help_text=_("ค่าแฮชของเลขประจำตัวสี่หลักท้าย ใช้ยืนยันตัวเมื่อเปิดคำร้องจากเครื่องอื่น"))
    answers = models.JSONField(_("คำตอบ"), default=dict, blank=True, help_text=_("คำตอบตามช่องของฉบับแบบฟอร์ม"))
    consent_at = models.DateTimeField(_("ยินยอมเมื่อ"), null=True, blank=True,
                                      help_text=_("เวลาที่ผู้ยื่นยินยอมตาม PDPA"))
    deadline = models.DateTimeField(_("กำหนดเสร็จ"), null=True, blank=True,
                                    help_text=_("คำนวณจากระยะเวลาดำเนินการเป็นวันทำการ"))
    decision_reason = models.TextField(_("เหตุผลการพิจารณา"), blank=True, help_text=_("แจ้งผู้ยื่นเมื่ออนุมัติหรือไม่อนุมัติ"))
    result_file = models.FileField(_("เอกสารผลการพิจารณา"), storage=private_storage,
                                   upload_to=private_upload_to("eservice/results"), blank=True, max_length=200,
                                   help_text=_("เช่น ใบอนุญาต เฉพาะผู้ยื่นดาวน์โหลดได้"))
    result_name = models.CharField(_("ชื่อไฟล์ผล"), max_length=200, blank=True, help_text=_("ชื่อไฟล์ตอนดาวน์โหลด"))
    rating = models.PositiveSmallIntegerField(_("ความพึงพอใจ"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)],
                                              help_text=_("1 ถึง 5"))
    rating_comment = models.TextField(_("ความเห็น"), blank=True, help_text=_("ข้อเสนอแนะจากผู้ยื่น"))
    rated_at = models.DateTimeField(_("ให้คะแนนเมื่อ"), null=True, blank=True, help_text=_("เวลาที่ให้คะแนน"))
    created_at = models.DateTimeField(_("ยื่นเมื่อ"), default=timezone.now, db_index=True, help_text=_("เวลาที่ยื่น"))
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True, help_text=_("เวลาที่เปลี่ยนล่าสุด"))
    closed_at = models.DateTimeField(_("ปิดเมื่อ"), null=True, blank=True, help_text=_("เวลาที่จบเรื่อง"))

    class Meta:
        verbose_name = _("คำร้องขอรับบริการ")
        verbose_name_plural = _("คำร้องขอรับบริการ")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "status", "deadline"], name="eservice_req_triage")]

    def __str__(self):
        return f"{self.tracking_code} {self.service_type}"

    @property
    def is_overdue(self):
        from .workflow import OPEN_STATES

        return self.status in OPEN_STATES and self.deadline is not None and self.deadline < timezone.now()


class RequestEvent(OrganizationScoped):
    """The timeline: status changes, notes (internal or public), document requests, uploads."""

    class Kind(models.TextChoices):
        STATUS = "status", _("เปลี่ยนสถานะ")
        NOTE = "note", _("บันทึกภายใน")
        DOCS_ASKED = "docs_asked", _("ขอเอกสารเพิ่ม")
        DOCS_UPLOADED = "docs_uploaded", _("ส่งเอกสารแล้ว")
        ASSIGNED = "assigned", _("มอบหมาย")
        RESULT = "result", _("แนบผลการพิจารณา")
        RATED = "rated", _("ให้คะแนน")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events",
                                verbose_name=_("คำร้อง"), help_text=_("คำร้องของเหตุการณ์นี้"))
    kind = models.CharField(_("ชนิด"), max_length=20, choices=Kind.choices, help_text=_("ชนิดเหตุการณ์"))
    from_status = models.CharField(_("จากสถานะ"), max_length=20, blank=True, help_text=_("สถานะเดิม"))
    to_status = models.CharField(_("เป็นสถานะ"), max_length=20, blank=True, help_text=_("สถานะใหม่"))
    message = models.TextField(_("ข้อความ"), blank=True, help_text=_("รายละเอียด"))
    is_public = models.BooleanField(_("แสดงต่อผู้ยื่น"), default=True, help_text=_("บันทึกภายในไม่แสดง"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("ผู้ดำเนินการ"), help_text=_("ว่างถ้าเป็นระบบหรือผู้ยื่น"))
    created_at = models.DateTimeField(_("เมื่อ"), default=timezone.now, help_text=_("เวลาเหตุการณ์"))

    organization_path = "request__organization"

    class Meta:
        verbose_name = _("เหตุการณ์ของคำร้อง")
        verbose_name_plural = _("เหตุการณ์ของคำร้อง")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.message[:40]}"


class DocumentRequest(OrganizationScoped):
    """Staff ask the citizen for documents; the tracking page shows an upload field for each item."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="document_requests",
                                verbose_name=_("คำร้อง"), help_text=_("คำร้องที่ขอเอกสาร"))
    message = models.TextField(_("ข้อความถึงผู้ยื่น"), help_text=_("เช่น กรุณาแนบสำเนาทะเบียนบ้าน"))
    items = models.JSONField(_("รายการเอกสาร"), default=list, help_text=_("ชื่อเอกสารที่ขอ หนึ่งรายการต่อไฟล์"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("ผู้ขอ"), help_text=_("เจ้าหน้าที่ที่ขอ"))
    created_at = models.DateTimeField(_("ขอเมื่อ"), default=timezone.now, help_text=_("เวลาที่ขอ"))
    fulfilled_at = models.DateTimeField(_("ได้รับเมื่อ"), null=True, blank=True, help_text=_("เวลาที่ผู้ยื่นส่งครบ"))

    organization_path = "request__organization"

    class Meta:
        verbose_name = _("การขอเอกสารเพิ่ม")
        verbose_name_plural = _("การขอเอกสารเพิ่ม")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.message[:60]


class RequestDocument(OrganizationScoped):
    """A file received with a request (form attachment or an asked-for document); private, never under /media/."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="documents",
                                verbose_name=_("คำร้อง"), help_text=_("คำร้องที่แนบไฟล์นี้"))
    field_code = models.CharField(_("ช่องในแบบฟอร์ม"), max_length=40, blank=True,
                                  help_text=_("ช่องไฟล์ที่แนบมากับแบบฟอร์ม"))
    document_request = models.ForeignKey(DocumentRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="documents", verbose_name=_("ตอบการขอเอกสาร"),
                                         help_text=_("ถ้าส่งตามที่เจ้าหน้าที่ขอ"))
    label = models.CharField(_("ชื่อเอกสาร"), max_length=200, help_text=_("เอกสารนี้คืออะไร"))
    file = models.FileField(_("ไฟล์"), storage=private_storage, upload_to=private_upload_to("eservice/documents"),
                            max_length=200, help_text=_("เก็บแบบส่วนตัว"))
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=200, help_text=_("ชื่อไฟล์ตอนผู้ยื่นส่ง"))
    mime = models.CharField(_("ชนิดไฟล์"), max_length=100, help_text=_("ตรวจจากเนื้อไฟล์"))
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"), help_text=_("ขนาดไฟล์"))
    uploaded_at = models.DateTimeField(_("ส่งเมื่อ"), default=timezone.now, help_text=_("เวลาที่ได้รับ"))

    organization_path = "request__organization"

    class Meta:
        verbose_name = _("เอกสารแนบ")
        verbose_name_plural = _("เอกสารแนบ")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.label


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
        return _bilingual(self.name_th, self.name_en)

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
        indexes = [models.Index(fields=["queue", "date", "status"], name="eservice_booking_day")]

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

