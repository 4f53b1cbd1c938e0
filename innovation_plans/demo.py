"""Demo: the three seed plans, published, for khamyai / nangrong / phannanakhon, and a little M&E."""

from pathlib import Path

from django.db import transaction

from portal.audit import trail as audit

# The demo loader's writes are audited under this name (no person made them).
DEMO_ACTOR = audit.system("command:load_demo")
SEEDS = Path(__file__).resolve().parent / "seeds"
PLANS = {"khamyai": "khamyai_plan.txt", "nangrong": "nangrong_plan.txt", "phannanakhon": "phannanakhon_plan.txt"}


def load_demo(organization, *, stdout=None):
    """The seed plan of this organization, if one ships for it (idempotent)."""
    from .importer import parse_plan
    from .models import EvaluationCommittee, Plan

    say = stdout.write if stdout else (lambda *_: None)
    filename = PLANS.get(organization.slug)
    if filename is None:
        return
    path = SEEDS / filename
    if path.exists() and not Plan.objects.filter(organization=organization, source_name=filename).exists():
        data = path.read_bytes()
        parsed = parse_plan(data, filename)
        with transaction.atomic():
            from . import services

            plan = services.import_plan(organization=organization, parsed=parsed, source_name=filename,
                                        source_bytes=data, status=Plan.Status.PUBLISHED, actor=DEMO_ACTOR)
            _demo_monitoring(plan)
            committee, _ = EvaluationCommittee.objects.get_or_create(
                plan=plan, fiscal_year=2567, defaults={"order_reference": f"คำสั่ง {organization.name_th} ที่ 120/2567"})
            if not committee.members.exists():
                for name, position, role in (("นายสมชาย ใจดี", "ปลัด", "chair"),
                                             ("นางสาวสุดา ศรีสุข", "ผู้อำนวยการกองคลัง", "member"),
                                             ("นายวิชัย มั่นคง", "นักวิเคราะห์นโยบายและแผน", "secretary")):
                    committee.members.create(name=name, position=position, role=role)
        say(f"  innovation_plans: {organization.slug} ← {filename} ({plan.activities.count()} activities, "
            f"{len(plan.import_warnings)} warnings)\n")
        for line in explain_warnings(plan.import_warnings):
            say(f"    · {line}\n")


def explain_warnings(warnings) -> list[str]:
    """One sentence per import warning for the console: what kind it is and what the document says, so nobody
    mistakes a seed document's own inconsistency for a failed import."""
    from django.utils.translation import gettext as _

    from .warning_text import warning_sentence

    lines = []
    for w in warnings or []:
        where = " (" + _("บรรทัด %(line)s") % {"line": w["line"]} + ")" if w.get("line") else ""
        lines.append(f"{warning_sentence(w)}{where}")
    return lines


def _demo_monitoring(plan):
    from . import services
    from .models import MonitoringRecord

    statuses = [(MonitoringRecord.Status.COMPLETED, 100), (MonitoringRecord.Status.IN_PROGRESS, 60),
                (MonitoringRecord.Status.DELAYED, 20)]
    indicators = list(plan.indicators.all()[:1])
    for i, activity in enumerate(plan.activities.order_by("order")[:3]):
        year = max(plan.fiscal_year_start, min(2567, plan.fiscal_year_end))
        status, progress = statuses[i % len(statuses)]
        budget = activity.budgets.filter(fiscal_year=year).first()
        spend = int(budget.amount * progress / 100) if budget and budget.amount else None
        services.record_monitoring(
            activity=activity, fiscal_year=year, status=status, progress_percent=progress, actual_spend=spend,
            methods=["documents", "interviews"] if i % 2 == 0 else ["surveys", "observation"],
            notes="ข้อมูลตัวอย่างสำหรับการสาธิต",
            indicator_actuals={indicators[0]: "ร้อยละ 82"} if indicators and i == 0 else None, actor=DEMO_ACTOR)
