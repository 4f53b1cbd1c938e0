"""The hourly live refresh at the installation's size: the Celery task of a sample of organizations, timed, and what
the whole hour and one 5-minute slice (opendata.tasks.REFRESH_SLOTS) then cost.

    DATABASE_URL=postgres://…/bench_scale7850 .venv/bin/python benchmarks/opendata_refresh_all.py [sample]

Runs `opendata.tasks.refresh_organization` in this process, one organization after the other, on a random sample
(fixed seed) of the active organizations; each run writes what a real refresh writes (a new version where the
figures changed, the date stamps, the search words' copies).
"""

import os
import random
import statistics
import sys
import time

import django

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from opendata import tasks  # noqa: E402
from portal.models import Organization  # noqa: E402


def main():
    sample = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    ids = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
    chosen = random.Random(2568).sample(ids, min(sample, len(ids)))
    tasks.refresh_organization(chosen[0])  # warm-up: PyThaiNLP's dictionary, connections
    wall, cpu = [], []
    for organization_id in chosen:
        t0, c0 = time.perf_counter(), time.process_time()
        tasks.refresh_organization(organization_id)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    per_slot = len(ids) / tasks.REFRESH_SLOTS
    print(f"{len(ids):,} active organizations; sample {len(chosen)}; load average {os.getloadavg()[0]:.1f}")
    print(f"per organization: wall median {statistics.median(wall) * 1000:.0f} ms, p95 "
          f"{sorted(wall)[int(len(wall) * 0.95) - 1] * 1000:.0f} ms; CPU of this process median "
          f"{statistics.median(cpu) * 1000:.0f} ms")
    hour = statistics.median(wall) * len(ids)
    print(f"RESULT organizations={len(ids)} median_ms={statistics.median(wall) * 1000:.0f} "
          f"hour_of_work_s={hour:.0f} slot_of_work_s={statistics.median(wall) * per_slot:.0f} "
          f"slot_s={tasks.REFRESH_EVERY_MINUTES * 60}")


if __name__ == "__main__":
    main()
