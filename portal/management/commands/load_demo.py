from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = "สร้างข้อมูลตัวอย่าง (เรียกซ้ำได้) / Create demo organizations, departments and staff users (idempotent)"

    def handle(self, *args, **options):
        logins = load_all(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("ข้อมูลตัวอย่างพร้อมแล้ว / demo data ready"))
        self.stdout.write(f"รหัสผ่านทุกบัญชี / password for every account: {DEMO_PASSWORD}")
        for username, description in logins:
            self.stdout.write(f"  {username:<24} {description}")
