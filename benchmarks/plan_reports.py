"""Time the auditor reports of the largest seed plan (phannanakhon: 42 activities in 13 components).

    .venv/bin/python benchmarks/plan_reports.py [runs]

Builds a throw-away SQLite database with the demo organizations and the three seed plans, then times, per report,
the whole path a download takes (load the plan with its prefetches, compute the figures, render the file).
Goals: PDF < 1.5 s, XLSX < 0.3 s. Also times saving the three parsed seeds (import service).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_db = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)
os.environ["DATABASE_URL"] = f"sqlite:///{_db.name}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main(runs=5):
    call_command("migrate", verbosity=0)
    from innovation_plans import reports, selectors
    from innovation_plans.demo import load_demo
    from innovation_plans.importer import parse_plan
    from innovation_plans.models import Plan
    from innovation_plans.services import import_plan
    from portal.demo import load_core

    organizations, _ = load_core()
    t0 = time.perf_counter()
    for organization in organizations.values():
        load_demo(organization)
    print(f"{'load_demo (parse + save 3 seeds)':36} {(time.perf_counter() - t0) * 1000:8.1f} ms")

    seeds = sorted((ROOT / "innovation_plans" / "seeds").glob("*_plan.txt"))
    parsed = [(p.name, parse_plan(p.read_bytes(), p.name)) for p in seeds]

    def save_all():
        for name, data in parsed:
            slug = name.split("_")[0]
            import_plan(organization=organizations[slug], parsed=data, source_name=name, replace=True)

    save = timed(save_all, runs)
    print(f"{'import service: save 3 parsed seeds':36} {statistics.median(save) * 1000:8.1f} ms (median of {runs})")

    plan_id = Plan.objects.get(organization__slug="phannanakhon").pk

    def build(fmt):
        def run():
            plan = selectors.plan_with_everything().get(pk=plan_id)
            return reports.build_plan_report(plan, None, fmt)
        return run

    results = {}
    for fmt, goal in (("pdf", 1.5), ("xlsx", 0.3), ("csv", None)):
        build(fmt)()  # warm-up: fonts, templates, imports
        times = timed(build(fmt), runs)
        results[fmt] = statistics.median(times)
        goal_text = f"(goal < {goal * 1000:.0f} ms)" if goal else ""
        print(f"{'phannanakhon ' + fmt.upper():36} {results[fmt] * 1000:8.1f} ms median, max "
              f"{max(times) * 1000:.1f} ms over {runs} runs {goal_text}")
    admin_page(plan_id, runs)
    os.unlink(_db.name)
    return 0 if results["pdf"] < 1.5 and results["xlsx"] < 0.3 else 1


def admin_page(plan_id, runs):
    """The staff plan change page (budget grid of 42 rows × 5 years): time and query count."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.login(username="phannanakhon-officer", password="demo-portal-2568")
    url = f"/admin/innovation_plans/plan/{plan_id}/change/"
    assert client.get(url).status_code == 200  # warm-up
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = timed(lambda: client.get(url), runs)
    print(f"{'staff plan change page (42 rows)':36} {statistics.median(times) * 1000:8.1f} ms median, "
          f"{len(queries)} queries")


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
