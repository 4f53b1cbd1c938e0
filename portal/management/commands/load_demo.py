from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.demo import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = _("สร้างองค์กร หน่วยงาน และบัญชีเจ้าหน้าที่ตัวอย่าง (เรียกซ้ำได้)")

    def handle(self, *args, **options):
        logins = load_all(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(_("ข้อมูลตัวอย่างพร้อมแล้ว")))
        self.stdout.write(_("รหัสผ่านทุกบัญชี: %(password)s") % {"password": DEMO_PASSWORD})
        for username, description in logins:
            self.stdout.write(f"  {username:<24} {description}")
