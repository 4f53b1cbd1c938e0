"""Time the live complaint datasets' refresh of one organization (issue 11 goal: < 30 s with 1,000,000 complaints).

    DATABASE_URL=postgres://... .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://... .venv/bin/python manage.py load_demo
    DATABASE_URL=postgres://... .venv/bin/python manage.py make_fake_complaints --org khamyai --count 1000000
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/opendata_refresh.py khamyai

Runs the body of the Celery task `opendata.tasks.refresh_organization` in this process for the complaint feeds
(the beat sends one such task per organization to a worker; no web request waits for it): first with changed figures
(new CSV versions and datastore tables), then unchanged (no new version). Prints each feed's rows and time.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from complaints.models import Complaint  # noqa: E402
from opendata import live  # noqa: E402
from opendata.models import Dataset, DatastoreRecord  # noqa: E402
from portal.models import Organization  # noqa: E402


def main(slug="khamyai"):
    organization = Organization.objects.get(slug=slug)
    feeds = [f for f in live.all_feeds() if f.app_label == "complaints"]
    print(f"{organization.slug}: {Complaint.objects.filter(organization=organization).count():,} complaints, "
          f"{len(feeds)} complaint feeds")
    # Start from nothing so the first run writes every version and datastore table.
    Dataset.objects.filter(organization=organization, feed_name__in=[f.name for f in feeds]).delete()
    for label in ("first refresh (new datasets, versions, datastore)", "second refresh (figures unchanged)"):
        t0 = time.perf_counter()
        for feed in feeds:
            t1 = time.perf_counter()
            live.refresh_organization(organization, feeds=[feed])
            rows = DatastoreRecord.objects.filter(resource__dataset__organization=organization,
                                                  resource__dataset__feed_name=feed.name).count()
            print(f"  {feed.name}: {rows:,} rows, {time.perf_counter() - t1:.2f} s")
        print(f"{label}: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main(*sys.argv[1:2])
