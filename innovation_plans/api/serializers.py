from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Activity, Component, Indicator, MonitoringRecord, Plan


class BudgetsField(serializers.Field):
    def to_representation(self, activity):
        return {str(b.fiscal_year): b.amount for b in activity.budgets.all()}


@extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"},
                      "example": {"2566": 25000, "2567": 25000}})
class YearAmounts(BudgetsField):
    pass


class ActivitySerializer(serializers.ModelSerializer):
    budget_by_year = YearAmounts(source="*", read_only=True, help_text=_("งบประมาณรายปี (พ.ศ. → บาท)"))
    plan = serializers.PrimaryKeyRelatedField(read_only=True)
    organization = serializers.SlugRelatedField(source="plan.organization", slug_field="slug", read_only=True)
    component_number = serializers.IntegerField(source="component.number", read_only=True, allow_null=True)

    class Meta:
        model = Activity
        fields = ["id", "plan", "organization", "component_number", "number", "title", "details", "benefits",
                  "responsible_unit", "start_year", "end_year", "budget_total", "no_budget", "budget_by_year"]


class ComponentSerializer(serializers.ModelSerializer):
    activities = ActivitySerializer(many=True, read_only=True)

    class Meta:
        model = Component
        fields = ["id", "number", "title", "stated_total_by_year", "stated_activity_count", "activities"]


class IndicatorSerializer(serializers.ModelSerializer):
    targets = serializers.SerializerMethodField()
    component_number = serializers.IntegerField(source="component.number", read_only=True, allow_null=True)

    class Meta:
        model = Indicator
        fields = ["id", "component_number", "strategy", "name", "kind", "unit", "targets"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"},
                          "example": {"2566": "ร้อยละ ๘๐"}})
    def get_targets(self, obj):
        return {str(t.fiscal_year): t.target_text for t in obj.targets.all()}


class PlanListSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "organization", "title", "fiscal_year_start", "fiscal_year_end", "status", "published_at"]


class PlanDetailSerializer(PlanListSerializer):
    components = ComponentSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    budget_by_year = serializers.SerializerMethodField()
    budget_total = serializers.SerializerMethodField()

    class Meta(PlanListSerializer.Meta):
        fields = PlanListSerializer.Meta.fields + [
            "vision", "mission", "objectives", "goal", "stated_budget_total", "budget_by_year", "budget_total",
            "import_warnings", "components", "indicators"]

    def _figures(self, obj):
        from ..selectors import plan_figures

        if not hasattr(obj, "_api_figures"):
            obj._api_figures = plan_figures(obj)
        return obj._api_figures

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_budget_by_year(self, obj):
        return {str(y): v for y, v in self._figures(obj).computed.items()}

    def get_budget_total(self, obj) -> int:
        return self._figures(obj).computed_total


class MonitoringRecordSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(source="activity.plan.organization", slug_field="slug", read_only=True)
    plan = serializers.IntegerField(source="activity.plan_id", read_only=True)
    indicator_actuals = serializers.SerializerMethodField()
    evidence_count = serializers.SerializerMethodField()

    class Meta:
        model = MonitoringRecord
        fields = ["id", "organization", "plan", "activity", "fiscal_year", "status", "progress_percent",
                  "actual_spend", "methods", "notes", "indicator_actuals", "evidence_count", "recorded_at",
                  "updated_at"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_indicator_actuals(self, obj):
        return {str(a.indicator_id): a.actual_text for a in obj.indicator_actuals.all()}

    def get_evidence_count(self, obj) -> int:
        return len(obj.evidence.all())
