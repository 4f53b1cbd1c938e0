"""Every beat task of the schedule (settings.CELERY_BEAT_SCHEDULE) run once at the installation's size, as beat
would start it: its own time and queries, how many small tasks it queued (fan-out), and the median time of a sample
of those tasks run one after the other.

    DATABASE_URL=postgres://…/<db> REDIS_URL=redis://127.0.0.1:6379/<n> \\
        .venv/bin/python benchmarks/beat_tasks.py [sample of queued tasks to run, default 20]

Queued tasks are collected instead of sent to a broker. The tasks write what they write in production (outbox rows,
released holds, date stamps): use a database of your own, never a shared one.
"""

import importlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
importlib.import_module("portal.wsgi")  # django.setup(), as a web node starts

from celery.app.task import Task  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from portal.celery import app  # noqa: E402
from portal.models import Organization  # noqa: E402

queued: list[tuple[str, tuple, dict]] = []


def collect(self, args=None, kwargs=None, **options):
    queued.append((self.name, tuple(args or ()), dict(kwargs or {})))


def timed(fn, *args, **kwargs):
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        fn(*args, **kwargs)
        return (time.perf_counter() - start) * 1000, count[0]


def main():
    sample = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    Task.apply_async = collect
    app.loader.import_default_modules()
    organizations = Organization.objects.filter(is_active=True).count()
    print(f"{organizations:,} active organizations; load average {os.getloadavg()[0]:.1f}")
    print("| beat entry | task | run: ms, queries | tasks queued | a queued task: median ms (sample) |")
    print("|---|---|---|---|---|")
    for entry, spec in settings.CELERY_BEAT_SCHEDULE.items():
        task = app.tasks[spec["task"]]
        queued.clear()
        ms, queries = timed(task.run, *spec.get("args", ()), **spec.get("kwargs", {}))
        fanned = list(queued)
        times = []
        for name, args, kwargs in fanned[:sample]:
            queued.clear()
            times.append(timed(app.tasks[name].run, *args, **kwargs)[0])
        each = f"{statistics.median(times):,.0f} ({len(times)})" if times else "—"
        print(f"| {entry} | `{spec['task']}` | {ms:,.0f} ms, {queries} | {len(fanned)} | {each} |", flush=True)


if __name__ == "__main__":
    main()
