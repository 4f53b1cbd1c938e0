"""Writes: importing a parsed plan (all or nothing), publishing, budgets, monitoring, evidence and report jobs.

Every function here runs in one transaction and writes its audit row there (portal.audit.trail), naming who did it:
`actor` is the person of the request, or a portal.audit.trail.SystemActor for a task, a command or the demo loader.
"""

import functools
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import services as portal_services
from portal.access.permissions import require
from portal.audit import trail as audit
from portal.inputs import uploads
from portal.machinery import jobs
from portal.models import Department, Organization
from portal.thai import to_arabic_digits

from . import workflow
from .models import (
    Activity,
    ActivityBudget,
    Component,
    EvidenceFile,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    MonitoringRecord,
    Plan,
    SwotItem,
)


def _as_actor(service):
    """Rows django-auditlog writes for the service's saves name its `actor` too, also outside a request."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        with audit.acting(kwargs.get("actor")):
            return service(*args, **kwargs)

    return run


class OrganizationMatchError(ValueError):
    pass


class DuplicatePlanError(ValueError):
    def __init__(self, plan):
        self.plan = plan
        super().__init__(_("แผนนี้นำเข้าแล้ว (แผนเลขที่ %(pk)s: %(title)s พ.ศ. %(start)s–%(end)s)") % {
            "pk": plan.pk, "title": plan.title, "start": plan.fiscal_year_start, "end": plan.fiscal_year_end})


def _squash(text) -> str:
    return re.sub(r"\s+", "", str(text or ""))


def match_organization(org_info: dict) -> Organization:
    """The organization a document names (title page name, district, province); fails unless exactly one fits."""
    org_info = org_info or {}
    name = _squash(org_info.get("name"))
    district = _squash(org_info.get("district")).removeprefix("อำเภอ")
    province = _squash(org_info.get("province")).removeprefix("จังหวัด")
    if not name:
        raise OrganizationMatchError(
            _("เอกสารไม่ระบุชื่อองค์กร ให้ระบุ --org"))
    candidates = [o for o in Organization.objects.filter(is_active=True) if _squash(o.name_th) == name]
    if len(candidates) > 1:
        candidates = [o for o in candidates
                      if (not district or _squash(o.district) == district) and (not province or _squash(o.province) == province)]
    if len(candidates) == 1:
        return candidates[0]
    where = " ".join(x for x in (org_info.get("name"), org_info.get("district"), org_info.get("province")) if x)
    if not candidates:
        raise OrganizationMatchError(
            _("ไม่พบองค์กร \"%(where)s\" ในระบบ ให้ระบุ --org") % {"where": where})
    raise OrganizationMatchError(
        _("พบองค์กรชื่อ \"%(where)s\" มากกว่าหนึ่งแห่ง ให้ระบุ --org") % {"where": where})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(_text(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value).strip()


def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return int(to_arabic_digits(str(value)))


_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def number_in(text) -> Decimal | None:
    """The number a target or actual states: "ไม่น้อยกว่า ๓ ชิ้น" -> 3, "ร้อยละ 80" -> 80."""
    match = _NUMBER.search(to_arabic_digits(str(text or "")))
    if not match:
        return None
    try:
        return Decimal(match.group().replace(",", ""))
    except InvalidOperation:
        return None


_INDICATOR_KINDS = {
    "output": Indicator.Kind.OUTPUT, "ผลผลิต": Indicator.Kind.OUTPUT,
    "outcome": Indicator.Kind.OUTCOME, "ผลลัพธ์": Indicator.Kind.OUTCOME,
    "impact": Indicator.Kind.IMPACT, "ผลกระทบ": Indicator.Kind.IMPACT,
}
_SWOT_KINDS = {k.value for k in SwotItem.Kind}
_SWOT_THAI = {"จุดแข็ง": "S", "จุดอ่อน": "W", "โอกาส": "O", "อุปสรรค": "T", "ภัยคุกคาม": "T"}


def _indicator_kind(value) -> str:
    text = str(value or "").strip().lower()
    for key, kind in _INDICATOR_KINDS.items():
        if key in text:
            return kind
    return ""


def _swot_item(item) -> tuple[str, str, str] | None:
    """(kind, code, text) from the importer's SWOT entry: a dict (kind/category/type, code, text) or "S1 text"."""
    if isinstance(item, dict):
        code = str(item.get("code") or item.get("id") or "").strip()
        text = _text(item.get("text") or item.get("title") or item.get("description") or item.get("name"))
        raw_kind = str(item.get("kind") or item.get("category") or item.get("type") or "").strip()
    else:
        code, text, raw_kind = "", str(item).strip(), ""
        match = re.match(r"^((?:SO|ST|WO|WT|S|W|O|T)\s*[0-9๐-๙]+)[\s.:)\-]+(.*)$", text, re.S)
        if match:
            code, text = match.group(1).replace(" ", ""), match.group(2).strip()
    kind = raw_kind.upper() if raw_kind.upper() in _SWOT_KINDS else _SWOT_THAI.get(raw_kind, "")
    if not kind and code:
        prefix = re.match(r"^[A-Za-z]+", code)
        kind = prefix.group().upper() if prefix and prefix.group().upper() in _SWOT_KINDS else ""
    if not kind or not text:
        return None
    return kind, code, text


def _department_for(unit_text: str, departments: list[Department]):
    unit = _squash(unit_text)
    if not unit:
        return None
    best = None
    for dept in departments:
        name = _squash(dept.name_th)
        if name and (name in unit or unit in name):
            position = unit.find(name) if name in unit else 0
            if best is None or position < best[0] or (position == best[0] and len(name) > best[1]):
                best = (position, len(name), dept)
    return best[2] if best else None


def _validate_parsed(parsed: dict) -> None:
    problems = []
    if not isinstance(parsed, dict):
        raise ValidationError(_("ผลการอ่านแผนไม่ถูกต้อง"))
    if not (parsed.get("title") or "").strip():
        problems.append("title")
    try:
        start, end = int(parsed.get("fiscal_year_start")), int(parsed.get("fiscal_year_end"))
        if not (2400 <= start <= end <= 2700):
            problems.append("fiscal_year")
    except (TypeError, ValueError):
        problems.append("fiscal_year")
    if not isinstance(parsed.get("components"), list):
        problems.append("components")
    if problems:
        raise ValidationError(
            _("ผลการอ่านแผนขาดข้อมูล: %(f)s") % {"f": ", ".join(problems)})


@_as_actor
@transaction.atomic
def import_plan(*, organization: Organization, parsed: dict, source_name: str, actor=None,
                source_bytes: bytes | None = None, status: str = Plan.Status.DRAFT, replace: bool = False) -> Plan:
    """Save a parsed plan (the importer's dict) with everything in it, or nothing.

    Stated totals and the importer's warnings are stored as they are, so reports can show stated vs computed.
    A plan with the same organization, title and years is refused unless `replace`.
    """
    _validate_parsed(parsed)
    require(actor, "add", Plan(organization=organization))
    start, end = int(parsed["fiscal_year_start"]), int(parsed["fiscal_year_end"])
    title = parsed["title"].strip()[:300]
    existing = Plan.objects.filter(organization=organization, title=title, fiscal_year_start=start,
                                   fiscal_year_end=end).first()
    replaced = None
    if existing is not None:
        if not replace:
            raise DuplicatePlanError(existing)
        replaced = existing.pk
        audit.record(existing, actor=actor, event="innovation_plans.plan.replaced", action=audit.Action.DELETE,
                     data={"source_name": (source_name or "")[:255]})
        existing.delete()

    now = timezone.now()
    plan = Plan(
        organization=organization, title=title, fiscal_year_start=start, fiscal_year_end=end,
        status=Plan.Status.DRAFT, source_name=(source_name or "")[:255],
        objectives=_text(parsed.get("objectives")), goal=_text(parsed.get("goal") or parsed.get("goals")),
        vision=_text(parsed.get("vision")), mission=_text(parsed.get("mission")),
        stated_budget_total=_int_or_none(parsed.get("stated_budget_total", parsed.get("stated_total"))),
        import_warnings=list(parsed.get("warnings") or []), imported_at=now, imported_by=audit.person(actor),
    )
    plan.full_clean(exclude=["source_document"])
    if source_bytes is not None:
        plan.source_document.save(source_name or "plan.txt", ContentFile(source_bytes), save=False)
    plan.save()

    departments = list(Department.objects.filter(organization=organization).select_related("parent"))
    components, activity_rows = [], []
    for c_index, comp in enumerate(parsed["components"]):
        stated = {str(k): _int_or_none(v) for k, v in (comp.get("stated_total_by_year") or {}).items()}
        if comp.get("stated_total") is not None and "total" not in stated:
            stated["total"] = _int_or_none(comp.get("stated_total"))
        component = Component(plan=plan, number=_int_or_none(comp.get("number")), title=_text(comp.get("title"))[:500],
                              order=c_index, stated_total_by_year=stated,
                              stated_activity_count=_int_or_none(comp.get("stated_activity_count")))
        components.append(component)
        for a_index, act in enumerate(comp.get("activities") or []):
            activity_rows.append((component, a_index, act))
    Component.objects.bulk_create(components)

    activities, budget_rows = [], []
    order = 0
    for component, _a_index, act in activity_rows:
        order += 1
        unit = _text(act.get("responsible_unit"))
        activity = Activity(
            plan=plan, component=component, number=str(act.get("number") or "")[:20],
            title=_text(act.get("title"))[:1000] or "-", details=_text(act.get("details")),
            benefits=_text(act.get("benefits")), responsible_unit=unit[:300],
            department=_department_for(unit, departments),
            start_year=_int_or_none(act.get("start_year")), end_year=_int_or_none(act.get("end_year")),
            budget_total=_int_or_none(act.get("budget_total")), no_budget=bool(act.get("no_budget")), order=order,
        )
        activities.append(activity)
        for year, amount in (act.get("budget_by_year") or {}).items():
            if amount is not None:
                budget_rows.append((activity, int(year), int(amount)))
    Activity.objects.bulk_create(activities)
    ActivityBudget.objects.bulk_create(
        [ActivityBudget(activity=a, fiscal_year=y, amount=amount) for a, y, amount in budget_rows])

    by_number = {c.number: c for c in components if c.number is not None}
    targets = []
    indicators = []
    for i_index, ind in enumerate(parsed.get("indicators") or []):
        name = _text(ind.get("name"))
        if not name:
            continue
        indicator = Indicator(plan=plan, component=by_number.get(_int_or_none(ind.get("component"))),
                              strategy=_text(ind.get("strategy"))[:500], name=name[:1000],
                              kind=_indicator_kind(ind.get("kind")), unit=_text(ind.get("unit"))[:100], order=i_index)
        indicators.append(indicator)
        for year, text in (ind.get("targets") or {}).items():
            targets.append(IndicatorTarget(indicator=indicator, fiscal_year=int(year), target_text=_text(text)[:300],
                                           target_value=number_in(text)))
    Indicator.objects.bulk_create(indicators)
    for target in targets:
        target.indicator_id = target.indicator.pk
    IndicatorTarget.objects.bulk_create(targets)

    swot = []
    for s_index, item in enumerate(parsed.get("swot") or []):
        parsed_item = _swot_item(item)
        if parsed_item:
            kind, code, text = parsed_item
            swot.append(SwotItem(plan=plan, kind=kind, code=code[:20], text=text, order=s_index))
    for s_index, item in enumerate(parsed.get("tows") or [], start=len(swot)):
        parsed_item = _swot_item(item)
        if parsed_item:
            kind, code, text = parsed_item
            swot.append(SwotItem(plan=plan, kind=kind, code=code[:20], text=text, order=s_index))
    SwotItem.objects.bulk_create(swot)
    audit.record(plan, actor=actor, event="innovation_plans.plan.imported", action=audit.Action.CREATE,
                 data={"source_name": plan.source_name, "components": len(components),
                       "activities": len(activities), "indicators": len(indicators), "replaced_plan": replaced})

    if status == Plan.Status.PUBLISHED:
        publish_plan(plan=plan, actor=actor)
    return plan


@_as_actor
@transaction.atomic
def change_status(*, plan: Plan, target: str, actor=None) -> Plan:
    require(actor, "change", plan)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    workflow.check(plan, target)
    previous = plan.status
    plan.status = target
    if target == Plan.Status.PUBLISHED:
        plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(plan, actor=actor, event=f"innovation_plans.plan.{target}", changes={"status": [previous, target]})
    return plan


def publish_plan(*, plan: Plan, actor=None) -> Plan:
    if not plan.activities.exists():
        raise ValidationError(_("แผนที่ไม่มีโครงการ/กิจกรรมเผยแพร่ไม่ได้"))
    return change_status(plan=plan, target=Plan.Status.PUBLISHED, actor=actor)


def archive_plan(*, plan: Plan, actor=None) -> Plan:
    return change_status(plan=plan, target=Plan.Status.ARCHIVED, actor=actor)


@_as_actor
@transaction.atomic
def set_activity_budget(*, activity: Activity, budgets: dict[int, int | None], actor=None) -> dict:
    """The budget grid: one amount per fiscal year; None removes the year. Returns the changes made
    ({year: [before, after]}); nothing is written (not even an audit row) when no amount changed."""
    require(actor, "change", activity)
    plan_years = set(activity.plan.years)
    before = dict(ActivityBudget.objects.filter(activity=activity).values_list("fiscal_year", "amount"))
    changes = {}
    for year, amount in budgets.items():
        if year not in plan_years:
            raise ValidationError(_("ปี %(y)s อยู่นอกช่วงของแผน") % {"y": year})
        if amount is not None and amount < 0:
            raise ValidationError(_("งบประมาณต้องไม่ติดลบ"))
        if before.get(year) == amount:
            continue
        if amount is None:
            ActivityBudget.objects.filter(activity=activity, fiscal_year=year).delete()
        else:
            ActivityBudget.objects.update_or_create(activity=activity, fiscal_year=year, defaults={"amount": amount})
        changes[str(year)] = [before.get(year), amount]
    if changes:
        audit.record(activity, actor=actor, event="innovation_plans.activity.budget_set", changes=changes)
    return changes


@transaction.atomic
def record_monitoring(*, activity: Activity, fiscal_year: int, actor=None, status: str, progress_percent: int = 0,
                      actual_spend: int | None = None, methods: list[str] | None = None, notes: str = "",
                      indicator_actuals: dict | None = None) -> MonitoringRecord:
    """Create or update the yearly M&E of one activity, with indicator actuals ({indicator: "text"})."""
    require(actor, "change", activity)
    plan = activity.plan
    if fiscal_year not in plan.years:
        raise ValidationError(_("ปี %(y)s อยู่นอกช่วงของแผน") % {"y": fiscal_year})
    record = MonitoringRecord.objects.filter(activity=activity, fiscal_year=fiscal_year).first() or MonitoringRecord(
        activity=activity, fiscal_year=fiscal_year)
    record.status = status
    record.progress_percent = progress_percent
    record.actual_spend = actual_spend
    record.methods = list(methods or [])
    record.notes = notes
    actuals = {}
    for indicator, text in (indicator_actuals or {}).items():
        if indicator.plan_id != plan.pk:
            raise ValidationError(_("ตัวชี้วัดต้องอยู่ในแผนเดียวกัน"))
        actuals[indicator] = str(text)[:300]
    return save_monitoring(record=record, actor=actor, indicator_actuals=actuals)


_MONITORING_FIELDS = ("activity_id", "fiscal_year", "status", "progress_percent", "actual_spend", "methods", "notes")


@_as_actor
@transaction.atomic
def save_monitoring(*, record: MonitoringRecord, actor=None, indicator_actuals: dict | None = None) -> MonitoringRecord:
    """Save one M&E record as filled in (the staff form, or record_monitoring): checked, stamped with who
    recorded it, and audited with the fields that changed."""
    require(actor, "change", record)
    is_new = record.pk is None
    before = {} if is_new else MonitoringRecord.objects.filter(pk=record.pk).values(*_MONITORING_FIELDS).first() or {}
    if record.fiscal_year not in record.activity.plan.years:
        raise ValidationError(_("ปี %(y)s อยู่นอกช่วงของแผน") % {"y": record.fiscal_year})
    record.recorded_by = audit.person(actor)
    record.full_clean()
    record.save()
    for indicator, text in (indicator_actuals or {}).items():
        IndicatorActual.objects.update_or_create(
            record=record, indicator=indicator, defaults={"actual_text": text, "actual_value": number_in(text)})
    changes = {f.removesuffix("_id"): [before.get(f), getattr(record, f)] for f in _MONITORING_FIELDS
               if is_new or before.get(f) != getattr(record, f)}
    audit.record(record, actor=actor, event="innovation_plans.monitoring.recorded",
                 action=audit.Action.CREATE if is_new else audit.Action.UPDATE, changes=changes,
                 data={"indicator_actuals": {str(i.pk): t for i, t in indicator_actuals.items()}}
                 if indicator_actuals else None)
    return record


@_as_actor
@transaction.atomic
def add_evidence(*, record: MonitoringRecord, upload, title: str = "", actor=None) -> EvidenceFile:
    require(actor, "change", record)
    checked = uploads.check_file(upload, allowed=uploads.DOCUMENT_TYPES)
    evidence = EvidenceFile(record=record, title=title[:300], content_type=checked.mime, size=len(checked.data),
                            uploaded_by=audit.person(actor))
    evidence.file.save(checked.name, ContentFile(checked.data), save=False)
    evidence.save()
    audit.record(evidence, actor=actor, event="innovation_plans.evidence.added", action=audit.Action.CREATE,
                 data={"record": record.pk, "content_type": checked.mime, "size": len(checked.data)})
    return evidence


@_as_actor
@transaction.atomic
def remove_evidence(*, evidence: EvidenceFile, actor=None) -> None:
    """Delete one evidence file (row and stored file, the file once the row is gone for good)."""
    require(actor, "delete", evidence)
    audit.record(evidence, actor=actor, event="innovation_plans.evidence.removed", action=audit.Action.DELETE,
                 data={"record": evidence.record_id, "title": evidence.title})
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def request_report(*, actor, fmt: str, year: int | None = None, plan: Plan | None = None):
    """Queue a report as a background job (portal.machinery.jobs): one plan's, or with no plan the auditor's summary of
    every organization `actor` audits. The job belongs to `actor`, who alone follows and downloads it."""
    from . import reports
    from .jobs import REPORT

    if fmt not in reports.FORMATS:
        raise ValidationError(_("รูปแบบไม่รองรับ"))
    # The worker renders in the language the person asked in (headings, sheet names, progress messages).
    params = {"report": "plan" if plan is not None else "summary", "fmt": fmt, "year": year,
              "plan": plan.pk if plan is not None else None, "language": translation.get_language() or "th"}
    job = jobs.enqueue(kind=REPORT, organization=plan.organization if plan is not None else None, params=params,
                       actor=audit.person(actor))
    audit.record(job, actor=actor, event="innovation_plans.report.requested", action=audit.Action.CREATE,
                 data=params)
    return job


@transaction.atomic
def retry_report(*, job, actor) -> bool:
    """Send a failed report job, or one still waiting in the queue, again (the person pressed "try again").
    False when there is nothing to retry (it is running or done)."""
    if not audit.is_system(actor) and not jobs.visible_to(actor, job):
        raise PermissionDenied
    if not jobs.retry(job):
        return False
    audit.record(job, actor=actor, event="innovation_plans.report.retried", changes={"status": [job.status, "queued"]})
    return True


@transaction.atomic
def save_row(*, obj, actor=None, changed: list[str] | tuple = ()):
    """Save a plan, component, activity, indicator, SWOT or committee row as a staff form filled it in (the
    admin's plain editing): checked against the actor's role in the row's organization, then portal's audited
    save. Writes with rules of their own have their own service (budgets, status, M&E, evidence)."""
    require(actor, "add" if obj.pk is None else "change", obj)
    return portal_services.save_row(obj=obj, actor=actor, changed=changed)


@transaction.atomic
def delete_row(*, obj, actor=None) -> None:
    """Delete one such row (and what cascades from it), audited before it goes."""
    require(actor, "delete", obj)
    portal_services.delete_row(obj=obj, actor=actor)
