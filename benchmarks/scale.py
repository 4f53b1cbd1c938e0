"""The pages of issue 21 at one installation size: gunicorn (2 sync workers) over PostgreSQL + Redis, wrk on loopback.

    # a database prepared with `migrate` + `load_demo` (3 organizations), and a copy of it brought to 7,850 with
    # `make_fake_organizations --total 7850`; then, for each:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench3 REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python benchmarks/scale.py --label 3 [--seconds 5] [--only landing,admin-index]
    .venv/bin/python benchmarks/scale.py --compare 3 7850      # the table: p95 at both sizes and their ratio

Each case is a short wrk run (1 thread, 4 connections, `--seconds` after a 1 s warm-up; slow pages therefore get
few requests, bounded by the time), signed-in cases with a session cookie made for the user. Results go to
var/bench/scale-<label>.json. The cache is emptied (FLUSHDB of the Redis database given) before the server starts.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"

# name, path, user ("" anonymous; "auditor" is the widest auditor there is), what issue 21 measured
CASES = [
    ("landing", "/", ""),
    ("landing-search", "/?q=" + quote("กาฬสินธุ์"), ""),
    ("opendata", "/opendata/", ""),
    ("package_search", "/api/3/action/package_search?rows=100", ""),
    # how ckanext-harvest pages a catalogue (rows=100, start, sort=id asc); the first page at both sizes
    ("package_search-harvest", "/api/3/action/package_search?rows=100&start=0&sort=" + quote("id asc"), ""),
    ("package_list", "/api/3/action/package_list", ""),
    ("package_list-page", "/api/3/action/package_list?limit=1000&offset=0", ""),
    ("organization_list", "/api/3/action/organization_list", ""),
    ("organization_list-all", "/api/3/action/organization_list?all_fields=true&limit=100", ""),
    ("catalog.ttl", "/opendata/catalog.ttl", ""),
    ("admin-index", "/admin/", "admin"),
    ("complaint-changelist", "/admin/complaints/complaint/", "admin"),
    ("plans-audit", "/plans/audit/", "auditor"),
    ("org-home", "/khamyai/", ""),
    ("bare-same-bytes", "/__bare/same-bytes", ""),
    ("eservice-catalogue", "/khamyai/eservice/", ""),
    ("complaint-form", "/khamyai/complaints/new/", ""),
    ("open311-services", "/open311/v2/services.json?jurisdiction_id=khamyai", ""),
]


def _env():
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="benchmarks.settings", DJANGO_DEBUG="0",
               SECRET_KEY="bench-only-secret-key-0123456789abcdefghijklmnop",
               PERSONAL_ID_HASH_KEY="bench-only-personal-id-key", ALLOWED_HOSTS="127.0.0.1",
               SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", RATELIMIT_ENABLE="0", LOG_LEVEL="ERROR")
    return env


def _sessions(env) -> dict[str, str]:
    """Session cookies for the superuser and the auditor of the most organizations, made in the database."""
    code = (
        "import django, json; django.setup()\n"
        "from django.conf import settings; from django.db.models import Count; from django.test import Client\n"
        "from django.contrib.auth import get_user_model\n"
        "from portal.models import Membership, Role\n"
        "User = get_user_model(); out = {}\n"
        "widest = (Membership.objects.filter(role=Role.AUDITOR).values('user').annotate(n=Count('pk'))"
        ".order_by('-n').first())\n"
        "for name, user in (('admin', User.objects.filter(is_superuser=True).order_by('pk').first()),"
        " ('auditor', User.objects.get(pk=widest['user']) if widest else None)):\n"
        "    c = Client(); c.force_login(user); out[name] = c.cookies[settings.SESSION_COOKIE_NAME].value\n"
        "    out[name + '_name'] = user.username\n"
        "print(json.dumps(out))\n")
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _wrk(url, seconds, cookie=""):
    header = ["-H", f"Cookie: sessionid={cookie}"] if cookie else []
    base = ["wrk", "-t1", "-c4", "--timeout", "40s", *header]
    subprocess.run([*base, "-d1s", url], capture_output=True)  # warm-up
    run = subprocess.run([*base, f"-d{seconds}s", "-s", str(ROOT / "benchmarks" / "p95.lua"), url],
                         capture_output=True, text=True)
    line = next((ln for ln in run.stdout.splitlines() if ln.startswith("RESULT")), "")
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


def measure(label, seconds, only, port):
    env = _env()
    subprocess.run(["redis-cli", "-u", env["REDIS_URL"], "FLUSHDB"], check=True, capture_output=True)
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():  # production mode serves the manifest's files
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT,
                       check=True)
    cookies = _sessions(env)
    body = tempfile.NamedTemporaryFile(delete=False)
    env["BENCH_BODY_FILE"] = body.name
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "portal.wsgi:application", "--workers", "2",
                               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"],
                              env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    results = {"label": label, "load_before": os.getloadavg(), "when": time.strftime("%Y-%m-%d %H:%M UTC",
                                                                                       time.gmtime()),
               "users": {"admin": cookies["admin_name"], "auditor": cookies["auditor_name"]}, "cases": {}}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        Path(body.name).write_bytes(urllib.request.urlopen(base + "/khamyai/").read())
        for name, path, user in CASES:
            if only and name not in only:
                continue
            cookie = cookies.get(user, "")
            request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status, size = response.status, len(response.read())
            except urllib.error.HTTPError as error:
                status, size = error.code, len(error.read())
            except OSError:
                status, size = 0, 0
            figures = _wrk(base + path, seconds, cookie) if status == 200 else {}
            results["cases"][name] = {"path": path, "user": user, "status": status, "bytes": size, **figures}
            print(f"{name:24} {status} {size / 1024:8.1f} KB  "
                  + "  ".join(f"{k}={v:g}" for k, v in figures.items()), flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker still busy with a request that outlived wrk
            server.kill()
            server.wait()
        os.unlink(body.name)
    results["load_after"] = os.getloadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"scale-{label}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return results


def compare(small, large):
    a = json.loads((OUT / f"scale-{small}.json").read_text())
    b = json.loads((OUT / f"scale-{large}.json").read_text())
    print(f"| where | {small} organizations: req/s, p95, size | {large} organizations: req/s, p95, size "
          f"| p95 ratio (goal ≤ 2) |")
    print("|---|---|---|---|")

    def cell(c):
        if not c.get("rps"):
            return f"status {c.get('status')}"
        return f"{c['rps']:.0f} req/s, {c['p95_ms']:.0f} ms, {c['bytes'] / 1024:.1f} KB"

    for name, case in a["cases"].items():
        other = b["cases"].get(name, {})
        ratio = (f"{other['p95_ms'] / case['p95_ms']:.2f}" if other.get("p95_ms") and case.get("p95_ms") else "–")
        print(f"| `{case['path']}`{' (' + case['user'] + ')' if case['user'] else ''} | {cell(case)} | "
              f"{cell(other)} | {ratio} |")
    for r in (a, b):
        home, bare = r["cases"].get("org-home", {}), r["cases"].get("bare-same-bytes", {})
        if home.get("rps") and bare.get("rps"):
            print(f"\n{r['label']}: home / bare throughput {home['rps'] / bare['rps']:.2f} (goal ≥ 0.5)", end="")
        print(f"; load {r['load_before'][0]:.1f} before, {r['load_after'][0]:.1f} after, {r['when']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--only", default="")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8791)))
    parser.add_argument("--compare", nargs=2, metavar=("SMALL", "LARGE"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
    else:
        measure(args.label, args.seconds, set(filter(None, args.only.split(","))), args.port)


if __name__ == "__main__":
    main()
