"""Import the national list of local administrative organizations (the Department of Local Administration's CSV
or XLSX) into the directory an organization is invited from.

    manage.py import_dla_directory <file.csv|file.xlsx> [--dry-run]

Rows are matched by their 7-digit DLA code: a new code is added, a known one updated, nothing is duplicated, so
the same file imported twice changes nothing. With a bad row nothing is written and every bad row is listed
with its row number. `--dry-run` prints what would be added and updated and writes nothing.
A sample of the format: portal/onboarding/sample_directory.csv (its codes are examples).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.audit import trail as audit
from portal.onboarding import services
from portal.onboarding.directory import DirectoryFileError, read_directory


class Command(BaseCommand):
    help = "Import the DLA's list of local administrative organizations (CSV or XLSX), keyed by the 7-digit code."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")

    def handle(self, *args, path, dry_run, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        try:
            rows, errors = read_directory(source.read_bytes(), source.name)
        except DirectoryFileError as exc:
            raise CommandError(str(exc)) from None
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(f"ไม่ได้บันทึกข้อมูลใด ๆ: {len(errors)} แถวผิด")
        if dry_run:
            plan = services.plan_directory_import(rows)
            for row in plan.create:
                self.stdout.write(f"+ {row.code} {row.name_th} ({row.district}, {row.province})")
            for entry, changes in plan.update:
                self.stdout.write(f"~ {entry.code} {entry.name_th}: " + "; ".join(
                    f"{name} {old} → {new}" for name, (old, new) in changes.items()))
            prefix = "ทดลอง (ไม่บันทึก): "
        else:
            plan = services.import_directory(rows=rows, actor=audit.system("command:import_dla_directory"))
            prefix = ""
        self.stdout.write(self.style.SUCCESS(
            f"{prefix}เพิ่ม {len(plan.create)} แก้ไข {len(plan.update)} ไม่เปลี่ยน {plan.unchanged}"))
