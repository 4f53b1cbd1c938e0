"""Issue 21's pages timed inside one process (Django's test client, production settings): the server's own time per
request and its queries, without wrk, gunicorn or the network. On a machine other work keeps busy this is steadier
than the HTTP figures of benchmarks/scale.py, since one process waits for a core less often than six do.

    DATABASE_URL=postgres://…/bench_scale7850 REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python benchmarks/scale_inprocess.py --label 7850 [--runs 10] [--only package_list,catalog.ttl]
        [--changed]
    .venv/bin/python benchmarks/scale_inprocess.py --compare 3 7850
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"


def measure(label, runs, only=(), changed=False):
    sys.path.insert(0, str(ROOT))
    os.environ.update(DJANGO_SETTINGS_MODULE="benchmarks.settings", DJANGO_DEBUG="0", ALLOWED_HOSTS="127.0.0.1",
                      SECRET_KEY="bench-only-secret-key-0123456789abcdefghijklmnop", SECURE_SSL_REDIRECT="0",
                      PERSONAL_ID_HASH_KEY="bench-only-personal-id-key", RATELIMIT_ENABLE="0")
    os.environ.setdefault("BENCH_BODY_FILE", "/dev/null")
    import importlib

    importlib.import_module("portal.wsgi")  # the start-up gunicorn runs: django.setup(), then the start-up frozen
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.scale import CASES
    from portal.models import Membership, Role

    User = get_user_model()
    widest = (Membership.objects.filter(role=Role.AUDITOR).values("user").annotate(n=Count("pk"))
              .order_by("-n").first())
    users = {"admin": User.objects.filter(is_superuser=True).order_by("pk").first(),
             "auditor": User.objects.get(pk=widest["user"])}
    results = {"label": label, "load": os.getloadavg()[0], "cases": {}}
    if changed:
        from opendata.models import Dataset

        changed_id = Dataset.objects.published().order_by("-metadata_modified").values_list("pk", flat=True).first()
    for name, path, user in CASES:
        if name == "bare-same-bytes" or (only and name not in only):
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        if user:
            client.force_login(users[user])
        t0 = time.perf_counter()
        client.get(path)  # warm-up: its time is the first request's (a kept answer built, a page cold)
        first = (time.perf_counter() - t0) * 1000
        times, queries, size = [], 0, 0
        for _ in range(runs):
            if changed:  # the catalogue changed before each request (one dataset's stamp and the version, no row)
                from opendata import services

                services.catalogue_changed(dataset_ids=[changed_id])
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
            queries, size = len(captured), len(response.content)
        times.sort()
        results["cases"][name] = {"path": path, "user": user, "status": response.status_code, "bytes": size,
                                  "queries": queries, "p50_ms": statistics.median(times),
                                  "p95_ms": times[max(0, int(len(times) * 0.95) - 1)], "first_ms": first}
        print(f"{name:24} {response.status_code} {size / 1024:8.1f} KB {queries:3} queries  "
              f"p50 {statistics.median(times):7.1f} ms  p95 {results['cases'][name]['p95_ms']:7.1f} ms  "
              f"first {first:7.1f} ms", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    if only and (OUT / f"inprocess-{label}.json").exists():  # the cases measured again replace their figures
        kept = json.loads((OUT / f"inprocess-{label}.json").read_text())
        results["cases"] = {**kept["cases"], **results["cases"]}
    (OUT / f"inprocess-{label}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))


def compare(small, large):
    a = json.loads((OUT / f"inprocess-{small}.json").read_text())
    b = json.loads((OUT / f"inprocess-{large}.json").read_text())
    print(f"| where | {small}: p95, queries, size | {large}: p95, queries, size | p95 ratio (goal ≤ 2) |")
    print("|---|---|---|---|")
    for name, x in a["cases"].items():
        y = b["cases"].get(name, {})
        ratio = f"{y['p95_ms'] / x['p95_ms']:.2f}" if y.get("p95_ms") else "–"
        print(f"| `{x['path']}`{' (' + x['user'] + ')' if x['user'] else ''} | {x['p95_ms']:.0f} ms, {x['queries']}, "
              f"{x['bytes'] / 1024:.1f} KB | {y.get('p95_ms', 0):.0f} ms, {y.get('queries')}, "
              f"{y.get('bytes', 0) / 1024:.1f} KB | {ratio} |")
    print(f"\nload average: {a['load']:.1f} ({small}), {b['load']:.1f} ({large})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--compare", nargs=2)
    parser.add_argument("--only", default="", help="comma-separated case names (benchmarks/scale.py CASES)")
    parser.add_argument("--changed", action="store_true",
                        help="before each request, the open-data catalogue changes (the latest dataset's stamp and "
                             "the catalogue's version are new; no row is written): the cost of a page after a change")
    args = parser.parse_args()
    only = [name for name in args.only.split(",") if name]
    compare(*args.compare) if args.compare else measure(args.label, args.runs, only, args.changed)


if __name__ == "__main__":
    main()
