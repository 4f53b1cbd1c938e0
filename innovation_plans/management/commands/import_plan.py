"""python manage.py import_plan FILE [FILE ...] [--org SLUG] [--dry-run] [--json] [--publish] [--replace]"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import Organization


class Command(BaseCommand):
    help = _("นำเข้าแผนพัฒนานวัตกรรมจากไฟล์ (ข้อความ, .docx, CSV/XLSX ของระบบ) ทั้งหมดหรือไม่นำเข้าเลย "
             "เมื่อใช้ --dry-run --json จะพิมพ์ JSON หนึ่งชุด: แผนที่อ่านได้เมื่อมีไฟล์เดียว หรือ {\"plans\": [...]} เมื่อมีหลายไฟล์")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--org", metavar="SLUG",
                            help=_("องค์กรปลายทาง (ไม่ระบุ: จับคู่จากชื่อ อำเภอ จังหวัดในเอกสาร)"))
        parser.add_argument("--dry-run", action="store_true", help=_("อ่านและตรวจอย่างเดียว ไม่บันทึก"))
        parser.add_argument("--json", action="store_true", help=_("พิมพ์ผลเป็น JSON"))
        parser.add_argument("--publish", action="store_true", help=_("เผยแพร่ทันที"))
        parser.add_argument("--replace", action="store_true",
                            help=_("แทนที่แผนเดิมที่ชื่อและปีตรงกัน"))

    def handle(self, *args, files, org, dry_run, json: bool, publish, replace, **options):
        from innovation_plans.importer import PlanImportError, parse_plan

        as_json = json
        parsed_files = []
        for name in files:
            path = Path(name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                self._fail(as_json, _("อ่านไฟล์ไม่ได้: %(error)s") % {"error": exc.strerror}, name, None)
            try:
                parsed = parse_plan(data, path.name)
            except PlanImportError as exc:
                self._fail(as_json, str(exc), name, exc.line)
            parsed_files.append((path, data, parsed))

        organization = None
        if org:
            organization = Organization.objects.filter(slug=org).first()
            if organization is None:
                self._fail(as_json, _("ไม่พบองค์กรชื่อย่อ \"%(slug)s\"") % {"slug": org}, None, None)

        if dry_run:
            if as_json:
                result = parsed_files[0][2] if len(parsed_files) == 1 else {"plans": [p for _, _, p in parsed_files]}
                self.stdout.write(_dumps(result))
            else:
                for path, _data, parsed in parsed_files:
                    self._summary(path.name, parsed, saved=None)
            return

        from innovation_plans import services
        from innovation_plans.models import Plan
        from portal.audit import trail as audit

        saved = []
        try:
            with transaction.atomic():
                for path, data, parsed in parsed_files:
                    target = organization or services.match_organization(parsed.get("organization") or {})
                    plan = services.import_plan(
                        organization=target, parsed=parsed, source_name=path.name, source_bytes=data,
                        status=Plan.Status.PUBLISHED if publish else Plan.Status.DRAFT, replace=replace,
                        actor=audit.system("command:import_plan"))
                    saved.append((path, parsed, plan))
        except (services.OrganizationMatchError, services.DuplicatePlanError) as exc:
            self._fail(as_json, str(exc), str(path), None)
        except ValidationError as exc:
            self._fail(as_json, "; ".join(exc.messages), str(path), None)

        if as_json:
            payload = [{"file": str(p), "plan_id": plan.pk, "organization": plan.organization.slug,
                        "status": plan.status, "activity_count": parsed.get("activity_count"),
                        "budget_total": parsed.get("budget_total"), "warnings": parsed.get("warnings", [])}
                       for p, parsed, plan in saved]
            self.stdout.write(_dumps(payload[0] if len(payload) == 1 else {"plans": payload}))
        else:
            for path, parsed, plan in saved:
                self._summary(path.name, parsed, saved=plan)

    def _summary(self, name, parsed, saved):
        org = parsed.get("organization") or {}
        w = self.stdout.write
        w(f"{name}: {parsed.get('title')}")
        w("  " + _("องค์กร: %(name)s อำเภอ%(district)s จังหวัด%(province)s") % {
            "name": org.get("name"), "district": org.get("district"), "province": org.get("province")})
        w("  " + _("ปีงบประมาณ: %(start)s–%(end)s") % {
            "start": parsed.get("fiscal_year_start"), "end": parsed.get("fiscal_year_end")})
        w("  " + _("องค์ประกอบ: %(components)s, กิจกรรม: %(activities)s") % {
            "components": len(parsed.get("components") or []), "activities": parsed.get("activity_count")})
        by_year = parsed.get("budget_by_year") or {}
        w("  " + _("งบประมาณ: %(years)s; รวม %(total)s บาท") % {
            "years": ", ".join(f"{y}: {int(v):,}" for y, v in by_year.items() if v is not None),
            "total": f"{int(parsed.get('budget_total') or 0):,}"})
        w("  " + _("ตัวชี้วัด: %(indicators)s, SWOT: %(swot)s") % {
            "indicators": len(parsed.get("indicators") or []), "swot": len(parsed.get("swot") or [])})
        warnings = parsed.get("warnings") or []
        for warning in warnings:
            w(self.style.WARNING(f"  ! [{warning.get('code')}] {warning.get('message')}"))
        if saved is not None:
            w(self.style.SUCCESS("  " + _("บันทึกแล้ว: แผน %(pk)s (%(org)s, %(status)s)") % {
                "pk": saved.pk, "org": saved.organization.slug, "status": saved.get_status_display()}))
        else:
            w("  " + _("(ไม่ได้บันทึก: --dry-run)"))

    def _fail(self, as_json, message, file, line):
        if as_json:
            self.stdout.write(_dumps({"error": message, "file": file, "line": line}))
        raise CommandError(f"{file}: {message}" if file else message)


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)
