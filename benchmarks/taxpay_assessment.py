"""Assessment run for 50,000 parcels (40,000 with a building) of 25,000 owners, on the database DATABASE_URL names.

Usage (PostgreSQL, a throwaway database):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taxpay_bench .venv/bin/python benchmarks/taxpay_assessment.py [parcels]

Creates the database tables if needed (migrate), a fresh organization with the register (bulk inserts, not timed),
then times `taxpay.services.run_assessment` for tax year 2568, the same function the background job runs.
"""

import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from portal.models import Organization  # noqa: E402
from taxpay import services  # noqa: E402
from taxpay.models import Bill, Building, Owner, Parcel  # noqa: E402

USES = ["commercial", "residential_other", "agriculture", "main_home", "vacant", "commercial", "residential_other"]


def with_check_digit(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def build_register(org, parcels: int):
    owners = []
    for n in range(parcels // 2):
        owner = Owner(organization=org, name=f"เจ้าของ {n}", kind="juristic" if n % 10 == 0 else "individual")
        owner.set_id(with_check_digit(f"3{n:011d}"))
        owners.append(owner)
    Owner.objects.bulk_create(owners, batch_size=5000)
    owners = list(Owner.objects.filter(organization=org).order_by("pk"))
    rows = []
    for n in range(parcels):
        owner = owners[n // 2]
        use = USES[n % len(USES)]
        if use == "main_home" and owner.kind == "juristic":
            use = "residential_other"
        rows.append(Parcel(organization=org, code=f"B{n:06d}", owner=owner, deed_number=str(n), area_rai=n % 5,
                           area_ngan=n % 4, area_wa=Decimal(n % 100), value_per_wa=Decimal(1000 + n % 20000),
                           use=use))
    Parcel.objects.bulk_create(rows, batch_size=5000)
    parcels_saved = Parcel.objects.filter(organization=org).values_list("pk", flat=True).order_by("pk")
    Building.objects.bulk_create(
        [Building(organization=org, parcel_id=pk, building_type="house", area_sqm=Decimal(80 + i % 300),
                  price_per_sqm=Decimal("7500"), age_years=i % 40, depreciation_percent=Decimal(i % 40) * 2)
         for i, pk in enumerate(parcels_saved) if i % 5],
        batch_size=5000)


def main():
    parcels = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    call_command("migrate", verbosity=0)
    slug = f"bench-tax-{int(time.time())}"
    org = Organization.objects.create(slug=slug, name_th="เทศบาลทดสอบสมรรถนะ", kind="sao", district="เมือง",
                                      province="ขอนแก่น", code_prefix="BT", tax_id="0994000165501")
    t0 = time.perf_counter()
    build_register(org, parcels)
    print(f"register: {parcels} parcels, {Building.objects.filter(organization=org).count()} buildings, "
          f"{Owner.objects.filter(organization=org).count()} owners in {time.perf_counter() - t0:.1f} s (not timed)")
    steps = []
    t0 = time.perf_counter()
    result = services.run_assessment(organization=org, year=2568,
                                     progress=lambda done, total: steps.append((done, time.perf_counter() - t0)))
    elapsed = time.perf_counter() - t0
    bills = Bill.objects.filter(organization=org).count()
    print(f"database: {connection.vendor}; assessed {result['assessed']} holdings, issued {result['issued']} bills "
          f"({bills} in the table), {result['no_tax']} with no tax")
    print(f"RESULT assessment_seconds={elapsed:.1f} progress_updates={len(steps)}")


if __name__ == "__main__":
    main()
