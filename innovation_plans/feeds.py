"""Open-data feed of the innovation plans: published plans' budgets by component and fiscal year."""

from django.utils.translation import gettext_lazy as _

from portal.registry import DataFeed, FeedField

from . import selectors


def data_feeds() -> list[DataFeed]:
    return [
        DataFeed(
            name="innovation-plan-budgets",
            title=_("งบประมาณแผนพัฒนานวัตกรรมตามองค์ประกอบและปีงบประมาณ"),
            description=_("งบประมาณของโครงการ/กิจกรรมในแผนที่เผยแพร่แล้ว รวมตามองค์ประกอบและปีงบประมาณ"),
            fields=(
                FeedField("plan", "text", description=_("ชื่อแผน")),
                FeedField("plan_years", "text", description=_("ช่วงปีงบประมาณของแผน (พ.ศ.)")),
                FeedField("component_number", "integer", description=_("ลำดับองค์ประกอบ")),
                FeedField("component", "text", description=_("ชื่อองค์ประกอบหรือยุทธศาสตร์")),
                FeedField("fiscal_year", "integer", description=_("ปีงบประมาณ (พ.ศ.)")),
                FeedField("activities", "integer", unit=_("โครงการ"), description=_("จำนวนโครงการ/กิจกรรมที่มีงบ")),
                FeedField("budget", "integer", unit=_("บาท"), description=_("งบประมาณรวม")),
            ),
            rows=selectors.feed_budget_by_component_year,
            category="budget", tags=("งบประมาณ", "แผนพัฒนานวัตกรรม"), update_frequency_unit="เดือน",
            app_label="innovation_plans",
            sources=("innovation_plans.Plan", "innovation_plans.Component", "innovation_plans.Activity",
                     "innovation_plans.ActivityBudget"),
        ),
    ]
