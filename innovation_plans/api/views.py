"""Read API: published plans and their activities for everyone; drafts and M&E records for the organization's staff."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from portal.access.permissions import organization_ids_for
from portal.api.viewsets import IsOrganizationStaff, OrganizationScopedViewSetMixin
from portal.selectors import services_off

from .. import selectors
from ..models import Activity, MonitoringRecord, Plan
from . import serializers

YEAR_ERRORS = {"invalid": _("ปีงบประมาณต้องเป็นตัวเลข พ.ศ. เช่น 2567")}
NUMBER_ERRORS = {"invalid": _("ต้องเป็นตัวเลข")}
CHOICE_ERRORS = {"invalid_choice": _("ไม่มีค่า %(value)s ในตัวเลือก")}


def _visible_plans(request):
    """Published plans of active organizations for everyone, plus every plan of the caller's own organizations."""
    user = request.user
    if user.is_authenticated and user.is_superuser:
        return Q()
    condition = Q(status=Plan.Status.PUBLISHED, organization__is_active=True) \
        & ~Q(organization__in=services_off().get("innovation_plans", ()))  # switched off: not public
    if user.is_authenticated:
        condition |= Q(organization__in=organization_ids_for(user))
    return condition


class PlanFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="organization__slug", help_text=_("ชื่อย่อขององค์กร (slug)"))
    fiscal_year = django_filters.NumberFilter(method="filter_year", error_messages=YEAR_ERRORS,
                                              help_text=_("แผนที่ครอบคลุมปีงบประมาณ (พ.ศ.)"))
    status = django_filters.ChoiceFilter(choices=Plan.Status.choices, error_messages=CHOICE_ERRORS)

    class Meta:
        model = Plan
        fields = ["organization", "fiscal_year", "status"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(fiscal_year_start__lte=value, fiscal_year_end__gte=value)


@extend_schema_view(
    list=extend_schema(summary=_("แผนพัฒนานวัตกรรม"),
                       description=_("แผนที่เผยแพร่แล้ว (เจ้าหน้าที่เห็นร่างขององค์กรตนด้วย)")),
    retrieve=extend_schema(summary=_("แผนพร้อมองค์ประกอบ กิจกรรม งบรายปี ตัวชี้วัด")),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Plan.objects.all()  # narrowed in get_queryset: published, or the caller's own organizations
    permission_classes = [permissions.AllowAny]
    filterset_class = PlanFilter
    public_read = True

    def get_queryset(self):
        qs = Plan.objects.filter(_visible_plans(self.request)).select_related("organization").order_by(
            "organization__slug", "-fiscal_year_start", "id")
        if self.action == "retrieve":
            qs = selectors.plan_with_everything(qs, activity_related=("department", "component", "plan__organization"))
        return qs

    def get_serializer_class(self):
        return serializers.PlanDetailSerializer if self.action == "retrieve" else serializers.PlanListSerializer


class ActivityFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="plan__organization__slug")
    # plan__id, not plan_id: Django bounds lookups on the id itself (a 40-digit plan matches nothing instead of
    # overflowing the database integer into a 500).
    plan = django_filters.NumberFilter(field_name="plan__id", error_messages=NUMBER_ERRORS)
    fiscal_year = django_filters.NumberFilter(method="filter_year", error_messages=YEAR_ERRORS,
                                              help_text=_("กิจกรรมที่ดำเนินการในปีนี้"))
    status = django_filters.ChoiceFilter(choices=MonitoringRecord.Status.choices, method="filter_status",
                                         error_messages=CHOICE_ERRORS,
                                         help_text=_("สถานะการติดตาม (ในปีที่ระบุ ถ้ามี)"))

    class Meta:
        model = Activity
        fields = ["organization", "plan", "fiscal_year", "status"]

    def filter_year(self, queryset, name, value):
        return selectors.activities_in_year(queryset, int(value))

    def filter_status(self, queryset, name, value):
        year = self.data.get("fiscal_year")
        condition = Q(monitoring_records__status=value)
        if year and str(year).isdigit():
            condition &= Q(monitoring_records__fiscal_year=int(year))
        return queryset.filter(condition).distinct()


@extend_schema_view(list=extend_schema(summary="โครงการ/กิจกรรม"), retrieve=extend_schema(summary="กิจกรรม"))
class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Activity.objects.all()  # narrowed in get_queryset like plans
    permission_classes = [permissions.AllowAny]
    serializer_class = serializers.ActivitySerializer
    filterset_class = ActivityFilter
    public_read = True

    def get_queryset(self):
        plans = Plan.objects.filter(_visible_plans(self.request))
        return (Activity.objects.filter(plan__in=plans).select_related("plan__organization", "component")
                .prefetch_related("budgets").order_by("plan_id", "order", "id"))


class MonitoringFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="activity__plan__organization__slug")
    plan = django_filters.NumberFilter(field_name="activity__plan__id", error_messages=NUMBER_ERRORS)  # see ActivityFilter
    fiscal_year = django_filters.NumberFilter(error_messages=YEAR_ERRORS)
    status = django_filters.ChoiceFilter(choices=MonitoringRecord.Status.choices, error_messages=CHOICE_ERRORS)

    class Meta:
        model = MonitoringRecord
        fields = ["organization", "plan", "fiscal_year", "status"]


@extend_schema_view(list=extend_schema(summary=_("ผลการติดตามและประเมินผล (เจ้าหน้าที่)")))
class MonitoringRecordViewSet(OrganizationScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsOrganizationStaff]
    serializer_class = serializers.MonitoringRecordSerializer
    filterset_class = MonitoringFilter
    queryset = (MonitoringRecord.objects.select_related("activity__plan__organization")
                .prefetch_related("indicator_actuals", "evidence").order_by("-fiscal_year", "id"))
