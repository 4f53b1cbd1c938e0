"""Demo data: default complaint categories per organization, Thai public holidays, a few QR assets and complaints."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from portal.audit.trail import system
from portal.models import Department
from portal.services import seed_holidays

from .models import Asset, Category, Complaint
from .standard import DEFAULT_CATEGORIES


def ensure_categories(organization) -> dict[str, Category]:
    departments = {d.code: d for d in Department.objects.filter(organization=organization)}
    result = {}
    for order, (code, th, en, dept, sla_days, public, protected) in enumerate(DEFAULT_CATEGORIES):
        result[code], _ = Category.objects.get_or_create(
            organization=organization, code=code,
            defaults={"name_th": th, "name_en": en, "department": departments.get(dept), "sla_days": sla_days,
                      "is_public": public, "is_protected": protected, "order": (order + 1) * 10})
    return result


@transaction.atomic
def load_demo(org, *, stdout=None):
    """Categories, holidays, QR assets and a few sample complaints for one organization (idempotent)."""
    year = timezone.localdate().year
    added = seed_holidays(years=range(year - 1, year + 2), actor=system("demo:complaints"))
    cats = ensure_categories(org)
    lat, lng = float(org.latitude or 0), float(org.longitude or 0)
    assets = [
        ("LS-001", Asset.Kind.LOUDSPEAKER, "หอกระจายข่าวหมู่ 1", "loudspeaker", "หมู่ 1", 0.0012, 0.0010),
        ("LS-002", Asset.Kind.LOUDSPEAKER, "หอกระจายข่าวหมู่ 2", "loudspeaker", "หมู่ 2", -0.0020, 0.0015),
        ("SL-001", Asset.Kind.STREET_LIGHT, "เสาไฟหน้าวัด", "street_light", "หมู่ 1", 0.0005, -0.0011),
        ("WV-001", Asset.Kind.WATER_VALVE, "ประตูน้ำหน้าโรงเรียน", "water_supply", "หมู่ 3", -0.0008, -0.0019),
    ]
    for code, kind, name, cat, village, dlat, dlng in assets:
        Asset.objects.get_or_create(organization=org, code=code, defaults={
            "kind": kind, "name": name, "category": cats[cat], "village": village, "batch": "2568-1",
            "latitude": round(lat + dlat, 6), "longitude": round(lng + dlng, 6)})
    if not Complaint.objects.filter(organization=org).exists():
        from . import services

        samples = [
            ("street_light", "ไฟถนนดับ 3 ต้น ตั้งแต่หน้าวัดถึงสามแยก", "หมู่ 1", 0.001, 0.002),
            ("garbage", "ขยะไม่ได้เก็บมา 1 สัปดาห์ ส่งกลิ่นเหม็น", "หมู่ 2", -0.002, 0.001),
            ("road", "ถนนเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย", "หมู่ 3", 0.003, -0.002),
            ("water_supply", "น้ำประปาไม่ไหลตั้งแต่เมื่อวาน", "หมู่ 4", -0.001, -0.003),
        ]
        for cat, text, village, dlat, dlng in samples:
            complaint = services.submit_complaint(
                organization=org, category=cats[cat], description=text, village=village,
                latitude=round(lat + dlat, 6), longitude=round(lng + dlng, 6))
            if cat == "road":
                services.change_status(complaint=complaint, to_status="accepted")
                services.change_status(complaint=complaint, to_status="in_progress",
                                       note="กองช่างลงพื้นที่สำรวจแล้ว")
            if cat == "water_supply":
                Complaint.objects.filter(pk=complaint.pk).update(
                    created_at=timezone.now() - dt.timedelta(days=12))
    if stdout:
        stdout.write(f"complaints: {org.slug}: categories, assets and sample complaints ready; "
                     f"{added} holidays added\n")
