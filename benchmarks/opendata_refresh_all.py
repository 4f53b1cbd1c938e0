"""The hourly live refresh at the installation's size: what every organization's refresh costs (the work before
refreshes were limited to changed organizations), what the per-slice check costs, and what a changed
organization's refresh costs now.

    DATABASE_URL=postgres://…/<db> .venv/bin/python benchmarks/opendata_refresh_all.py [sample] [changed_percent]

1. Full refresh (`opendata.tasks.refresh_organization(..., everything=True)`, what beat queued for every organization
   every hour before) of a random sample (fixed seed) of active organizations, one after the other, in this process.
2. Every active organization's feed sources recorded as refreshed (as after the first hour), then one beat run
   (`opendata.tasks.refresh_all`) of a 5-minute slice in which nothing changed, twice: the first of the day moves
   the slice's live datasets' date stamps to today (one UPDATE), the second is the check alone (two queries).
3. `changed_percent` of the slice's organizations get a complaint's status changed (the notice a save sends), the
   slice's beat run queues them, and each queued refresh runs (only the complaint feeds are due).
4. The daily safety net: every feed source recorded as last read two days ago, then the slice's beat run in each
   hour of a day: how many whole refreshes each run queues, and what they cost at step 1's median.

Writes what a real refresh writes (new versions where figures changed, date stamps, FeedSource rows): use a
database of your own, never a shared one.
"""

import datetime as dt
import os
import random
import statistics
import sys
import time

import django

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from complaints.models import Complaint  # noqa: E402
from opendata import live, tasks  # noqa: E402
from opendata.models import Dataset, FeedSource  # noqa: E402
from portal.models import Organization  # noqa: E402


def ms(seconds):
    return f"{seconds * 1000:,.0f} ms"


def timed(fn, *args, **kwargs):
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - t0, time.process_time() - c0


def p95(values):
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def main():
    sample = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    changed_percent = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    ids = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
    rng = random.Random(2568)
    chosen = rng.sample(ids, min(sample, len(ids)))
    tasks.refresh_organization(chosen[0], everything=True)  # warm-up: PyThaiNLP's dictionary, connections

    # 1. before: every organization refreshed every hour
    wall, cpu = [], []
    for organization_id in chosen:
        _, w, c = timed(tasks.refresh_organization, organization_id, everything=True)
        wall.append(w)
        cpu.append(c)
    full = statistics.median(wall)
    print(f"{len(ids):,} active organizations; sample {len(chosen)}; load average {os.getloadavg()[0]:.1f}")
    print(f"full refresh per organization: wall median {ms(full)}, p95 {ms(p95(wall))}; CPU median "
          f"{ms(statistics.median(cpu))}; every organization hourly = {full * len(ids):,.0f} s of work an hour")

    # 2. after, nothing changed: every organization's sources recorded as refreshed, then one slice's beat run
    digests = live.source_digests(live.all_feeds())
    FeedSource.objects.filter(organization_id__in=ids).delete()
    now = timezone.now()
    FeedSource.objects.bulk_create([FeedSource(organization_id=i, source=s, definition=d, refreshed_at=now)
                                    for i in ids for s, d in digests.items()], batch_size=5000)
    queued, whole = [], []

    def collect(organization_id, everything=False):  # instead of sending to a broker
        (whole if everything else queued).append(organization_id)

    tasks.refresh_organization.delay = collect
    slot = 0
    in_slot = [i for i in ids if i % tasks.REFRESH_SLOTS == slot]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Dataset.objects.filter(organization_id__in=in_slot).exclude(feed_name="").update(last_updated_date=yesterday)
    _, first_check, _ = timed(tasks.refresh_all, slot=slot)  # the first run of the day moves the date stamps
    _, second_check, _ = timed(tasks.refresh_all, slot=slot)
    assert not queued, queued
    print(f"slice of {len(in_slot)} organizations, nothing changed: beat run {ms(first_check)} (with the daily "
          f"date stamps), {ms(second_check)} (check only); 12 slices an hour = {12 * second_check:.1f} s of work")

    # 3. after, some changed: a complaint's status changed in changed_percent of the slice
    with_complaints = set(Complaint.objects.filter(organization_id__in=in_slot).values_list("organization_id",
                                                                                            flat=True))
    candidates = sorted(with_complaints) or in_slot
    changed = rng.sample(candidates, max(1, min(len(candidates), round(len(in_slot) * changed_percent / 100))))
    for organization_id in changed:
        complaint = Complaint.objects.filter(organization_id=organization_id).order_by("pk").first()
        if complaint is not None:
            complaint.village = f"หมู่ {rng.randint(1, 15)}"
            complaint.save(update_fields=["village", "updated_at"])
        else:
            live.note_changes(Complaint, organization_ids={organization_id})
    _, check, _ = timed(tasks.refresh_all, slot=slot)
    assert sorted(queued) == sorted(changed), (len(queued), len(changed))
    walls = []
    for organization_id in queued:
        _, w, _ = timed(tasks.refresh_organization, organization_id)
        walls.append(w)
    changed_refresh = statistics.median(walls)
    per_hour_changed = len(ids) * changed_percent / 100
    hour = 12 * check + per_hour_changed * changed_refresh
    print(f"slice with {len(changed)} changed ({changed_percent:g}%): beat run {ms(check)}, queued {len(queued)}; "
          f"refresh of a changed organization: median {ms(changed_refresh)}, p95 {ms(p95(walls))}")
    print(f"one hour with {changed_percent:g}% of organizations changed: {hour:,.0f} s of work "
          f"(was {full * len(ids):,.0f} s)")
    # 4. the daily safety net: every source last read two days ago; the slice's run in each hour of the day
    FeedSource.objects.update(refreshed_at=now - dt.timedelta(days=2))
    real_check = live.overdue_for_check
    per_run, checks = [], []
    for hour_of_day in range(24):
        at = timezone.localtime(now).replace(hour=hour_of_day, minute=2)
        live.overdue_for_check = lambda ids_, now=None, slots=12, at=at: real_check(ids_, at, slots=slots)
        whole.clear()
        queued.clear()
        _, check, _ = timed(tasks.refresh_all, slot=slot)
        per_run.append(len(whole))
        checks.append(check)
    live.overdue_for_check = real_check
    print(f"daily safety net, slice {slot} in each hour: whole refreshes queued per run min {min(per_run)}, "
          f"max {max(per_run)}, {sum(per_run)} in the day (the slice has {len(in_slot)}); beat run median "
          f"{ms(statistics.median(checks))}; at the full refresh's median {max(per_run) * full:,.1f} s of work for "
          f"the largest run, {len(ids) * full:,.0f} s a day for the installation")
    print(f"RESULT organizations={len(ids)} full_median_ms={full * 1000:.0f} before_hour_s={full * len(ids):.0f} "
          f"slice_check_ms={second_check * 1000:.0f} slice_check_with_stamps_ms={first_check * 1000:.0f} "
          f"changed_median_ms={changed_refresh * 1000:.0f} changed_percent={changed_percent:g} "
          f"after_hour_s={hour:.0f}")


if __name__ == "__main__":
    main()
