"""Demo data for one organization: a register of 20 parcels with buildings (one used partly as a shop), 5
signboards (one filed late), their owners, the 2568 assessment with bills in mixed states (paid, part-paid,
unpaid and so overdue after April 2568), and a finance officer `<slug>-finance` (the finance role)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from portal.models import Department, Membership, Role

from . import services
from .models import Bill, Building, Parcel, ParcelUsePart, Payment, Signboard

DEMO_YEAR = 2568

OWNER_NAMES = [
    ("นายสมชาย ใจดี", "individual"), ("นางสมหญิง รักถิ่น", "individual"), ("นายประเสริฐ มั่งมี", "individual"),
    ("นางสาวกาญจนา ศรีสุข", "individual"), ("นายวิชัย ทองคำ", "individual"), ("นางบุญมี พูนผล", "individual"),
    ("นายอำนาจ เจริญยิ่ง", "individual"), ("นางสาวพรทิพย์ แสงทอง", "individual"),
    ("บริษัท ค้าข้าวอีสาน จำกัด", "juristic"), ("ห้างหุ้นส่วนจำกัด วัสดุก่อสร้างรุ่งเรือง", "juristic"),
    ("บริษัท ปั๊มน้ำมันชุมชน จำกัด", "juristic"), ("นายทองดี มีนา", "individual"),
]

# owner index, use, rai, ngan, wa, value per wa, buildings [(type, m2, price, age, depreciation)]
PARCELS = [
    (0, "main_home", 0, 1, "50", "3000", [("house", "140", "7500", 12, "24")]),
    (0, "commercial", 0, 0, "80", "12000", [("shophouse", "180", "9000", 8, "16")]),
    (1, "residential_other", 0, 2, "0", "4500", [("house", "120", "7000", 5, "10")]),
    (2, "commercial", 1, 0, "0", "6000", [("warehouse", "400", "4500", 15, "30")]),
    (2, "agriculture", 15, 0, "0", "250", []),
    (3, "residential_other", 0, 1, "20", "5000", [("townhouse", "96", "8000", 3, "6")]),
    (4, "vacant", 2, 0, "0", "1800", []),
    (5, "agriculture", 8, 2, "0", "300", [("other", "30", "2500", 20, "40")]),
    (6, "commercial", 0, 0, "60", "15000", [("shophouse", "220", "9500", 2, "4")]),
    (7, "residential_other", 0, 3, "0", "2500", [("house", "150", "6500", 30, "60")]),
    (8, "commercial", 3, 0, "0", "3500", [("warehouse", "1200", "4000", 10, "20"), ("other", "60", "6000", 10, "20")]),
    (8, "agriculture", 40, 0, "0", "200", []),
    (9, "commercial", 1, 2, "0", "4000", [("warehouse", "600", "4200", 6, "12")]),
    (10, "commercial", 0, 3, "0", "9000", [("other", "250", "8000", 4, "8")]),
    (11, "main_home", 0, 1, "0", "2000", [("house", "80", "6000", 25, "50")]),
    (11, "vacant", 1, 0, "0", "900", []),
    (1, "commercial", 0, 0, "40", "14000", [("shophouse", "120", "9000", 18, "36")]),
    (3, "vacant", 0, 2, "0", "2200", []),
    (5, "residential_other", 0, 1, "50", "3800", [("house", "110", "7000", 9, "18")]),
    (9, "vacant", 2, 1, "0", "1500", []),
]

# parcel number, use, per cent: use by part (the front of a main home let as a shop)
USE_PARTS = [(1, "commercial", "30")]

# owner index, kind, changing, width, height, text
SIGNS = [
    (1, "thai_only", False, "200", "100", "ร้านสมหญิงขายของชำ"),
    (6, "thai_mixed", True, "300", "150", "อำนาจ Mobile"),
    (8, "thai_mixed", False, "500", "200", "ค้าข้าวอีสาน Rice Trading"),
    (10, "foreign", True, "400", "200", "GAS STATION"),
    (9, "thai_only", False, "100", "60", "วัสดุก่อสร้างรุ่งเรือง"),
]


def _citizen_id(seed: int, organization) -> str:
    first12 = f"3{organization.pk % 100:02d}{seed:09d}"
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def _juristic_id(seed: int, organization) -> str:
    first12 = f"0{organization.pk % 100:02d}55{seed:07d}"
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def _finance_officer(organization):
    from portal.demo import DEMO_PASSWORD

    User = get_user_model()
    username = f"{organization.slug}-finance"
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    department = Department.objects.filter(organization=organization, code="finance").first()
    Membership.objects.update_or_create(user=user, organization=organization, role=Role.FINANCE,
                                        defaults={"department": department})
    # Demo databases made before the finance role held this login as an officer: money is the finance role's only.
    Membership.objects.filter(user=user, organization=organization, role=Role.OFFICER).delete()
    return username


def load_demo_for(organization, *, stdout=None) -> list[tuple[str, str]]:
    """Idempotent: the register and the bills are made once; the finance officer is ensured every time."""
    username = _finance_officer(organization)
    logins = [(username, f"เจ้าหน้าที่การเงิน (ภาษี) · {organization.name_th}")]
    if Parcel.objects.filter(organization=organization).exists():
        return logins
    with transaction.atomic():
        settings_row = services.ensure_tax_settings(organization)
        settings_row.biller_suffix = "01"
        settings_row.save()
        services.ensure_tax_year(organization=organization, year=DEMO_YEAR)
        owners = []
        for index, (name, kind) in enumerate(OWNER_NAMES):
            number = _juristic_id(index, organization) if kind == "juristic" else _citizen_id(index, organization)
            owners.append(services.register_owner(
                organization=organization, name=name, kind=kind, id_number=number,
                contact_email=f"owner{index}@example.com" if index % 3 == 0 else "",
                contact_phone=f"08{index:08d}" if index % 4 == 1 else ""))
        lat = Decimal(str(organization.latitude or "16.0")).quantize(Decimal("0.000001"))
        lng = Decimal(str(organization.longitude or "102.0")).quantize(Decimal("0.000001"))
        for n, (owner, use, rai, ngan, wa, per_wa, buildings) in enumerate(PARCELS, start=1):
            parcel = Parcel.objects.create(
                organization=organization, code=f"01A{n:03d}", owner=owners[owner], deed_number=f"{4100 + n}",
                location=f"หมู่ที่ {1 + n % 8}", latitude=lat + Decimal(n % 5) * Decimal("0.002"),
                longitude=lng + Decimal(n // 5) * Decimal("0.002"), area_rai=rai, area_ngan=ngan, area_wa=Decimal(wa),
                value_per_wa=Decimal(per_wa), use=use, vacant_idle_years=3 if use == "vacant" and n % 2 else 0)
            for number, part_use, share in USE_PARTS:
                if number == n:
                    ParcelUsePart.objects.create(organization=organization, parcel=parcel, use=part_use,
                                                 share_percent=Decimal(share))
            for kind, area, price, age, depreciation in buildings:
                Building.objects.create(organization=organization, parcel=parcel, building_type=kind,
                                        area_sqm=Decimal(area), price_per_sqm=Decimal(price), age_years=age,
                                        depreciation_percent=Decimal(depreciation))
        for n, (owner, kind, changing, width, height, text) in enumerate(SIGNS, start=1):
            Signboard.objects.create(organization=organization, code=f"P{n:03d}", owner=owners[owner], kind=kind,
                                     changing=changing, width_cm=Decimal(width), height_cm=Decimal(height),
                                     text=text, location=f"หมู่ที่ {n}", latitude=lat, longitude=lng,
                                     # the last sign's form came in after the end of March: +10 %
                                     filed_on=dt.date(2025, 4, 5) if n == len(SIGNS) else dt.date(2025, 3, 20))
        services.run_assessment(organization=organization, year=DEMO_YEAR)
        # Mixed states: every third bill paid in full, every third part-paid, the rest left unpaid.
        for n, bill in enumerate(Bill.objects.filter(organization=organization).order_by("tax_type", "number")):
            paid_on = dt.date(2025, 3, 10 + n % 15)
            if n % 3 == 0:
                services.record_payment(bill=bill, amount=bill.amount, paid_on=paid_on,
                                        method=Payment.Method.COUNTER)
            elif n % 3 == 1:
                first = bill.instalment_list()[0][2]
                part = first if len(bill.instalments) > 1 else (bill.amount / 2).quantize(Decimal("0.01"))
                services.record_payment(bill=bill, amount=part, paid_on=paid_on, method=Payment.Method.STATEMENT,
                                        bank_reference=f"DEMO{organization.pk}-{bill.number}")
    if stdout is not None:
        sample = (Bill.objects.filter(organization=organization, owner__kind="individual", payments__isnull=True)
                  .order_by("number").first())
        if sample is not None:
            index = next(i for i, o in enumerate(OWNER_NAMES) if o[0] == sample.owner.name)
            stdout.write(f"  taxpay {organization.slug}: bill {sample.number}, ID last four "
                         f"{_citizen_id(index, organization)[-4:]}\n")
    return logins
