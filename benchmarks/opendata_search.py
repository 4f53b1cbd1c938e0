"""Time package_search on a large catalogue (issue 11): a Thai query with three facets, p50/p95 over many runs,
then page through every dataset with start/rows and check nothing is missed or repeated.

    DATABASE_URL=postgres://... .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/opendata_search.py [--runs 200] [--datasets 100000]
                                                                              [--no-paging]

The script brings the catalogue to `--datasets` published datasets itself (`manage.py make_fake_datasets` for the
missing ones) and takes its figures with DEBUG off (no query log). Requests go through Django's test client (the whole view,
middleware included, no HTTP server), GET
/api/3/action/package_search?q=<Thai>&facet.field=["organization","tags","res_format"]&rows=10, ten Thai queries
in turn (one to three words each once split). The load average is printed with the figures: on a busy machine
they are several times those of a quiet one. Goal: p95 <= 100 ms on PostgreSQL.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # development settings (no HTTPS redirect); DEBUG is turned off below

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

QUERIES = ["ร้องเรียน", "งบประมาณรายจ่าย", "น้ำประปา รายเดือน", "ผู้สูงอายุ", "ภาษีที่ดิน", "ไฟฟ้าสาธารณะ",
           "สถิติขยะมูลฝอย", "ศูนย์พัฒนาเด็กเล็ก", "ไข้เลือดออก รายปี", "ถนน"]
FACETS = json.dumps(["organization", "tags", "res_format"])


def ensure_catalogue(wanted):
    from django.core.management import call_command

    from opendata.models import Dataset

    have = Dataset.objects.published().count()
    if have < wanted:
        print(f"{have:,} published datasets: generating {wanted - have:,} more")
        call_command("make_fake_datasets", count=wanted - have)
    return max(have, wanted)


def main(runs=200, datasets=100_000, paging=True):
    ensure_catalogue(datasets)
    settings.ALLOWED_HOSTS = ["*"]
    settings.RATELIMIT_ENABLE = False
    settings.DEBUG = False  # no query log kept: figures as in production
    client = Client()
    url = "/api/3/action/package_search"
    for q in QUERIES:  # warm-up
        client.get(url, {"q": q, "facet.field": FACETS})
    times, counts = [], {}
    for i in range(runs):
        q = QUERIES[i % len(QUERIES)]
        t0 = time.perf_counter()
        response = client.get(url, {"q": q, "facet.field": FACETS, "rows": 10})
        times.append((time.perf_counter() - t0) * 1000)
        body = response.json()
        assert body["success"], body
        counts[q] = body["result"]["count"]
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"engine: {settings.DATABASES['default']['ENGINE']}, load average {os.getloadavg()[0]:.1f}")
    print(f"package_search Thai q + 3 facets, {runs} runs: p50 {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms")
    print("matches per query: " + ", ".join(f"{q}={n:,}" for q, n in counts.items()))

    if not paging or os.environ.get("PAGING", "1") == "0":
        return
    total = client.get(url, {"rows": 0}).json()["result"]["count"]
    seen, start, t0, pages = set(), 0, time.perf_counter(), 0
    while True:
        result = client.get(url, {"rows": 1000, "start": start, "sort": "name asc"}).json()["result"]
        if not result["results"]:
            break
        seen.update(d["name"] for d in result["results"])
        start += 1000
        pages += 1
    elapsed = time.perf_counter() - t0
    print(f"paging rows=1000: {pages} pages, {len(seen):,} distinct of {total:,} datasets in {elapsed:.1f} s")
    assert len(seen) == total, "paging missed or repeated datasets"


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", type=int, default=200)
    parser.add_argument("--runs", dest="runs_opt", type=int)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--no-paging", action="store_true")
    args = parser.parse_args()
    main(args.runs_opt or args.runs, args.datasets, not args.no_paging)
