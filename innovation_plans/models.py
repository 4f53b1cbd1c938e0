"""Innovation plans: a plan per organization over several fiscal years (BE), its components, activities with
yearly budgets, indicators with yearly targets, SWOT/TOWS, and the yearly monitoring and evaluation (M&E)."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Department, OrganizationOwned, OrganizationScoped
from portal.outputs.files import private_storage, private_upload_to

YEAR_VALIDATORS = [MinValueValidator(2400), MaxValueValidator(2700)]


class Plan(OrganizationOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("ร่าง")
        PUBLISHED = "published", _("เผยแพร่แล้ว")
        ARCHIVED = "archived", _("เก็บถาวร")

    title = models.CharField(_("ชื่อแผน"), max_length=300,
                             help_text=_("ตามหน้าปกของแผน"))
    fiscal_year_start = models.PositiveSmallIntegerField(
        _("ปีงบประมาณเริ่มต้น (พ.ศ.)"), validators=YEAR_VALIDATORS,
        help_text=_("เช่น 2566"))
    fiscal_year_end = models.PositiveSmallIntegerField(
        _("ปีงบประมาณสิ้นสุด (พ.ศ.)"), validators=YEAR_VALIDATORS,
        help_text=_("เช่น 2570"))
    status = models.CharField(_("สถานะ"), max_length=12, choices=Status.choices, default=Status.DRAFT,
                              db_index=True, help_text=_("ประชาชนเห็นเฉพาะแผนที่เผยแพร่แล้ว"))
    # Private (outside MEDIA_ROOT): a draft's source must not be readable by anyone who guesses its name.
    source_document = models.FileField(_("เอกสารต้นฉบับ"), storage=private_storage,
                                       upload_to=private_upload_to("innovation_plans/sources"), max_length=200,
                                       blank=True, help_text=_("ไฟล์ที่นำเข้า"))
    source_name = models.CharField(_("ชื่อไฟล์ต้นฉบับ"), max_length=255, blank=True,
                                   help_text=_("ชื่อไฟล์ตอนนำเข้า"))
    objectives = models.TextField(_("วัตถุประสงค์"), blank=True, help_text=_("ข้อความอิสระ"))
    goal = models.TextField(_("เป้าหมาย"), blank=True, help_text=_("ข้อความอิสระ"))
    vision = models.TextField(_("วิสัยทัศน์"), blank=True, help_text=_("ข้อความอิสระ"))
    mission = models.TextField(_("พันธกิจ"), blank=True, help_text=_("ข้อความอิสระ"))
    stated_budget_total = models.BigIntegerField(
        _("งบประมาณรวมตามเอกสาร (บาท)"), null=True, blank=True,
        help_text=_("ตัวเลขที่เอกสารเขียนไว้ ไม่ได้คำนวณ"))
    import_warnings = models.JSONField(
        _("ข้อสังเกตจากการนำเข้า"), default=list, blank=True,
        help_text=_("ความไม่ตรงกันที่พบตอนนำเข้า (เช่น ยอดรวมไม่ตรง)"))
    imported_at = models.DateTimeField(_("นำเข้าเมื่อ"), null=True, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("ผู้นำเข้า"))
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"), null=True, blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ"), auto_now=True)

    class Meta:
        verbose_name = _("แผนพัฒนานวัตกรรม")
        verbose_name_plural = _("แผนพัฒนานวัตกรรม")
        ordering = ["organization", "-fiscal_year_start", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(fiscal_year_end__gte=F("fiscal_year_start")), name="plan_years_ordered"),
        ]

    def __str__(self):
        return f"{self.title} (พ.ศ. {self.fiscal_year_start}–{self.fiscal_year_end})"

    @property
    def years(self) -> list[int]:
        return list(range(self.fiscal_year_start, self.fiscal_year_end + 1))

    def clean(self):
        if self.fiscal_year_start and self.fiscal_year_end:
            if self.fiscal_year_end < self.fiscal_year_start:
                raise ValidationError({"fiscal_year_end": _("ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น")})
            if self.fiscal_year_end - self.fiscal_year_start > 10:
                raise ValidationError({"fiscal_year_end": _("แผนยาวได้ไม่เกิน 11 ปี")})

    def get_absolute_url(self):
        return reverse("innovation_plans:plan-detail", args=[self.organization.slug, self.pk])


class Component(OrganizationScoped):
    """องค์ประกอบท้องถิ่น ๔.๐ / ยุทธศาสตร์; a flat project table is one component with no number."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="components", verbose_name=_("แผน"))
    number = models.PositiveSmallIntegerField(_("ลำดับองค์ประกอบ"), null=True, blank=True,
                                              help_text=_("ว่างไว้สำหรับตารางโครงการแบบไม่แยกองค์ประกอบ"))
    title = models.CharField(_("ชื่อองค์ประกอบ"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับการแสดง"), default=0)
    stated_total_by_year = models.JSONField(
        _("ยอดรวมตามเอกสารรายปี"), default=dict, blank=True,
        help_text=_("แถว \"รวม\" ของเอกสาร เช่น {\"2566\": 25000}"))
    stated_activity_count = models.PositiveSmallIntegerField(
        _("จำนวนกิจกรรมตามเอกสาร"), null=True, blank=True,
        help_text=_("เช่น \"รวม 3 กิจกรรม\""))

    organization_path = "plan__organization"

    class Meta:
        verbose_name = _("องค์ประกอบ / ยุทธศาสตร์")
        verbose_name_plural = _("องค์ประกอบ / ยุทธศาสตร์")
        ordering = ["plan", "order", "number"]

    def __str__(self):
        if self.number is None:
            return self.title or str(_("โครงการทั้งหมด"))
        return f"{self.number}. {self.title}"


    def stated_by_year(self) -> dict[int, int]:
        out = {}
        for key, value in (self.stated_total_by_year or {}).items():
            if str(key).isdigit() and value is not None:
                out[int(key)] = int(value)
        return out

    def stated_overall(self):
        """A stated total not broken down by year (flat tables: "รวม 30,000")."""
        data = self.stated_total_by_year or {}
        for key in ("total", "all", "รวม"):
            if data.get(key) is not None:
                return int(data[key])
        by_year = self.stated_by_year()
        return sum(by_year.values()) if by_year else None


class Activity(OrganizationScoped):
    """โครงการ / กิจกรรม / มาตรการ."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("แผน"))
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="activities",
                                  verbose_name=_("องค์ประกอบ"))
    number = models.CharField(_("ลำดับ"), max_length=20, blank=True,
                              help_text=_("ตามที่เขียนในเอกสาร เช่น 1, ๒, 3.1 / as written, e.g. 1, ๒, 3.1"))
    title = models.CharField(_("ชื่อโครงการ/กิจกรรม"), max_length=1000)
    details = models.TextField(_("รายละเอียด"), blank=True)
    benefits = models.TextField(_("ประโยชน์ / ผลที่คาดว่าจะได้รับ"), blank=True)
    responsible_unit = models.CharField(_("หน่วยงานรับผิดชอบ (ตามเอกสาร)"),
                                        max_length=300, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("หน่วยงานรับผิดชอบ"),
                                   help_text=_("หน่วยงานในระบบที่ตรงกับข้อความด้านบน"))
    start_year = models.PositiveSmallIntegerField(_("ปีเริ่ม (พ.ศ.)"), null=True, blank=True,
                                                  validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("ปีสิ้นสุด (พ.ศ.)"), null=True, blank=True,
                                                validators=YEAR_VALIDATORS)
    budget_total = models.BigIntegerField(
        _("งบประมาณรวมทั้งโครงการ (บาท)"), null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("ใช้เมื่อเอกสารระบุงบเป็นยอดเดียวทั้งโครงการ"))
    no_budget = models.BooleanField(_("ไม่ใช้งบประมาณ"), default=False,
                                    help_text=_("ดำเนินการโดยไม่ใช้งบประมาณ"))
    order = models.PositiveIntegerField(_("ลำดับการแสดง"), default=0)

    organization_path = "plan__organization"

    class Meta:
        verbose_name = _("โครงการ/กิจกรรม")
        verbose_name_plural = _("โครงการ/กิจกรรม")
        ordering = ["plan", "component__order", "order", "id"]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title


    def clean(self):
        errors = {}
        if self.component_id and self.plan_id and self.component.plan_id != self.plan_id:
            errors["component"] = _("องค์ประกอบต้องอยู่ในแผนเดียวกัน")
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("ปีสิ้นสุดต้องไม่ก่อนปีเริ่ม")
        if self.department_id and self.plan_id and self.department.organization_id != self.plan.organization_id:
            errors["department"] = _("หน่วยงานต้องอยู่ในองค์กรเดียวกัน")
        if self.no_budget and self.budget_total:
            errors["budget_total"] = _("กิจกรรมที่ไม่ใช้งบประมาณต้องไม่มีงบ")
        if errors:
            raise ValidationError(errors)

    def year_span(self, plan_years):
        start = self.start_year or plan_years[0]
        end = self.end_year or plan_years[-1]
        return [y for y in plan_years if start <= y <= end]


class ActivityBudget(OrganizationScoped):
    """One cell of the budget grid: an activity's budget in one fiscal year."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budgets",
                                 verbose_name=_("กิจกรรม"))
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), validators=YEAR_VALIDATORS)
    amount = models.BigIntegerField(_("งบประมาณ (บาท)"), validators=[MinValueValidator(0)])

    organization_path = "activity__plan__organization"

    class Meta:
        verbose_name = _("งบประมาณรายปี")
        verbose_name_plural = _("งบประมาณรายปี")
        ordering = ["activity", "fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["activity", "fiscal_year"], name="uniq_activity_budget_year")]

    def __str__(self):
        return f"{self.fiscal_year}: {self.amount:,}"



class Indicator(OrganizationScoped):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("ผลผลิต")
        OUTCOME = "outcome", _("ผลลัพธ์")
        IMPACT = "impact", _("ผลกระทบ")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("แผน"))
    component = models.ForeignKey(Component, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators",
                                  verbose_name=_("องค์ประกอบ"))
    strategy = models.CharField(_("ยุทธศาสตร์"), max_length=500, blank=True,
                                help_text=_("ยุทธศาสตร์หรือเป้าประสงค์ที่ตัวชี้วัดนี้สังกัด"))
    name = models.CharField(_("ตัวชี้วัด"), max_length=1000)
    kind = models.CharField(_("ประเภท"), max_length=10, choices=Kind.choices, blank=True)
    unit = models.CharField(_("หน่วยนับ"), max_length=100, blank=True, help_text=_("เช่น ร้อยละ, โครงการ, ชิ้น"))
    order = models.PositiveIntegerField(_("ลำดับการแสดง"), default=0)

    organization_path = "plan__organization"

    class Meta:
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")
        ordering = ["plan", "order", "id"]

    def __str__(self):
        return self.name


    def clean(self):
        if self.component_id and self.plan_id and self.component.plan_id != self.plan_id:
            raise ValidationError({"component": _("องค์ประกอบต้องอยู่ในแผนเดียวกัน")})


class IndicatorTarget(OrganizationScoped):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets",
                                  verbose_name=_("ตัวชี้วัด"))
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), validators=YEAR_VALIDATORS)
    target_text = models.CharField(_("ค่าเป้าหมาย (ตามเอกสาร)"), max_length=300, blank=True,
                                   help_text=_("เช่น ไม่น้อยกว่า ๓ ชิ้น"))
    target_value = models.DecimalField(_("ค่าเป้าหมาย (ตัวเลข)"), max_digits=14, decimal_places=2,
                                       null=True, blank=True, help_text=_("ตัวเลขที่อ่านได้จากข้อความ"))

    organization_path = "indicator__plan__organization"

    class Meta:
        verbose_name = _("ค่าเป้าหมายรายปี")
        verbose_name_plural = _("ค่าเป้าหมายรายปี")
        ordering = ["indicator", "fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "fiscal_year"], name="uniq_indicator_target_year")]

    def __str__(self):
        return f"{self.fiscal_year}: {self.target_text or self.target_value}"



class SwotItem(OrganizationScoped):
    """SWOT items (S/W/O/T) and the TOWS strategies built from them (SO/ST/WO/WT)."""

    class Kind(models.TextChoices):
        STRENGTH = "S", _("จุดแข็ง")
        WEAKNESS = "W", _("จุดอ่อน")
        OPPORTUNITY = "O", _("โอกาส")
        THREAT = "T", _("อุปสรรค")
        SO = "SO", _("กลยุทธ์เชิงรุก (SO)")
        ST = "ST", _("กลยุทธ์เชิงป้องกัน (ST)")
        WO = "WO", _("กลยุทธ์เชิงแก้ไข (WO)")
        WT = "WT", _("กลยุทธ์เชิงรับ (WT)")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="swot_items", verbose_name=_("แผน"))
    kind = models.CharField(_("ประเภท"), max_length=2, choices=Kind.choices)
    code = models.CharField(_("รหัส"), max_length=20, blank=True, help_text=_("เช่น S1, WO2"))
    text = models.TextField(_("ข้อความ"))
    order = models.PositiveIntegerField(_("ลำดับการแสดง"), default=0)

    organization_path = "plan__organization"

    class Meta:
        verbose_name = _("SWOT / TOWS")
        verbose_name_plural = _("SWOT / TOWS")
        ordering = ["plan", "order", "id"]

    def __str__(self):
        return f"{self.code or self.kind}: {self.text[:60]}"

    @property
    def is_tows(self):
        return len(self.kind) == 2



class EvaluationCommittee(OrganizationScoped):
    """คณะกรรมการติดตามและประเมินผล appointed for one fiscal year."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="committees", verbose_name=_("แผน"))
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), validators=YEAR_VALIDATORS)
    order_reference = models.CharField(_("คำสั่งแต่งตั้ง"), max_length=200, blank=True,
                                       help_text=_("เช่น คำสั่งที่ 123/2567"))
    appointed_on = models.DateField(_("วันที่แต่งตั้ง"), null=True, blank=True)
    reported_to_executive_on = models.DateField(_("วันที่รายงานผู้บริหาร"),
                                                null=True, blank=True)

    organization_path = "plan__organization"

    class Meta:
        verbose_name = _("คณะกรรมการติดตามและประเมินผล")
        verbose_name_plural = _("คณะกรรมการติดตามและประเมินผล")
        ordering = ["plan", "fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["plan", "fiscal_year"], name="uniq_committee_year")]

    def __str__(self):
        return f"{self.plan.title} · {self.fiscal_year}"



class CommitteeMember(OrganizationScoped):
    class Role(models.TextChoices):
        CHAIR = "chair", _("ประธาน")
        MEMBER = "member", _("กรรมการ")
        SECRETARY = "secretary", _("เลขานุการ")

    committee = models.ForeignKey(EvaluationCommittee, on_delete=models.CASCADE, related_name="members",
                                  verbose_name=_("คณะกรรมการ"))
    name = models.CharField(_("ชื่อ-สกุล"), max_length=200)
    position = models.CharField(_("ตำแหน่ง"), max_length=200, blank=True)
    role = models.CharField(_("บทบาท"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    organization_path = "committee__plan__organization"

    class Meta:
        verbose_name = _("กรรมการ")
        verbose_name_plural = _("กรรมการ")
        ordering = ["committee", "id"]

    def __str__(self):
        return self.name



class MonitoringRecord(OrganizationScoped):
    """Yearly M&E of one activity."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("ยังไม่ดำเนินการ")
        IN_PROGRESS = "in_progress", _("กำลังดำเนินการ")
        COMPLETED = "completed", _("ดำเนินการแล้วเสร็จ")
        DELAYED = "delayed", _("ล่าช้า")
        CANCELLED = "cancelled", _("ยกเลิก")

    class Method(models.TextChoices):
        TESTS = "tests", _("การทดสอบและการวัด")
        INTERVIEWS = "interviews", _("การสัมภาษณ์")
        OBSERVATION = "observation", _("การสังเกต")
        SURVEYS = "surveys", _("การสำรวจ")
        DOCUMENTS = "documents", _("เอกสาร")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="monitoring_records",
                                 verbose_name=_("กิจกรรม"))
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("สถานะ"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress_percent = models.PositiveSmallIntegerField(_("ความก้าวหน้า (%)"), default=0,
                                                        validators=[MaxValueValidator(100)])
    actual_spend = models.BigIntegerField(_("ใช้จ่ายจริง (บาท)"), null=True, blank=True,
                                          validators=[MinValueValidator(0)])
    methods = models.JSONField(_("วิธีการติดตาม"), default=list, blank=True,
                               help_text=_("จากห้าวิธี: ทดสอบและวัด สัมภาษณ์ สังเกต สำรวจ เอกสาร"))
    notes = models.TextField(_("บันทึก"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("ผู้บันทึก"))
    recorded_at = models.DateTimeField(_("บันทึกเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ"), auto_now=True)

    organization_path = "activity__plan__organization"

    class Meta:
        verbose_name = _("การติดตามและประเมินผล")
        verbose_name_plural = _("การติดตามและประเมินผล")
        ordering = ["-fiscal_year", "activity"]
        constraints = [models.UniqueConstraint(fields=["activity", "fiscal_year"], name="uniq_monitoring_year")]

    def __str__(self):
        return f"{self.activity} · {self.fiscal_year}"


    def clean(self):
        unknown = set(self.methods or []) - set(self.Method.values)
        if unknown:
            raise ValidationError({"methods": _("วิธีการไม่ถูกต้อง")})
        if self.status == self.Status.COMPLETED and self.progress_percent != 100:
            raise ValidationError({"progress_percent": _("เสร็จแล้วต้องเป็น 100%")})

    def method_labels(self):
        labels = dict(self.Method.choices)
        return [labels[m] for m in self.methods or [] if m in labels]


class IndicatorActual(OrganizationScoped):
    """An indicator's actual result reported in one monitoring record."""

    record = models.ForeignKey(MonitoringRecord, on_delete=models.CASCADE, related_name="indicator_actuals",
                               verbose_name=_("การติดตาม"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals",
                                  verbose_name=_("ตัวชี้วัด"))
    actual_text = models.CharField(_("ผลที่ได้ (ข้อความ)"), max_length=300, blank=True)
    actual_value = models.DecimalField(_("ผลที่ได้ (ตัวเลข)"), max_digits=14, decimal_places=2,
                                       null=True, blank=True)

    organization_path = "record__activity__plan__organization"

    class Meta:
        verbose_name = _("ผลตามตัวชี้วัด")
        verbose_name_plural = _("ผลตามตัวชี้วัด")
        constraints = [models.UniqueConstraint(fields=["record", "indicator"], name="uniq_record_indicator")]

    def __str__(self):
        return f"{self.indicator}: {self.actual_text or self.actual_value}"


    def clean(self):
        if self.indicator_id and self.record_id and self.indicator.plan_id != self.record.activity.plan_id:
            raise ValidationError({"indicator": _("ตัวชี้วัดต้องอยู่ในแผนเดียวกัน")})


class EvidenceFile(OrganizationScoped):
    record = models.ForeignKey(MonitoringRecord, on_delete=models.CASCADE, related_name="evidence",
                               verbose_name=_("การติดตาม"))
    # Private: served only through the permission-checked download view (innovation_plans.views.evidence_download).
    file = models.FileField(_("ไฟล์หลักฐาน"), storage=private_storage,
                            upload_to=private_upload_to("innovation_plans/evidence"), max_length=200,
                            help_text=_("PDF, รูปภาพ, Word, Excel ไม่เกินขนาดที่กำหนด"))
    title = models.CharField(_("คำอธิบาย"), max_length=300, blank=True)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=100, blank=True, editable=False)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"), default=0, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("ผู้อัปโหลด"))
    uploaded_at = models.DateTimeField(_("อัปโหลดเมื่อ"), auto_now_add=True)

    organization_path = "record__activity__plan__organization"

    class Meta:
        verbose_name = _("หลักฐาน")
        verbose_name_plural = _("หลักฐาน")
        ordering = ["record", "id"]

    def __str__(self):
        return self.title or self.file.name
