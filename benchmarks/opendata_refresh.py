"""Time the live complaint datasets' refresh of one organization (issue 11 goal: < 30 s with 1,000,000 complaints).

    DATABASE_URL=postgres://... .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/opendata_refresh.py [--complaints 1000000] [--org SLUG]

PostgreSQL only. The script brings its organization (default `bench-refresh`, created when missing, with the
default complaint categories) to the wanted number of complaints itself: the missing rows are made in the
database by one `INSERT ... SELECT ... FROM generate_series(...)` per 250,000 (random status, category, village,
received date over three years, resolution time for the resolved and closed ones), copying every other column
from one template complaint made through the ORM, so it follows the model. Then it runs the body of the Celery
task `opendata.tasks.refresh_organization` in this process (the beat sends one such task per organization to a
worker; no web request waits for it): first from nothing (datasets, CSV versions and datastore tables written),
then with the figures unchanged (no new version). Prints each complaint feed's rows and time, and the whole task.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from complaints import workflow  # noqa: E402
from complaints.demo import ensure_categories  # noqa: E402
from complaints.models import Complaint  # noqa: E402
from opendata import live, tasks  # noqa: E402
from opendata.models import Dataset, DatastoreRecord  # noqa: E402
from portal.models import Organization  # noqa: E402

# Status mix of a long-running service: most complaints are done.
STATUS_WEIGHTS = {"submitted": 10, "accepted": 10, "in_progress": 15, "waiting_citizen": 5, "forwarded": 3,
                  "resolved": 25, "rejected": 5, "closed": 25, "reopened": 2}
CHUNK = 250_000


def organization(slug):
    org, _ = Organization.objects.get_or_create(slug=slug, defaults={
        "name_th": "เทศบาลตำบลทดสอบการปรับปรุงข้อมูลเปิด", "name_en": "Open-data refresh benchmark",
        "kind": Organization.Kind.SUBDISTRICT_MUNICIPALITY, "district": "เมือง", "province": "ขอนแก่น",
        "code_prefix": "RF"})
    return org


def top_up(org, wanted):
    """Add complaints until the organization has `wanted` of them, in the database (generate_series)."""
    have = Complaint.objects.filter(organization=org).count()
    if have >= wanted:
        return have, 0.0
    categories = [c for c in ensure_categories(org).values() if not c.is_protected]
    template = Complaint.objects.filter(organization=org, tracking_code=f"{org.code_prefix}-BENCH-TEMPLATE").first()
    if template is None:
        template = Complaint.objects.create(
            organization=org, category=categories[0], tracking_code=f"{org.code_prefix}-BENCH-TEMPLATE",
            description="ข้อมูลทดสอบประสิทธิภาพ", status=workflow.Status.SUBMITTED, village="หมู่ 1")
    statuses = [s for s, w in STATUS_WEIGHTS.items() for _ in range(w)]
    # sla_days per category, in the same order as the ids
    category_ids = [c.pk for c in categories]
    sla_days = [c.sla_days for c in categories]
    made = {
        "tracking_code": f"'{org.code_prefix}-B' || lpad(to_hex(%(offset)s + s.g), 10, '0')",
        "status": "s.status",
        "category_id": "s.category_id",
        "village": "'หมู่ ' || (1 + floor(random() * 15))::int",
        "channel": "(ARRAY['web','line','qr','phone'])[1 + floor(random() * 4)::int]",
        "latitude": "round((16 + random() * 0.1)::numeric, 6)",
        "longitude": "round((103 + random() * 0.1)::numeric, 6)",
        "created_at": "s.created_at",
        "updated_at": "s.created_at",
        "sla_deadline": "s.created_at + make_interval(days => s.sla_days + 2)",
        "resolved_at": "CASE WHEN s.status IN ('resolved', 'closed') "
                       "THEN s.created_at + make_interval(hours => 2 + floor(random() * 400)::int) END",
        "rating_token": "gen_random_uuid()",
    }
    columns = [f.column for f in Complaint._meta.concrete_fields if not f.primary_key]
    select = ", ".join(made.get(c, f't."{c}"') for c in columns)
    sql = f"""
        INSERT INTO {Complaint._meta.db_table} ({", ".join(f'"{c}"' for c in columns)})
        SELECT {select}
        FROM {Complaint._meta.db_table} t, (
            SELECT g, (%(statuses)s::text[])[1 + floor(random() * %(n_statuses)s)::int] AS status,
                   (%(category_ids)s::bigint[])[p.pick] AS category_id, (%(sla_days)s::int[])[p.pick] AS sla_days,
                   now() - random() * interval '1095 days' AS created_at
            FROM (SELECT g, 1 + floor(random() * %(n_categories)s)::int AS pick
                  FROM generate_series(1, %(n)s) AS g) p
        ) s
        WHERE t.id = %(template)s
    """
    started = time.perf_counter()
    offset = have
    while have < wanted:
        n = min(CHUNK, wanted - have)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, {"n": n, "offset": offset, "statuses": statuses, "n_statuses": len(statuses),
                                 "category_ids": category_ids, "n_categories": len(category_ids),
                                 "sla_days": sla_days, "template": template.pk})
        have += n
        offset += n
        print(f"  {have:,} complaints ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Complaint._meta.db_table}")
    return have, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--org", default="bench-refresh")
    parser.add_argument("--complaints", type=int, default=1_000_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    org = organization(args.org)
    count, took = top_up(org, args.complaints)
    print(f"{org.slug}: {count:,} complaints" + (f" (generated in {took:.0f} s)" if took else ""))
    feeds = [f for f in live.all_feeds() if f.app_label == "complaints"]
    # Start from nothing so the first run writes every version and datastore table.
    Dataset.objects.filter(organization=org, feed_name__in=[f.name for f in live.all_feeds()]).delete()
    for label in ("first refresh (new datasets, versions, datastore)", "second refresh (figures unchanged)"):
        t0 = time.perf_counter()
        for feed in feeds:
            t1 = time.perf_counter()
            live.refresh_organization(org, feeds=[feed])
            rows = DatastoreRecord.objects.filter(resource__dataset__organization=org,
                                                  resource__dataset__feed_name=feed.name).count()
            print(f"  {feed.name}: {rows:,} rows, {time.perf_counter() - t1:.2f} s")
        print(f"{label}, the {len(feeds)} complaint feeds: {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    done = tasks.refresh_organization.apply(args=[org.pk]).get()
    print(f"the whole Celery task (every feed of every app, {len(done)} with rows): {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
