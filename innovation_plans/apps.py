from django.utils.translation import gettext_lazy as _

from portal.access.roles import STANDARD, VIEW, Role
from portal.registry import ServiceAppConfig

# Legal officers read plans; editing them is the planners' work.
PLAN_DATA = {**STANDARD, Role.LEGAL_OFFICER: VIEW}


AUDITOR_HOME_PLANS = 20


class InnovationPlansConfig(ServiceAppConfig):
    name = "innovation_plans"
    verbose_name = _("แผนนวัตกรรม")
    root_url_module = "innovation_plans.root_urls"
    api_url_module = "innovation_plans.api.urls"
    audit_events = {
        "innovation_plans.activity.budget_set": _("กำหนดงบประมาณกิจกรรม"),
        "innovation_plans.evidence.added": _("เพิ่มหลักฐาน"),
        "innovation_plans.evidence.removed": _("ลบหลักฐาน"),
        "innovation_plans.monitoring.recorded": _("บันทึกผลการติดตาม"),
        "innovation_plans.plan.imported": _("นำเข้าแผน"),
        "innovation_plans.plan.published": _("เผยแพร่แผน"),
        "innovation_plans.plan.replaced": _("แทนที่แผน"),
        "innovation_plans.plan.draft": _("คืนแผนเป็นร่าง"),
        "innovation_plans.plan.archived": _("เก็บแผนถาวร"),
        "innovation_plans.report.requested": _("ขอรายงาน"),
        "innovation_plans.report.retried": _("สร้างรายงานใหม่"),
    }
    role_permissions = {
        **{model: PLAN_DATA for model in (
            "plan", "component", "activity", "activitybudget", "indicator", "indicatortarget", "swotitem",
            "evaluationcommittee", "committeemember", "monitoringrecord", "indicatoractual", "evidencefile")},
    }

    service_links_models = ("Plan",)  # decide service_links (portal.web.front_door forgets the home page)

    def service_links(self, organization):
        """Shown once the organization has published a plan (nothing to read before that)."""
        from django.urls import reverse

        from . import selectors

        if not selectors.published_plans(organization).exists():
            return []
        return [{"label": _("แผนพัฒนานวัตกรรม"),
                 "url": reverse("innovation_plans:plan-list", args=[organization.slug]),
                 "description": _("โครงการ งบประมาณรายปี ตัวชี้วัด และผลการติดตามประเมินผล")}]

    def setup_steps(self):
        from .setup import setup_steps

        return setup_steps()

    def staff_home(self, request):
        """An auditor's admin home: the plans they audit, each with its report per fiscal year (PDF, XLSX, CSV
        in one click) and the cross-organization summary."""
        from django.template.loader import render_to_string
        from django.utils import timezone

        from portal import thai
        from portal.access.permissions import organization_ids_for

        from .models import Plan

        org_ids = organization_ids_for(request.user, roles=[Role.AUDITOR])
        if not org_ids:
            return []
        this_year = thai.fiscal_year(timezone.localdate())
        # a superuser audits every organization: no list of 7,850 ids to send and match
        plans = Plan.objects.filter(organization__is_active=True)
        if not request.user.is_superuser:
            plans = plans.filter(organization_id__in=org_ids)
        plans = (plans
                 .exclude(status=Plan.Status.ARCHIVED).select_related("organization")
                 .order_by("organization__name_th", "-fiscal_year_start"))
        # An auditor of a whole province (or a superuser of thousands of organizations) gets the first plans and the
        # cross-organization summary, which pages, for the rest: the page stays small at any size.
        shown = list(plans[:AUDITOR_HOME_PLANS + 1])
        more = plans.count() - AUDITOR_HOME_PLANS if len(shown) > AUDITOR_HOME_PLANS else 0
        rows = [{"plan": plan, "years": plan.years,
                 "year": min(max(this_year, plan.fiscal_year_start), plan.fiscal_year_end)}
                for plan in shown[:AUDITOR_HOME_PLANS]]
        return [{"title": _("รายงานสำหรับผู้ตรวจสอบ"), "html": render_to_string(
            "admin/innovation_plans/auditor_home.html", {"rows": rows, "year": this_year, "more": more},
            request=request)}]

    def load_demo(self, organization, *, stdout=None):
        from .demo import load_demo

        load_demo(organization, stdout=stdout)
        return []

    def data_feeds(self):
        """Open-data feeds (aggregates only) published by the open-data app as live datasets."""
        from .feeds import data_feeds

        return data_feeds()
