import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from innovation_plans import selectors, services
from innovation_plans.models import (
    Activity,
    ActivityBudget,
    Component,
    EvidenceFile,
    Indicator,
    IndicatorTarget,
    MonitoringRecord,
    Plan,
    SwotItem,
)
from tests.innovation_plans.factories import make_plan, make_tenant_objects, parsed_plan
from tests.portal.factories import DepartmentFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_import_saves_everything_with_stated_totals_and_warnings(org):
    DepartmentFactory(organization=org, name_th="กองคลัง", code="finance")
    parsed = parsed_plan(stated={"2567": 99999})
    parsed["warnings"] = [{"code": "stated_total_mismatch", "component": 1, "year": 2567, "stated": 99999,
                           "computed": 20000, "message": "รวมไม่ตรง"}]
    plan = services.import_plan(organization=org, parsed=parsed, source_name="x.txt", source_bytes=b"abc")
    assert plan.status == Plan.Status.DRAFT
    assert plan.source_document.read() == b"abc"
    assert plan.components.count() == 2
    assert Activity.objects.filter(plan=plan).count() == 4
    assert ActivityBudget.objects.filter(activity__plan=plan).count() == 20
    assert plan.import_warnings[0]["code"] == "stated_total_mismatch"
    finance = Activity.objects.filter(plan=plan, responsible_unit="กองคลัง").first()
    assert finance.department.code == "finance"
    target = IndicatorTarget.objects.get(indicator__name="จำนวนนวัตกรรม", fiscal_year=2566)
    assert target.target_text == "ไม่น้อยกว่า ๓ ชิ้น" and target.target_value == 3
    assert Indicator.objects.get(name="จำนวนนวัตกรรม").kind == "output"
    assert sorted(SwotItem.objects.filter(plan=plan).values_list("code", "kind")) == [
        ("S1", "S"), ("SO1", "SO"), ("W1", "W")]

    fig = selectors.plan_figures(selectors.plan_with_everything().get(pk=plan.pk))
    first = fig.components[0]
    assert first.computed[2567] == 20000 and first.stated[2567] == 99999
    assert first.mismatch_years == [2567]
    assert fig.computed_total == 200000
    assert fig.has_disagreement


def test_flat_plan_keeps_one_total_per_activity(org):
    parsed = parsed_plan(components=1, activities=2, flat=True, amount=5000)
    parsed["components"][0]["stated_total_by_year"] = {"total": 30000}
    plan = services.import_plan(organization=org, parsed=parsed, source_name="flat.txt")
    component = plan.components.get()
    assert component.number is None
    fig = selectors.plan_figures(selectors.plan_with_everything().get(pk=plan.pk))
    assert fig.undivided == 10000 and fig.computed_total == 10000
    assert fig.stated_total == 30000 and fig.stated_total_mismatch


def test_import_is_all_or_nothing(org):
    parsed = parsed_plan()
    parsed["components"][1]["activities"][0]["budget_by_year"] = {"2566": "ไม่ใช่ตัวเลข"}
    with pytest.raises(ValueError):
        services.import_plan(organization=org, parsed=parsed, source_name="bad.txt")
    assert not Plan.objects.exists() and not Component.objects.exists() and not Activity.objects.exists()


def test_bad_years_are_refused(org):
    parsed = parsed_plan()
    parsed["fiscal_year_end"] = 2560
    with pytest.raises(ValidationError):
        services.import_plan(organization=org, parsed=parsed, source_name="bad.txt")
    assert not Plan.objects.exists()


def test_duplicate_refused_unless_replace(org):
    plan = make_plan(org)
    with pytest.raises(services.DuplicatePlanError):
        make_plan(org)
    parsed = parsed_plan(name=org.name_th, district=org.district, province=org.province)
    again = services.import_plan(organization=org, parsed=parsed, source_name="t.txt", replace=True)
    assert again.pk != plan.pk and Plan.objects.count() == 1


def test_match_organization():
    a = OrganizationFactory(name_th="เทศบาลตำบลคำใหญ่", district="ห้วยเม็ก", province="กาฬสินธุ์")
    OrganizationFactory(name_th="เทศบาลตำบลคำใหญ่", district="อื่น", province="อื่น")
    assert services.match_organization({"name": "เทศบาลตำบล คำใหญ่", "district": "อำเภอห้วยเม็ก",
                                        "province": "กาฬสินธุ์"}) == a
    with pytest.raises(services.OrganizationMatchError):
        services.match_organization({"name": "เทศบาลตำบลไม่มีจริง"})
    with pytest.raises(services.OrganizationMatchError):
        services.match_organization({"name": "เทศบาลตำบลคำใหญ่"})


def test_publish_workflow(org):
    plan = make_plan(org, status=Plan.Status.DRAFT)
    plan = services.publish_plan(plan=plan)
    assert plan.status == Plan.Status.PUBLISHED and plan.published_at
    plan = services.archive_plan(plan=plan)
    with pytest.raises(ValidationError):
        services.publish_plan(plan=plan)


def test_monitoring_and_evidence(org):
    plan = make_plan(org)
    activity = plan.activities.first()
    record = services.record_monitoring(activity=activity, fiscal_year=2567, status="in_progress",
                                        progress_percent=40, actual_spend=1000, methods=["surveys", "interviews"],
                                        indicator_actuals={plan.indicators.first(): "ร้อยละ 82"})
    assert record.indicator_actuals.get().actual_value == 82
    with pytest.raises(ValidationError):
        services.record_monitoring(activity=activity, fiscal_year=2580, status="in_progress")
    with pytest.raises(ValidationError):
        services.record_monitoring(activity=activity, fiscal_year=2567, status="completed", progress_percent=50)
    with pytest.raises(ValidationError):
        services.record_monitoring(activity=activity, fiscal_year=2567, status="in_progress", methods=["magic"])
    services.add_evidence(record=record, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\nhello"))
    # A text file renamed to .pdf is refused: the type is checked by content.
    with pytest.raises(ValidationError):
        services.add_evidence(record=record, upload=SimpleUploadedFile("fake.pdf", b"just text"))
    assert EvidenceFile.objects.count() == 1
    fig = selectors.plan_figures(selectors.plan_with_everything().get(pk=plan.pk), 2567)
    assert fig.monitoring[2567]["monitored"] == 1 and fig.monitoring[2567]["spend"] == 1000
    assert fig.indicators[0]["actuals"][2567] == "ร้อยละ 82"


def test_evidence_size_limit(org, settings):
    settings.UPLOAD_MAX_BYTES = 100
    plan = make_plan(org)
    record = services.record_monitoring(activity=plan.activities.first(), fiscal_year=2566, status="in_progress")
    with pytest.raises(ValidationError, match="ใหญ่เกิน"):
        services.add_evidence(record=record, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"x" * 200))


def test_make_tenant_objects(org):
    make_tenant_objects(org)
    assert MonitoringRecord.objects.filter(activity__plan__organization=org).count() == 1
