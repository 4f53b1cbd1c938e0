import factory

from innovation_plans import models as m
from tests.portal.factories import OrganizationFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Plan

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"แผนพัฒนานวัตกรรมทดสอบ {n}")
    fiscal_year_start = 2566
    fiscal_year_end = 2570
    status = m.Plan.Status.PUBLISHED


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Component

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"องค์ประกอบที่ {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Activity

    component = factory.SubFactory(ComponentFactory)
    plan = factory.SelfAttribute("component.plan")
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"โครงการทดสอบ {n}")
    responsible_unit = "สำนักปลัด"


def parsed_plan(*, name="เทศบาลตำบลทดสอบ", district="เมือง", province="ขอนแก่น", components=2, activities=2,
                amount=10000, start=2566, end=2570, stated=None, flat=False):
    """A dict in the importer's contract shape (what parse_plan returns)."""
    years = list(range(start, end + 1))
    comps = []
    count = 0
    for c in range(components):
        acts = []
        for a in range(activities):
            count += 1
            by_year = {} if flat else {str(y): amount for y in years}
            acts.append({
                "number": a + 1, "title": f"กิจกรรม {c + 1}.{a + 1}", "details": "รายละเอียด",
                "benefits": "ประชาชนได้รับบริการดีขึ้น", "responsible_unit": "กองคลัง" if a % 2 else "สำนักปลัด",
                "start_year": start, "end_year": end, "budget_total": amount if flat else amount * len(years),
                "budget_by_year": by_year, "no_budget": False,
            })
        stated_year = {str(y): amount * activities for y in years} if not flat else {}
        comps.append({"number": None if flat else c + 1, "title": "" if flat else f"องค์ประกอบ {c + 1}",
                      "activities": acts, "stated_total_by_year": stated_year})
    if stated:
        comps[0]["stated_total_by_year"].update(stated)
    budget_by_year = {str(y): 0 if flat else amount * activities * components for y in years}
    return {
        "organization": {"name": name, "district": district, "province": province},
        "title": f"แผนพัฒนานวัตกรรม{name}", "fiscal_year_start": start, "fiscal_year_end": end,
        "components": comps, "activity_count": count, "budget_by_year": budget_by_year,
        "budget_total": sum(budget_by_year.values()) + (amount * count if flat else 0),
        "indicators": [{"name": "ร้อยละความพึงพอใจของผู้รับบริการ", "kind": "outcome",
                        "targets": {str(y): f"ร้อยละ {80 + i}" for i, y in enumerate(years)}},
                       {"name": "จำนวนนวัตกรรม", "kind": "ผลผลิต",
                        "targets": {str(y): "ไม่น้อยกว่า ๓ ชิ้น" for y in years}}],
        "swot": [{"kind": "S", "code": "S1", "text": "ผู้บริหารให้ความสำคัญ"}, "W1 งบประมาณจำกัด",
                 {"kind": "SO", "code": "SO1", "text": "ใช้เทคโนโลยีให้บริการ"}],
        "warnings": [],
    }


def make_plan(organization, *, components=2, activities=2, status=m.Plan.Status.PUBLISHED, **kwargs):
    from innovation_plans.services import import_plan

    parsed = parsed_plan(name=organization.name_th, district=organization.district, province=organization.province,
                         components=components, activities=activities, **kwargs)
    plan = import_plan(organization=organization, parsed=parsed, source_name="test.txt", status=status)
    return plan


def make_tenant_objects(organization):
    """One row of every innovation_plans model the admin/API exposes, for `organization`."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from innovation_plans import services

    plan = make_plan(organization, components=1, activities=1)
    activity = plan.activities.first()
    indicator = plan.indicators.first()
    record = services.record_monitoring(activity=activity, fiscal_year=2566, status="completed",
                                        progress_percent=100, actual_spend=5000, methods=["documents"],
                                        indicator_actuals={indicator: "ร้อยละ 85"})
    services.add_evidence(record=record, upload=SimpleUploadedFile("e.pdf", b"%PDF-1.4\n%test\n"), title="หลักฐาน")
    committee = m.EvaluationCommittee.objects.create(plan=plan, fiscal_year=2566, order_reference="1/2566")
    m.CommitteeMember.objects.create(committee=committee, name="นายทดสอบ ระบบ", role="chair")
    return plan


def _graph(organization) -> dict:
    """A draft (unpublished) plan with one row of every innovation_plans model, built once per organization object."""
    graph = getattr(organization, "_plans_tenancy", None)
    if graph is not None:
        return graph
    from django.core.files.uploadedfile import SimpleUploadedFile

    from innovation_plans import services

    plan = make_plan(organization, components=1, activities=1, status=m.Plan.Status.DRAFT)
    activity = plan.activities.first()
    indicator = plan.indicators.first()
    record = services.record_monitoring(activity=activity, fiscal_year=2566, status="completed",
                                        progress_percent=100, actual_spend=5000, methods=["documents"],
                                        indicator_actuals={indicator: "ร้อยละ 85"})
    evidence = services.add_evidence(record=record, upload=SimpleUploadedFile("e.pdf", b"%PDF-1.4\n%test\n"),
                                     title="หลักฐาน")
    committee = m.EvaluationCommittee.objects.create(plan=plan, fiscal_year=2566, order_reference="1/2566")
    member = m.CommitteeMember.objects.create(committee=committee, name="นายทดสอบ ระบบ", role="chair")
    graph = {
        m.Plan: plan, m.Component: plan.components.first(), m.Activity: activity,
        m.ActivityBudget: activity.budgets.first(), m.Indicator: indicator, m.IndicatorTarget: indicator.targets.first(),
        m.SwotItem: plan.swot_items.first(),
        m.EvaluationCommittee: committee, m.CommitteeMember: member, m.MonitoringRecord: record,
        m.IndicatorActual: record.indicator_actuals.first(), m.EvidenceFile: evidence,
    }
    organization._plans_tenancy = graph
    return graph


# Tenancy test hook (tests/portal/test_tenancy.py): one saved row of every organization-owned model. The plan is a
# draft: public viewsets must not show it to anybody outside its organization.
TENANCY_FACTORIES = {model: (lambda organization, model=model: _graph(organization)[model]) for model in (
    m.Plan, m.Component, m.Activity, m.ActivityBudget, m.Indicator, m.IndicatorTarget, m.SwotItem,
    m.EvaluationCommittee, m.CommitteeMember, m.MonitoringRecord, m.IndicatorActual, m.EvidenceFile)}
