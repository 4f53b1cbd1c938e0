"""p95 of the staff complaint list (the admin changelist) over a large table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/complaints_bench .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py load_demo
    DATABASE_URL=... .venv/bin/python manage.py make_fake_complaints --org khamyai --count 1000000
    DATABASE_URL=... .venv/bin/python benchmarks/complaints_list.py [--runs 40]

Each scenario requests the real admin page (/admin/complaints/complaint/?...) as khamyai-works through Django's
test client (no network), and also times the selector behind it.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]


def p95(samples):
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--user", default="khamyai-works")
    args = parser.parse_args()

    from complaints.models import Category, Complaint
    from complaints.selectors import staff_complaints
    from portal.models import Department, Organization

    org = Organization.objects.get(slug="khamyai")
    total = Complaint.objects.filter(organization=org).count()
    works = Department.objects.get(organization=org, code="works")
    road = Category.objects.get(organization=org, code="road")
    client = Client()
    client.force_login(__import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model()
                       .objects.get(username=args.user))
    scenarios = [
        ("no filter", {}),
        ("status=in_progress", {"status__exact": "in_progress"}),
        ("category=road", {"category": str(road.pk)}),
        ("queue=works", {"queue": str(works.pk)}),
        ("queue=works & status=accepted", {"queue": str(works.pk), "status__exact": "accepted"}),
        ("overdue", {"overdue": "yes"}),
        ("status=submitted & category=road & page 3", {"status__exact": "submitted", "category": str(road.pk), "p": "3"}),
    ]
    print(f"{connection.vendor}, {total:,} complaints in {org.slug}, {args.runs} runs per scenario")
    print(f"{'scenario':45} {'admin p50':>10} {'admin p95':>10} {'selector p95':>13}")
    for name, params in scenarios:
        client.get("/admin/complaints/complaint/", params)  # warm
        samples = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get("/admin/complaints/complaint/", params)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        sel = []
        base = Complaint.objects.filter(organization=org, is_protected=False)
        kwargs = {"status": params.get("status__exact"), "category": road if "category" in params else None,
                  "department": works if "queue" in params else None, "overdue": params.get("overdue") == "yes"}
        for _ in range(args.runs):
            start = time.perf_counter()
            list(staff_complaints(base, **kwargs)[:50])
            sel.append((time.perf_counter() - start) * 1000)
        print(f"{name:45} {statistics.median(samples):8.1f}ms {p95(samples):8.1f}ms {p95(sel):11.1f}ms")


if __name__ == "__main__":
    main()
