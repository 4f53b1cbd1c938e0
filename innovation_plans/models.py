"""Innovation plans: a plan per organization over several fiscal years (BE), its components, activities with
yearly budgets, indicators with yearly targets, SWOT/TOWS, and the yearly monitoring and evaluation (M&E)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.files import private_storage, private_upload_to
from portal.models import AuditTaggedByOrganization, Department, OrganizationOwned
from portal.tenancy import OrganizationScopedQuerySet

YEAR_VALIDATORS = [MinValueValidator(2400), MaxValueValidator(2700)]


class Plan(OrganizationOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("ร่าง / draft")
        PUBLISHED = "published", _("เผยแพร่แล้ว / published")
        ARCHIVED = "archived", _("เก็บถาวร / archived")

    title = models.CharField(_("ชื่อแผน / title"), max_length=300,
                             help_text=_("ตามหน้าปกของแผน / as on the plan's title page"))
    fiscal_year_start = models.PositiveSmallIntegerField(
        _("ปีงบประมาณเริ่มต้น (พ.ศ.) / first fiscal year (BE)"), validators=YEAR_VALIDATORS,
        help_text=_("เช่น 2566 / e.g. 2566"))
    fiscal_year_end = models.PositiveSmallIntegerField(
        _("ปีงบประมาณสิ้นสุด (พ.ศ.) / last fiscal year (BE)"), validators=YEAR_VALIDATORS,
        help_text=_("เช่น 2570 / e.g. 2570"))
    status = models.CharField(_("สถานะ / status"), max_length=12, choices=Status.choices, default=Status.DRAFT,
                              db_index=True, help_text=_("ประชาชนเห็นเฉพาะแผนที่เผยแพร่แล้ว / citizens see published plans only"))
    source_document = models.FileField(_("เอกสารต้นฉบับ / source document"), upload_to="innovation_plans/sources/",
                                       blank=True, help_text=_("ไฟล์ที่นำเข้า / the imported file"))
    source_name = models.CharField(_("ชื่อไฟล์ต้นฉบับ / source file name"), max_length=255, blank=True,
                                   help_text=_("ชื่อไฟล์ตอนนำเข้า / file name at import"))
    objectives = models.TextField(_("วัตถุประสงค์ / objectives"), blank=True, help_text=_("ข้อความอิสระ / free text"))
    goal = models.TextField(_("เป้าหมาย / goal"), blank=True, help_text=_("ข้อความอิสระ / free text"))
    vision = models.TextField(_("วิสัยทัศน์ / vision"), blank=True, help_text=_("ข้อความอิสระ / free text"))
    mission = models.TextField(_("พันธกิจ / mission"), blank=True, help_text=_("ข้อความอิสระ / free text"))
    stated_budget_total = models.BigIntegerField(
        _("งบประมาณรวมตามเอกสาร (บาท) / total stated by the document (baht)"), null=True, blank=True,
        help_text=_("ตัวเลขที่เอกสารเขียนไว้ ไม่ได้คำนวณ / as written in the document, not computed"))
    import_warnings = models.JSONField(
        _("ข้อสังเกตจากการนำเข้า / import warnings"), default=list, blank=True,
        help_text=_("ความไม่ตรงกันที่พบตอนนำเข้า (เช่น ยอดรวมไม่ตรง) / disagreements found at import"))
    imported_at = models.DateTimeField(_("นำเข้าเมื่อ / imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("ผู้นำเข้า / imported by"))
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ / published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ / created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ / updated"), auto_now=True)

    class Meta:
        verbose_name = _("แผนพัฒนานวัตกรรม / innovation plan")
        verbose_name_plural = _("แผนพัฒนานวัตกรรม / innovation plans")
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
                raise ValidationError({"fiscal_year_end": _("ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น / the last year cannot be before the first")})
            if self.fiscal_year_end - self.fiscal_year_start > 10:
                raise ValidationError({"fiscal_year_end": _("แผนยาวได้ไม่เกิน 11 ปี / a plan spans at most 11 years")})

    def get_absolute_url(self):
        return reverse("innovation_plans:plan-detail", args=[self.organization.slug, self.pk])


class Component(AuditTaggedByOrganization, models.Model):
    """องค์ประกอบท้องถิ่น ๔.๐ / ยุทธศาสตร์; a flat project table is one component with no number."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="components", verbose_name=_("แผน / plan"))
    number = models.PositiveSmallIntegerField(_("ลำดับองค์ประกอบ / number"), null=True, blank=True,
                                              help_text=_("ว่างไว้สำหรับตารางโครงการแบบไม่แยกองค์ประกอบ / empty for a flat project table"))
    title = models.CharField(_("ชื่อองค์ประกอบ / title"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับการแสดง / display order"), default=0)
    stated_total_by_year = models.JSONField(
        _("ยอดรวมตามเอกสารรายปี / totals stated per year"), default=dict, blank=True,
        help_text=_("แถว \"รวม\" ของเอกสาร เช่น {\"2566\": 25000} / the document's own total row"))
    stated_activity_count = models.PositiveSmallIntegerField(
        _("จำนวนกิจกรรมตามเอกสาร / activity count stated"), null=True, blank=True,
        help_text=_("เช่น \"รวม 3 กิจกรรม\" / e.g. \"รวม 3 กิจกรรม\""))

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "plan__organization"

    class Meta:
        verbose_name = _("องค์ประกอบ / ยุทธศาสตร์ / plan component")
        verbose_name_plural = _("องค์ประกอบ / ยุทธศาสตร์ / plan components")
        ordering = ["plan", "order", "number"]

    def __str__(self):
        if self.number is None:
            return self.title or str(_("โครงการทั้งหมด / all projects"))
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


class Activity(AuditTaggedByOrganization, models.Model):
    """โครงการ / กิจกรรม / มาตรการ."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("แผน / plan"))
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="activities",
                                  verbose_name=_("องค์ประกอบ / component"))
    number = models.CharField(_("ลำดับ / number label"), max_length=20, blank=True,
                              help_text=_("ตามที่เขียนในเอกสาร เช่น 1, ๒, 3.1 / as written, e.g. 1, ๒, 3.1"))
    title = models.CharField(_("ชื่อโครงการ/กิจกรรม / title"), max_length=1000)
    details = models.TextField(_("รายละเอียด / details"), blank=True)
    benefits = models.TextField(_("ประโยชน์ / ผลที่คาดว่าจะได้รับ / expected outcome"), blank=True)
    responsible_unit = models.CharField(_("หน่วยงานรับผิดชอบ (ตามเอกสาร) / responsible unit (as written)"),
                                        max_length=300, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("หน่วยงานรับผิดชอบ / responsible department"),
                                   help_text=_("หน่วยงานในระบบที่ตรงกับข้อความด้านบน / the department matching the text above"))
    start_year = models.PositiveSmallIntegerField(_("ปีเริ่ม (พ.ศ.) / first year (BE)"), null=True, blank=True,
                                                  validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("ปีสิ้นสุด (พ.ศ.) / last year (BE)"), null=True, blank=True,
                                                validators=YEAR_VALIDATORS)
    budget_total = models.BigIntegerField(
        _("งบประมาณรวมทั้งโครงการ (บาท) / budget for the whole activity (baht)"), null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("ใช้เมื่อเอกสารระบุงบเป็นยอดเดียวทั้งโครงการ / when the document gives one figure for the whole activity"))
    no_budget = models.BooleanField(_("ไม่ใช้งบประมาณ / no budget"), default=False,
                                    help_text=_("ดำเนินการโดยไม่ใช้งบประมาณ / carried out without budget"))
    order = models.PositiveIntegerField(_("ลำดับการแสดง / display order"), default=0)

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "plan__organization"

    class Meta:
        verbose_name = _("โครงการ/กิจกรรม / activity")
        verbose_name_plural = _("โครงการ/กิจกรรม / activities")
        ordering = ["plan", "component__order", "order", "id"]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title


    def clean(self):
        errors = {}
        if self.component_id and self.plan_id and self.component.plan_id != self.plan_id:
            errors["component"] = _("องค์ประกอบต้องอยู่ในแผนเดียวกัน / the component must belong to the same plan")
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("ปีสิ้นสุดต้องไม่ก่อนปีเริ่ม / the last year cannot be before the first")
        if self.department_id and self.plan_id and self.department.organization_id != self.plan.organization_id:
            errors["department"] = _("หน่วยงานต้องอยู่ในองค์กรเดียวกัน / the department must be in the same organization")
        if self.no_budget and self.budget_total:
            errors["budget_total"] = _("กิจกรรมที่ไม่ใช้งบประมาณต้องไม่มีงบ / an activity without budget cannot have one")
        if errors:
            raise ValidationError(errors)

    def year_span(self, plan_years):
        start = self.start_year or plan_years[0]
        end = self.end_year or plan_years[-1]
        return [y for y in plan_years if start <= y <= end]


class ActivityBudget(AuditTaggedByOrganization, models.Model):
    """One cell of the budget grid: an activity's budget in one fiscal year."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budgets",
                                 verbose_name=_("กิจกรรม / activity"))
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.) / fiscal year (BE)"), validators=YEAR_VALIDATORS)
    amount = models.BigIntegerField(_("งบประมาณ (บาท) / amount (baht)"), validators=[MinValueValidator(0)])

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "activity__plan__organization"

    class Meta:
        verbose_name = _("งบประมาณรายปี / yearly budget")
        verbose_name_plural = _("งบประมาณรายปี / yearly budgets")
        ordering = ["activity", "fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["activity", "fiscal_year"], name="uniq_activity_budget_year")]

    def __str__(self):
        return f"{self.fiscal_year}: {self.amount:,}"



class Indicator(AuditTaggedByOrganization, models.Model):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("ผลผลิต / output")
        OUTCOME = "outcome", _("ผลลัพธ์ / outcome")
        IMPACT = "impact", _("ผลกระทบ / impact")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("แผน / plan"))
    component = models.ForeignKey(Component, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators",
                                  verbose_name=_("องค์ประกอบ / component"))
    strategy = models.CharField(_("ยุทธศาสตร์ / strategy"), max_length=500, blank=True,
                                help_text=_("ยุทธศาสตร์หรือเป้าประสงค์ที่ตัวชี้วัดนี้สังกัด / the strategy or goal it measures"))
    name = models.CharField(_("ตัวชี้วัด / indicator"), max_length=1000)
    kind = models.CharField(_("ประเภท / kind"), max_length=10, choices=Kind.choices, blank=True)
    unit = models.CharField(_("หน่วยนับ / unit"), max_length=100, blank=True, help_text=_("เช่น ร้อยละ, โครงการ, ชิ้น"))
    order = models.PositiveIntegerField(_("ลำดับการแสดง / display order"), default=0)

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "plan__organization"

    class Meta:
        verbose_name = _("ตัวชี้วัด / indicator")
        verbose_name_plural = _("ตัวชี้วัด / indicators")
        ordering = ["plan", "order", "id"]

    def __str__(self):
        return self.name


    def clean(self):
        if self.component_id and self.plan_id and self.component.plan_id != self.plan_id:
            raise ValidationError({"component": _("องค์ประกอบต้องอยู่ในแผนเดียวกัน / the component must belong to the same plan")})


class IndicatorTarget(AuditTaggedByOrganization, models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets",
                                  verbose_name=_("ตัวชี้วัด / indicator"))
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.) / fiscal year (BE)"), validators=YEAR_VALIDATORS)
    target_text = models.CharField(_("ค่าเป้าหมาย (ตามเอกสาร) / target as written"), max_length=300, blank=True,
                                   help_text=_("เช่น ไม่น้อยกว่า ๓ ชิ้น / e.g. ไม่น้อยกว่า ๓ ชิ้น"))
    target_value = models.DecimalField(_("ค่าเป้าหมาย (ตัวเลข) / target (number)"), max_digits=14, decimal_places=2,
                                       null=True, blank=True, help_text=_("ตัวเลขที่อ่านได้จากข้อความ / the number in the text"))

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "indicator__plan__organization"

    class Meta:
        verbose_name = _("ค่าเป้าหมายรายปี / yearly target")
        verbose_name_plural = _("ค่าเป้าหมายรายปี / yearly targets")
        ordering = ["indicator", "fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "fiscal_year"], name="uniq_indicator_target_year")]

    def __str__(self):
        return f"{self.fiscal_year}: {self.target_text or self.target_value}"



class SwotItem(AuditTaggedByOrganization, models.Model):
    """SWOT items (S/W/O/T) and the TOWS strategies built from them (SO/ST/WO/WT)."""

    class Kind(models.TextChoices):
        STRENGTH = "S", _("จุดแข็ง / strength")
        WEAKNESS = "W", _("จุดอ่อน / weakness")
        OPPORTUNITY = "O", _("โอกาส / opportunity")
        THREAT = "T", _("อุปสรรค / threat")
        SO = "SO", _("กลยุทธ์เชิงรุก (SO) / SO strategy")
        ST = "ST", _("กลยุทธ์เชิงป้องกัน (ST) / ST strategy")
        WO = "WO", _("กลยุทธ์เชิงแก้ไข (WO) / WO strategy")
        WT = "WT", _("กลยุทธ์เชิงรับ (WT) / WT strategy")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="swot_items", verbose_name=_("แผน / plan"))
    kind = models.CharField(_("ประเภท / kind"), max_length=2, choices=Kind.choices)
    code = models.CharField(_("รหัส / code"), max_length=20, blank=True, help_text=_("เช่น S1, WO2"))
    text = models.TextField(_("ข้อความ / text"))
    order = models.PositiveIntegerField(_("ลำดับการแสดง / display order"), default=0)

    objects = OrganizationScopedQuerySet.as_manager()
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



class EvaluationCommittee(AuditTaggedByOrganization, models.Model):
    """คณะกรรมการติดตามและประเมินผล appointed for one fiscal year."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="committees", verbose_name=_("แผน / plan"))
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.) / fiscal year (BE)"), validators=YEAR_VALIDATORS)
    order_reference = models.CharField(_("คำสั่งแต่งตั้ง / appointment order"), max_length=200, blank=True,
                                       help_text=_("เช่น คำสั่งที่ 123/2567 / e.g. order no. 123/2567"))
    appointed_on = models.DateField(_("วันที่แต่งตั้ง / appointed on"), null=True, blank=True)
    reported_to_executive_on = models.DateField(_("วันที่รายงานผู้บริหาร / reported to the executive on"),
                                                null=True, blank=True)

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "plan__organization"

    class Meta:
        verbose_name = _("คณะกรรมการติดตามและประเมินผล / evaluation committee")
        verbose_name_plural = _("คณะกรรมการติดตามและประเมินผล / evaluation committees")
        ordering = ["plan", "fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["plan", "fiscal_year"], name="uniq_committee_year")]

    def __str__(self):
        return f"{self.plan.title} · {self.fiscal_year}"



class CommitteeMember(AuditTaggedByOrganization, models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("ประธาน / chair")
        MEMBER = "member", _("กรรมการ / member")
        SECRETARY = "secretary", _("เลขานุการ / secretary")

    committee = models.ForeignKey(EvaluationCommittee, on_delete=models.CASCADE, related_name="members",
                                  verbose_name=_("คณะกรรมการ / committee"))
    name = models.CharField(_("ชื่อ-สกุล / name"), max_length=200)
    position = models.CharField(_("ตำแหน่ง / position"), max_length=200, blank=True)
    role = models.CharField(_("บทบาท / role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "committee__plan__organization"

    class Meta:
        verbose_name = _("กรรมการ / committee member")
        verbose_name_plural = _("กรรมการ / committee members")
        ordering = ["committee", "id"]

    def __str__(self):
        return self.name



class MonitoringRecord(AuditTaggedByOrganization, models.Model):
    """Yearly M&E of one activity."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("ยังไม่ดำเนินการ / not started")
        IN_PROGRESS = "in_progress", _("กำลังดำเนินการ / in progress")
        COMPLETED = "completed", _("ดำเนินการแล้วเสร็จ / completed")
        DELAYED = "delayed", _("ล่าช้า / delayed")
        CANCELLED = "cancelled", _("ยกเลิก / cancelled")

    class Method(models.TextChoices):
        TESTS = "tests", _("การทดสอบและการวัด / tests and measurements")
        INTERVIEWS = "interviews", _("การสัมภาษณ์ / interviews")
        OBSERVATION = "observation", _("การสังเกต / observation")
        SURVEYS = "surveys", _("การสำรวจ / surveys")
        DOCUMENTS = "documents", _("เอกสาร / documents")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="monitoring_records",
                                 verbose_name=_("กิจกรรม / activity"))
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.) / fiscal year (BE)"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("สถานะ / status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress_percent = models.PositiveSmallIntegerField(_("ความก้าวหน้า (%) / progress (%)"), default=0,
                                                        validators=[MaxValueValidator(100)])
    actual_spend = models.BigIntegerField(_("ใช้จ่ายจริง (บาท) / actual spend (baht)"), null=True, blank=True,
                                          validators=[MinValueValidator(0)])
    methods = models.JSONField(_("วิธีการติดตาม / methods used"), default=list, blank=True,
                               help_text=_("จากห้าวิธี: ทดสอบและวัด สัมภาษณ์ สังเกต สำรวจ เอกสาร / of the five methods"))
    notes = models.TextField(_("บันทึก / notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("ผู้บันทึก / recorded by"))
    recorded_at = models.DateTimeField(_("บันทึกเมื่อ / recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ / updated"), auto_now=True)

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "activity__plan__organization"

    class Meta:
        verbose_name = _("การติดตามและประเมินผล / monitoring record")
        verbose_name_plural = _("การติดตามและประเมินผล / monitoring records")
        ordering = ["-fiscal_year", "activity"]
        constraints = [models.UniqueConstraint(fields=["activity", "fiscal_year"], name="uniq_monitoring_year")]

    def __str__(self):
        return f"{self.activity} · {self.fiscal_year}"


    def clean(self):
        unknown = set(self.methods or []) - set(self.Method.values)
        if unknown:
            raise ValidationError({"methods": _("วิธีการไม่ถูกต้อง / unknown method")})
        if self.status == self.Status.COMPLETED and self.progress_percent != 100:
            raise ValidationError({"progress_percent": _("เสร็จแล้วต้องเป็น 100% / completed means 100%")})

    def method_labels(self):
        labels = dict(self.Method.choices)
        return [labels[m] for m in self.methods or [] if m in labels]


class IndicatorActual(AuditTaggedByOrganization, models.Model):
    """An indicator's actual result reported in one monitoring record."""

    record = models.ForeignKey(MonitoringRecord, on_delete=models.CASCADE, related_name="indicator_actuals",
                               verbose_name=_("การติดตาม / monitoring record"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals",
                                  verbose_name=_("ตัวชี้วัด / indicator"))
    actual_text = models.CharField(_("ผลที่ได้ (ข้อความ) / actual as written"), max_length=300, blank=True)
    actual_value = models.DecimalField(_("ผลที่ได้ (ตัวเลข) / actual (number)"), max_digits=14, decimal_places=2,
                                       null=True, blank=True)

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "record__activity__plan__organization"

    class Meta:
        verbose_name = _("ผลตามตัวชี้วัด / indicator actual")
        verbose_name_plural = _("ผลตามตัวชี้วัด / indicator actuals")
        constraints = [models.UniqueConstraint(fields=["record", "indicator"], name="uniq_record_indicator")]

    def __str__(self):
        return f"{self.indicator}: {self.actual_text or self.actual_value}"


    def clean(self):
        if self.indicator_id and self.record_id and self.indicator.plan_id != self.record.activity.plan_id:
            raise ValidationError({"indicator": _("ตัวชี้วัดต้องอยู่ในแผนเดียวกัน / the indicator must belong to the same plan")})


class EvidenceFile(AuditTaggedByOrganization, models.Model):
    record = models.ForeignKey(MonitoringRecord, on_delete=models.CASCADE, related_name="evidence",
                               verbose_name=_("การติดตาม / monitoring record"))
    # Private: served only through the permission-checked download view (innovation_plans.views.evidence_download).
    file = models.FileField(_("ไฟล์หลักฐาน / evidence file"), storage=private_storage,
                            upload_to=private_upload_to("innovation_plans/evidence"), max_length=200,
                            help_text=_("PDF, รูปภาพ, Word, Excel ไม่เกินขนาดที่กำหนด / PDF, image, Word, Excel within the size limit"))
    title = models.CharField(_("คำอธิบาย / description"), max_length=300, blank=True)
    content_type = models.CharField(_("ชนิดไฟล์ / content type"), max_length=100, blank=True, editable=False)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์) / size (bytes)"), default=0, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("ผู้อัปโหลด / uploaded by"))
    uploaded_at = models.DateTimeField(_("อัปโหลดเมื่อ / uploaded at"), auto_now_add=True)

    objects = OrganizationScopedQuerySet.as_manager()
    organization_path = "record__activity__plan__organization"

    class Meta:
        verbose_name = _("หลักฐาน / evidence file")
        verbose_name_plural = _("หลักฐาน / evidence files")
        ordering = ["record", "id"]

    def __str__(self):
        return self.title or self.file.name



class ReportJob(models.Model):
    """A report built in the background (Celery); the progress page polls this row."""

    class Status(models.TextChoices):
        PENDING = "pending", _("รอคิว / queued")
        RUNNING = "running", _("กำลังสร้าง / running")
        DONE = "done", _("เสร็จแล้ว / done")
        FAILED = "failed", _("ไม่สำเร็จ / failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("ผู้ขอ / requested by"))
    kind = models.CharField(_("ชนิดรายงาน / report kind"), max_length=20)
    fmt = models.CharField(_("รูปแบบ / format"), max_length=5)
    params = models.JSONField(_("พารามิเตอร์ / parameters"), default=dict)
    status = models.CharField(_("สถานะ / status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("ความคืบหน้า (%) / progress (%)"), default=0)
    message = models.CharField(_("ข้อความ / message"), max_length=300, blank=True)
    result = models.FileField(_("ไฟล์ผลลัพธ์ / result"), storage=private_storage,
                              upload_to=private_upload_to("innovation_plans/reports"), max_length=200, blank=True)
    filename = models.CharField(_("ชื่อไฟล์ / file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ / created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ / finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("งานสร้างรายงาน / report job")
        verbose_name_plural = _("งานสร้างรายงาน / report jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind}.{self.fmt} · {self.get_status_display()}"
