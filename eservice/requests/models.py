"""Service requests: the forms an organization defines (service types, fields, documents, frozen versions) and the
requests citizens file under them, with their timeline and documents."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import (
    Department,
    LanguageField,
    OrganizationOwned,
    OrganizationScoped,
    Role,
)
from portal.outputs.files import private_storage, private_upload_to
from portal.thai import in_language, localized

from ..names import new_token
from ..workflow import Status

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
    description_en = models.TextField(_("คำอธิบายบริการ (อังกฤษ)"), blank=True,
                                      help_text=_("แสดงบนหน้าภาษาอังกฤษ ไม่บังคับ"))
    keywords = models.CharField(_("คำค้น"), max_length=300, blank=True,
                                help_text=_("คำที่ประชาชนอาจใช้ค้นหา คั่นด้วยเว้นวรรค"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="service_types", verbose_name=_("หน่วยงานที่รับผิดชอบ"),
                                   help_text=_("คำร้องเข้าคิวของหน่วยงานนี้"))
    handling_roles = models.JSONField(_("บทบาทที่ดำเนินการ"), default=list, blank=True,
                                      help_text=_("บทบาทเจ้าหน้าที่ที่พิจารณาคำร้อง เช่น [\"officer\"]"))
    steps = models.TextField(_("ขั้นตอนการให้บริการ"), blank=True, help_text=_("หนึ่งขั้นตอนต่อบรรทัด"))
    steps_en = models.TextField(_("ขั้นตอนการให้บริการ (อังกฤษ)"), blank=True,
                                help_text=_("หนึ่งขั้นตอนต่อบรรทัด แสดงบนหน้าภาษาอังกฤษ ไม่บังคับ"))
    processing_days = models.PositiveSmallIntegerField(_("ระยะเวลาดำเนินการ (วันทำการ)"), default=7,
                                                       help_text=_("นับเฉพาะวันทำการ ไม่รวมวันหยุด"))
    fee = models.DecimalField(_("ค่าธรรมเนียม (บาท)"), max_digits=10, decimal_places=2, default=0,
                              help_text=_("0 หมายถึงไม่มีค่าธรรมเนียม"))
    office = models.CharField(_("สถานที่ให้บริการ"), max_length=300, blank=True,
                              help_text=_("ห้องหรือกองที่ติดต่อ เวลาทำการ"))
    office_en = models.CharField(_("สถานที่ให้บริการ (อังกฤษ)"), max_length=300, blank=True,
                                 help_text=_("แสดงบนหน้าภาษาอังกฤษ ไม่บังคับ"))
    legal_basis = models.TextField(_("กฎหมายที่เกี่ยวข้อง"), blank=True, help_text=_("พระราชบัญญัติ ระเบียบ ข้อบัญญัติ"))
    legal_basis_en = models.TextField(_("กฎหมายที่เกี่ยวข้อง (อังกฤษ)"), blank=True,
                                      help_text=_("แสดงบนหน้าภาษาอังกฤษ ไม่บังคับ"))
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
        return localized(self)

    # The manual in the page's language: each text's English on an English page when given, else the Thai (the Thai
    # fields have no `_th` suffix, so these stand in for `localized`/`in_language`, as Organization.hours does).
    @property
    def shown_description(self) -> str:
        return in_language(self.description, self.description_en)

    @property
    def shown_office(self) -> str:
        return in_language(self.office, self.office_en)

    @property
    def shown_legal_basis(self) -> str:
        return in_language(self.legal_basis, self.legal_basis_en)

    def step_list(self):
        """The steps, one a line, in the page's language (the English steps on an English page when given)."""
        steps = in_language(self.steps, self.steps_en)
        return [s.strip() for s in steps.splitlines() if s.strip()]

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
    help_en = models.CharField(_("คำอธิบาย (อังกฤษ)"), max_length=300, blank=True,
                               help_text=_("แสดงใต้ช่องบนหน้าภาษาอังกฤษ ไม่บังคับ"))
    choices = models.TextField(_("ตัวเลือก"), blank=True,
                               help_text=_("หนึ่งตัวเลือกต่อบรรทัด รูปแบบ รหัส|ชื่อ|ชื่ออังกฤษ (ไม่บังคับ) "
                                           "เช่น water|น้ำดื่ม|Drinking water"))
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

    def choice_rows(self) -> list[tuple[str, str, str]]:
        """(code, Thai label, English label or "") of each choice line `code|Thai|English`; the English is optional
        (a line `code|Thai`, as every choice was stored before, has none)."""
        rows = []
        for line in self.choices.splitlines():
            if line.strip():
                key, _sep, rest = line.partition("|")
                label, _sep, english = rest.partition("|")
                rows.append((key.strip(), (label or key).strip(), english.strip()))
        return rows

    def choice_pairs(self):
        return [(key, label) for key, label, _english in self.choice_rows()]

    def clean(self):
        if self.kind in (FieldKind.CHOICE, FieldKind.MULTICHOICE) and not self.choice_pairs():
            raise ValidationError({"choices": _("ช่องแบบเลือกต้องมีตัวเลือกอย่างน้อยหนึ่งข้อ")})
        keys = [k for k, _label in self.choice_pairs()]
        if len(keys) != len(set(keys)):
            raise ValidationError({"choices": _("รหัสตัวเลือกซ้ำกัน")})

    def as_definition(self) -> dict:
        rows = self.choice_rows()
        choices_en = {key: english for key, _label, english in rows if english}
        return {"code": self.code, "kind": self.kind, "label_th": self.label_th, "label_en": self.label_en,
                "required": self.required, "help_th": self.help_th,
                "choices": [(key, label) for key, label, _english in rows],
                "allow_other": self.allow_other, "order": self.order,
                # Only when given, so a form without English keeps the definition of the versions before them.
                **({"help_en": self.help_en} if self.help_en else {}),
                **({"choices_en": choices_en} if choices_en else {})}


def shown_choices(definition: dict) -> list[tuple[str, str]]:
    """(code, label) of a field definition's choices in the page's language: a choice's English on an English page
    when it has one, else its Thai."""
    english = definition.get("choices_en") or {}
    return [(choice[0], in_language(choice[1], english.get(choice[0], ""))) for choice in definition.get("choices", [])]


def choice_lines(definition: dict) -> str:
    """The stored choice lines (`code|Thai|English`) of a field's definition (a version's, or a catalogue template's
    whose choices may be (code, Thai, English))."""
    english = definition.get("choices_en") or {}
    lines = []
    for choice in definition.get("choices", []):
        code, label = choice[0], choice[1]
        en = choice[2] if len(choice) > 2 else english.get(code, "")
        lines.append(f"{code}|{label}|{en}" if en else f"{code}|{label}")
    return "\n".join(lines)


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
        from ..workflow import OPEN_STATES

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
