"""Demo data: the organizations of the seed plans, their departments and one staff user per role."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import Department, Membership, Organization, Role
from portal.registry import service_apps

DEMO_PASSWORD = "demo-portal-2568"

ORGANIZATIONS = [
    {"slug": "khamyai", "name_th": "เทศบาลตำบลคำใหญ่", "name_en": "Kham Yai Subdistrict Municipality",
     "kind": Organization.Kind.SUBDISTRICT_MUNICIPALITY, "subdistrict": "คำใหญ่", "district": "ห้วยเม็ก",
     "province": "กาฬสินธุ์", "code_prefix": "KY", "tax_id": "0994000512345",
     "phone": "043-000-001", "email": "saraban@khamyai.go.th", "latitude": "16.5930", "longitude": "103.2320"},
    {"slug": "nangrong", "name_th": "องค์การบริหารส่วนตำบลนางรอง", "name_en": "Nang Rong Subdistrict Administrative Organization",
     "kind": Organization.Kind.SAO, "subdistrict": "นางรอง", "district": "นางรอง", "province": "บุรีรัมย์",
     "code_prefix": "NR", "tax_id": "0994000623456", "phone": "044-000-002", "email": "saraban@nangrong.go.th",
     "latitude": "14.6360", "longitude": "102.7940"},
    {"slug": "phannanakhon", "name_th": "เทศบาลตำบลพรรณานคร", "name_en": "Phanna Nakhon Subdistrict Municipality",
     "kind": Organization.Kind.SUBDISTRICT_MUNICIPALITY, "subdistrict": "พรรณา", "district": "พรรณานิคม",
     "province": "สกลนคร", "code_prefix": "PN", "tax_id": "0994000734567", "phone": "042-000-003",
     "email": "saraban@phannanakhon.go.th", "latitude": "17.3510", "longitude": "103.8510"},
]

# What a citizen needs on the organization's front door (demo values; the LINE accounts are placeholders).
_EMERGENCY = "เหตุด่วนเหตุร้าย (ตำรวจ) 191\nดับเพลิง 199\nเจ็บป่วยฉุกเฉิน 1669"
_HOURS = "จันทร์–ศุกร์ 08:30–16:30 น. (เว้นวันหยุดราชการ)"
_HOURS_EN = "Monday–Friday 08:30–16:30 (closed on public holidays)"
FRONT_DOOR = {
    "khamyai": {"address": "หมู่ 1 ตำบลคำใหญ่ อำเภอห้วยเม็ก จังหวัดกาฬสินธุ์ 46170", "subdistrict_en": "Kham Yai",
                "district_en": "Huai Mek", "province_en": "Kalasin", "office_hours": _HOURS,
                "office_hours_en": _HOURS_EN, "line_oa_id": "@khamyai",
                "emergency_numbers": _EMERGENCY + "\nงานป้องกันฯ เทศบาลตำบลคำใหญ่ 043-000-199"},
    "nangrong": {"address": "ถนนโชคชัย–เดชอุดม ตำบลนางรอง อำเภอนางรอง จังหวัดบุรีรัมย์ 31110",
                 "subdistrict_en": "Nang Rong", "district_en": "Nang Rong", "province_en": "Buri Ram",
                 "office_hours": _HOURS, "office_hours_en": _HOURS_EN, "line_oa_id": "@nangrongsao",
                 "emergency_numbers": _EMERGENCY},
    "phannanakhon": {"address": "ตำบลพรรณา อำเภอพรรณานิคม จังหวัดสกลนคร 47130", "subdistrict_en": "Phanna",
                     "district_en": "Phanna Nikhom", "province_en": "Sakon Nakhon", "office_hours": _HOURS,
                     "office_hours_en": _HOURS_EN, "emergency_numbers": _EMERGENCY},
}

DEPARTMENTS = [
    ("clerk", "สำนักปลัด", "Office of the Clerk", None),
    ("legal", "งานนิติการ", "Legal Affairs Section", "clerk"),
    ("finance", "กองคลัง", "Finance Division", None),
    ("works", "กองช่าง", "Public Works Division", None),
    ("education", "กองการศึกษา ศาสนาและวัฒนธรรม", "Education, Religion and Culture Division", None),
    ("welfare", "กองสวัสดิการสังคม", "Social Welfare Division", None),
    ("health", "กองสาธารณสุขและสิ่งแวดล้อม", "Public Health and Environment Division", None),
]

# Staff are listed by name (assignee lists, audit log); the same names in every demo organization.
DEMO_NAMES = {"admin": ("วิไล", "ศรีสุข"), "officer": ("สมศรี", "ใจดี"), "works": ("ประเสริฐ", "ช่างดี"),
              "auditor": ("อรุณี", "ตรวจตรา"), "legal": ("ธนพล", "ยุติธรรม"), "exec": ("สมชาย", "บริหารดี")}

ROLE_USERS = [
    ("admin", Role.ADMINISTRATOR, None),
    ("officer", Role.OFFICER, "clerk"),
    ("works", Role.OFFICER, "works"),
    ("auditor", Role.AUDITOR, None),
    ("legal", Role.LEGAL_OFFICER, "legal"),
    ("exec", Role.EXECUTIVE, None),
]

def _with_check_digit(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


@transaction.atomic
def load_core() -> tuple[dict, list[tuple[str, str]]]:
    User = get_user_model()
    organizations, logins = {}, []
    superuser, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "email": "admin@localhost"})
    if created:
        superuser.set_password(DEMO_PASSWORD)
        superuser.save()
    logins.append(("admin", "superuser / ผู้ดูแลทั้งระบบ"))
    for spec in ORGANIZATIONS:
        values = {**spec, **FRONT_DOOR.get(spec["slug"], {}), "tax_id": _with_check_digit(spec["tax_id"][:12])}
        org, _created = Organization.objects.update_or_create(slug=spec["slug"], defaults=values)
        organizations[org.slug] = org
        departments = {}
        for code, name_th, name_en, parent in DEPARTMENTS:
            departments[code], _created = Department.objects.update_or_create(
                organization=org, code=code,
                defaults={"name_th": name_th, "name_en": name_en, "parent": departments.get(parent)})
        for suffix, role, dept in ROLE_USERS:
            username = f"{org.slug}-{suffix}"
            first, last = DEMO_NAMES.get(suffix, ("", ""))
            user, created = User.objects.get_or_create(username=username, defaults={
                "is_staff": True, "first_name": first, "last_name": last})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Membership.objects.update_or_create(
                user=user, organization=org, role=role, defaults={"department": departments.get(dept)})
            logins.append((username, f"{role.label} · {org.name_th}"))
    # One auditor across all demo organizations: the cross-organization summary needs one.
    user, created = User.objects.get_or_create(username="auditor-all", defaults={"is_staff": True})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    for org in organizations.values():
        Membership.objects.get_or_create(user=user, organization=org, role=Role.AUDITOR)
    logins.append(("auditor-all", _("ผู้ตรวจสอบทุกองค์กรตัวอย่าง")))
    return organizations, logins


def load_services(organizations, stdout=None) -> list[tuple[str, str]]:
    """Each service app's own demo data (plans, complaint categories, ...) for these organizations, app by app in
    `demo_order` (open data last: its live datasets read the others'); the logins the apps created."""
    logins = []
    for config in sorted(service_apps(), key=lambda c: c.demo_order):
        for organization in organizations:
            logins.extend(config.load_demo(organization, stdout=stdout) or [])
    return logins


def load_all(stdout=None) -> list[tuple[str, str]]:
    organizations, logins = load_core()
    return logins + load_services(organizations.values(), stdout=stdout)
