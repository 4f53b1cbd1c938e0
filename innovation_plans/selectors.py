"""Reads: plans with everything prefetched (query count independent of the number of activities), and the
figures every page, report and API shows (budget matrix stated vs computed, targets vs actuals, M&E)."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from portal.access.roles import Role
from portal.access.tenancy import scope

from .models import (
    Activity,
    ActivityBudget,
    Component,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    MonitoringRecord,
    Plan,
)

# Staff who may read and export plan reports of their organization.
REPORT_ROLES = (Role.AUDITOR, Role.ADMINISTRATOR, Role.OFFICER, Role.EXECUTIVE)


def published_plans(organization):
    return (Plan.objects.filter(organization=organization, status=Plan.Status.PUBLISHED)
            .annotate(activity_count=Count("activities"))
            .order_by("-fiscal_year_start", "title"))


def plans_for_user(user, roles=REPORT_ROLES):
    """Plans of the organizations where `user` holds one of `roles` (all plans for a superuser)."""
    return scope(Plan.objects.select_related("organization"), user, roles)


def plan_with_everything(queryset=None, activity_related=("department",)):
    """A plan queryset that loads components, activities, budgets, M&E, indicators and SWOT in a fixed number
    of queries."""
    queryset = queryset if queryset is not None else Plan.objects.all()
    activities = (Activity.objects.select_related(*activity_related)
                  .prefetch_related("budgets",
                                    Prefetch("monitoring_records",
                                             queryset=MonitoringRecord.objects.order_by("fiscal_year")
                                             .prefetch_related("evidence"))))
    return queryset.select_related("organization").prefetch_related(
        Prefetch("components", queryset=Component.objects.order_by("order", "number").prefetch_related(
            Prefetch("activities", queryset=activities.order_by("order", "id")))),
        Prefetch("indicators", queryset=Indicator.objects.select_related("component").prefetch_related(
            Prefetch("targets", queryset=IndicatorTarget.objects.order_by("fiscal_year")),
            Prefetch("actuals", queryset=IndicatorActual.objects.select_related("record")))),
        "swot_items",
        "committees__members",
    )


def get_public_plan(organization, plan_id):
    return plan_with_everything(Plan.objects.filter(organization=organization, status=Plan.Status.PUBLISHED)).get(
        pk=plan_id)


# --- figures ---------------------------------------------------------------------------------------------


@dataclass
class ActivityRow:
    activity: Activity
    component: Component
    by_year: dict[int, int]
    undivided: int | None  # one total for the whole activity, not split by year
    total: int
    years_active: list[int]
    records: dict[int, MonitoringRecord]

    def record(self, year):
        return self.records.get(year)

    @property
    def latest_record(self):
        return self.records[max(self.records)] if self.records else None


@dataclass
class ComponentRow:
    component: Component
    activities: list[ActivityRow]
    computed: dict[int, int]
    stated: dict[int, int]
    undivided: int
    computed_total: int
    stated_total: int | None
    mismatch_years: list[int] = field(default_factory=list)
    total_mismatch: bool = False


@dataclass
class PlanFigures:
    plan: Plan
    years: list[int]
    components: list[ComponentRow]
    computed: dict[int, int]
    stated: dict[int, int | None]
    undivided: int
    computed_total: int
    stated_total: int | None
    activity_count: int
    indicators: list[dict]
    monitoring: dict
    warnings: list[dict]
    has_undivided: bool

    @property
    def activities(self):
        return [a for c in self.components for a in c.activities]

    @property
    def has_disagreement(self):
        return any(c.mismatch_years or c.total_mismatch for c in self.components) or self.stated_total_mismatch

    @property
    def stated_total_mismatch(self):
        return self.stated_total is not None and self.stated_total != self.computed_total


def plan_figures(plan: Plan, fiscal_year: int | None = None) -> PlanFigures:
    """Everything reports show, computed in memory from a plan loaded with `plan_with_everything`."""
    years = plan.years
    components = []
    plan_computed = dict.fromkeys(years, 0)
    plan_stated: dict[int, int | None] = dict.fromkeys(years)
    plan_undivided = 0
    any_stated = False
    for component in plan.components.all():
        rows = []
        computed = dict.fromkeys(years, 0)
        undivided_sum = 0
        for activity in component.activities.all():
            by_year = {b.fiscal_year: b.amount for b in activity.budgets.all()}
            undivided = activity.budget_total if not by_year and activity.budget_total else None
            for year, amount in by_year.items():
                computed[year] = computed.get(year, 0) + amount
            undivided_sum += undivided or 0
            records = {r.fiscal_year: r for r in activity.monitoring_records.all()}
            rows.append(ActivityRow(
                activity=activity, component=component, by_year=by_year, undivided=undivided,
                total=sum(by_year.values()) + (undivided or 0), years_active=activity.year_span(years),
                records=records))
        stated = component.stated_by_year()
        stated_total = component.stated_overall()
        computed_total = sum(computed.values()) + undivided_sum
        mismatch = [y for y, v in stated.items() if v != computed.get(y, 0)]
        row = ComponentRow(component=component, activities=rows, computed=computed, stated=stated,
                           undivided=undivided_sum, computed_total=computed_total, stated_total=stated_total,
                           mismatch_years=sorted(mismatch),
                           total_mismatch=stated_total is not None and stated_total != computed_total)
        components.append(row)
        for year, amount in computed.items():
            plan_computed[year] = plan_computed.get(year, 0) + amount
        for year, amount in stated.items():
            any_stated = True
            plan_stated[year] = (plan_stated.get(year) or 0) + amount
        plan_undivided += undivided_sum

    stated_total = plan.stated_budget_total
    if stated_total is None and any_stated:
        stated_total = sum(v for v in plan_stated.values() if v is not None)
    if stated_total is None:
        overall = [c.stated_total for c in components if c.stated_total is not None]
        stated_total = sum(overall) if overall else None
    computed_total = sum(plan_computed.values()) + plan_undivided

    indicators = []
    for indicator in plan.indicators.all():
        targets = {t.fiscal_year: t for t in indicator.targets.all()}
        actuals: dict[int, list[IndicatorActual]] = {}
        for actual in indicator.actuals.all():
            actuals.setdefault(actual.record.fiscal_year, []).append(actual)
        indicators.append({"indicator": indicator, "targets": targets,
                           "actuals": {y: ", ".join(a.actual_text or str(a.actual_value) for a in items)
                                       for y, items in actuals.items()}})

    monitoring = monitoring_summary(components, [fiscal_year] if fiscal_year else years)
    return PlanFigures(
        plan=plan, years=years, components=components, computed=plan_computed, stated=plan_stated,
        undivided=plan_undivided, computed_total=computed_total, stated_total=stated_total,
        activity_count=sum(len(c.activities) for c in components), indicators=indicators, monitoring=monitoring,
        warnings=list(plan.import_warnings or []), has_undivided=plan_undivided > 0,
    )


def monitoring_summary(components: list[ComponentRow], years: list[int]) -> dict:
    """Per fiscal year: how many activities planned that year, monitored, by status; spend vs budget."""
    out = {}
    for year in years:
        planned = monitored = 0
        by_status: dict[str, int] = {}
        spend = budget = 0
        progress = []
        methods: dict[str, int] = {}
        for component in components:
            for row in component.activities:
                if year in row.years_active:
                    planned += 1
                    budget += row.by_year.get(year, 0)
                record = row.records.get(year)
                if record:
                    monitored += 1
                    by_status[record.status] = by_status.get(record.status, 0) + 1
                    spend += record.actual_spend or 0
                    progress.append(record.progress_percent)
                    for method in record.methods or []:
                        methods[method] = methods.get(method, 0) + 1
        labels = dict(MonitoringRecord.Status.choices)
        method_labels = dict(MonitoringRecord.Method.choices)
        out[year] = {
            "planned": planned, "monitored": monitored,
            "by_status": [(labels.get(k, k), v) for k, v in sorted(by_status.items())],
            "completed": by_status.get(MonitoringRecord.Status.COMPLETED, 0),
            "spend": spend, "budget": budget,
            "average_progress": round(sum(progress) / len(progress)) if progress else None,
            "methods": [(method_labels.get(k, k), v) for k, v in methods.items()],
        }
    return out


AUDITOR_PLAN_ORDER = ("organization__province", "organization__name_th", "-fiscal_year_start", "pk")


def auditor_plans(user, fiscal_year: int | None = None, roles=None):
    """The plans of the cross-organization summary, in its order: those of every organization the user audits (or
    staffs), not archived, running in `fiscal_year` when one is given. Plain rows: count and page them first."""
    plans = scope(Plan.objects.exclude(status=Plan.Status.ARCHIVED), user, roles)
    if fiscal_year:
        plans = plans.filter(fiscal_year_start__lte=fiscal_year, fiscal_year_end__gte=fiscal_year)
    return plans.order_by(*AUDITOR_PLAN_ORDER)


def plans_summary_for_auditor(user, fiscal_year: int | None = None, roles=None, *, plan_ids=None) -> list[dict]:
    """One line per plan of every organization the user audits (or staffs): the cross-organization summary; with
    `plan_ids`, the lines of those plans only (a page of the summary: each line reads the whole plan)."""
    plans = auditor_plans(user, fiscal_year, roles)
    if plan_ids is not None:
        plans = plans.filter(pk__in=plan_ids)
    lines = []
    for plan in plan_with_everything(plans):
        fig = plan_figures(plan, fiscal_year)
        years = [fiscal_year] if fiscal_year else fig.years
        mon = [fig.monitoring[y] for y in years]
        lines.append({
            "plan": plan, "figures": fig, "organization": plan.organization,
            "budget": sum(fig.computed.get(y, 0) for y in years) if fiscal_year else fig.computed_total,
            "stated": (fig.stated.get(fiscal_year) if fiscal_year else fig.stated_total),
            # Over the whole plan, "planned" is the number of activities (not activity-years: 42 activities
            # over five years are 42, not 210); in one year it is those that run that year.
            "planned": sum(m["planned"] for m in mon) if fiscal_year else fig.activity_count,
            "monitored": sum(m["monitored"] for m in mon),
            "completed": sum(m["completed"] for m in mon), "spend": sum(m["spend"] for m in mon),
            "warnings": len(fig.warnings), "disagreement": fig.has_disagreement,
        })
    return lines


def activities_in_year(queryset, fiscal_year: int):
    """Activities that run in a fiscal year (their span covers it, or they have a budget that year)."""
    return queryset.filter(
        Q(budgets__fiscal_year=fiscal_year)
        | (Q(start_year__lte=fiscal_year) | Q(start_year__isnull=True, plan__fiscal_year_start__lte=fiscal_year))
        & (Q(end_year__gte=fiscal_year) | Q(end_year__isnull=True, plan__fiscal_year_end__gte=fiscal_year))
    ).distinct()


def feed_budget_by_component_year(organization) -> list[dict]:
    """Open data: published plans' budgets summed per component and fiscal year (baht, whole numbers)."""
    from django.db.models import Sum

    rows = (ActivityBudget.objects
            .filter(activity__plan__organization=organization, activity__plan__status=Plan.Status.PUBLISHED)
            .values("activity__plan__title", "activity__plan__fiscal_year_start", "activity__plan__fiscal_year_end",
                    "activity__component__number", "activity__component__title", "fiscal_year")
            .annotate(activities=Count("activity", distinct=True), budget=Sum("amount"))
            .order_by("activity__plan__fiscal_year_start", "activity__plan__title", "activity__component__number",
                      "activity__component__title", "fiscal_year"))
    return [{"plan": r["activity__plan__title"],
             "plan_years": f"{r['activity__plan__fiscal_year_start']}-{r['activity__plan__fiscal_year_end']}",
             "component_number": r["activity__component__number"], "component": r["activity__component__title"],
             "fiscal_year": r["fiscal_year"], "activities": r["activities"], "budget": r["budget"]} for r in rows]
