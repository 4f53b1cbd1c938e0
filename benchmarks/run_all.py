"""`make bench`: every benchmark of the project, one after the other, each figure printed beside its goal.

    .venv/bin/python benchmarks/run_all.py [--only NAME,...] [--list]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres), Redis on 127.0.0.1:6379 and wrk (`bash scripts/system-deps.sh
bench`). Each benchmark gets its own database (bench_<name>, dropped and made again with `migrate` and, where the
benchmark needs it, `load_demo`); the scale benchmark reuses bench_scale3 / bench_scale7850 when they exist, since
building 7,850 organizations takes long. The whole run takes an hour or more on the standard 2-core machine; it is
not part of CI. Goals are those of BENCHMARKS.md; "met" is judged on the figure printed beside it.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
PY = str(ROOT / ".venv" / "bin" / "python")


def _num(pattern, text, group=1):
    match = re.search(pattern, text)
    return float(match.group(group)) if match else None


def _ratio_of_results(text):
    rps = [float(v) for v in re.findall(r"RESULT .*?rps=([\d.]+)", text)]
    return rps[0] / rps[1] if len(rps) >= 2 and rps[1] else None


def _scale_worst(text):
    ratios = [float(r) for r in re.findall(r"\| ([\d.]+) \|\s*$", text, re.M)]
    return max(ratios) if ratios else None


def _slowest_step(text):
    steps = [float(m) for m in re.findall(r"\s[\d.]+ ms\s+([\d.]+) ms\s+\d+\s*$", text, re.M)]
    return max(steps) if steps else None


def _slowest_beat_run(text):
    runs = [float(m.replace(",", "")) for m in re.findall(r"\| `[^`]+` \| ([\d,]+) ms", text)]
    return max(runs) if runs else None


# name, database (None: the script makes its own), load_demo first, command, figure(output) -> number, unit,
# goal text, met(number) -> bool
BENCHMARKS = [
    ("org_home", None, False, ["bash", "benchmarks/org_home.sh", "15"], _ratio_of_results, "home/bare",
     "≥ 0.5", lambda v: v >= 0.5),
    ("import_seeds", "bench_plans", False, [PY, "benchmarks/import_seeds.py"],
     lambda t: _num(r"all three seeds \(mean\)\s+([\d.]+) ms", t), "ms", "< 1000 ms", lambda v: v < 1000),
    ("plan_pdf", "bench_plans", False, [PY, "benchmarks/plan_reports.py"],
     lambda t: _num(r"phannanakhon PDF\s+([\d.]+) ms", t), "ms", "< 1500 ms", lambda v: v < 1500),
    ("complaints_submit", "bench_complaints", True, ["bash", "benchmarks/complaints_submit.sh"],
     lambda t: _num(r"MEDIAN ratio ([\d.]+)", t), "submission/bare", "≥ 0.5", lambda v: v >= 0.5),
    ("complaints_list", "bench_complaints", True, [PY, "benchmarks/complaints_list.py", "--runs", "20"],
     lambda t: max((float(x) for x in re.findall(r"ms\s+([\d.]+)ms\s+[\d.]+ms", t)), default=None),
     "ms worst admin p95", "≤ 200 ms", lambda v: v <= 200),
    ("taxpay_assessment", "bench_taxpay", False, [PY, "benchmarks/taxpay_assessment.py", "50000"],
     lambda t: _num(r"assessment_seconds=([\d.]+)", t), "s", "< 60 s", lambda v: v < 60),
    ("taxpay_qr", None, False, [PY, "benchmarks/taxpay_qr.py", "300"],
     lambda t: _num(r"cpu_median_ms=([\d.]+)", t), "ms CPU (median)", "< 20 ms", lambda v: v < 20),
    ("taxpay_bill", None, False, ["bash", "benchmarks/taxpay_bill.sh", "15"], _ratio_of_results, "page/bare",
     "≥ 0.3", lambda v: v >= 0.3),
    ("eservice_booking", "bench_eservice", True, ["bash", "benchmarks/eservice_booking.sh"],
     lambda t: _num(r"MEDIAN ratio ([\d.]+)", t), "booking/bare", "≥ 0.5", lambda v: v >= 0.5),
    ("eservice_receipt", "bench_eservice", True, [PY, "benchmarks/eservice_receipt.py"],
     lambda t: _num(r"median ([\d.]+) ms wall", t), "ms", "< 300 ms", lambda v: v < 300),
    ("opendata_search", "bench_opendata", False, [PY, "benchmarks/opendata_search.py", "200"],
     lambda t: _num(r"p95 ([\d.]+) ms", t), "ms p95", "≤ 100 ms", lambda v: v <= 100),
    ("opendata_refresh", "bench_opendata", False, [PY, "benchmarks/opendata_refresh.py"],
     lambda t: _num(r"the whole Celery task.*?: ([\d.]+) s", t), "s", "< 30 s", lambda v: v < 30),
    ("upload_images", None, False, [PY, "benchmarks/upload_images.py"],
     lambda t: _num(r"check_images\S*\s+5\s+[\d.]+\s+([\d.]+)", t), "s (5 phone photos)", "–", None),
    ("scale", None, False, ["bash", "-c", "benchmarks/scale_both.sh"], _scale_worst, "worst p95 ratio 7,850/3",
     "≤ 2", lambda v: v <= 2),
    ("onboarding", None, False, [PY, "benchmarks/onboarding.py", "5"], _slowest_step, "ms slowest step (max of 5)",
     "< 2000 ms", lambda v: v < 2000),
    # after "scale", which builds bench_scale7850; the tasks write, as in production, to that benchmark database
    ("beat_tasks", None, False, ["bash", "-c", f"DATABASE_URL={PG}bench_scale7850 {PY} benchmarks/beat_tasks.py 20"],
     _slowest_beat_run, "ms slowest beat run at 7,850", "–", None),
]


def _database(name, demo):
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {name}",
                    "-c", f"CREATE DATABASE {name}", "postgres"], check=True)
    env = {**os.environ, "DATABASE_URL": PG + name, "REDIS_URL": REDIS}
    subprocess.run([PY, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    if demo:
        subprocess.run([PY, "manage.py", "load_demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    if args.list:
        for name, *_rest in BENCHMARKS:
            print(name)
        return
    rows, prepared = [], set()
    for name, database, demo, command, figure, unit, goal, met in BENCHMARKS:
        if only and name not in only:
            continue
        env = {**os.environ, "REDIS_URL": REDIS}
        if database:
            if database not in prepared:
                _database(database, demo)
                prepared.add(database)
            env["DATABASE_URL"] = PG + database
        print(f"== {name}: {' '.join(command)}  (load {os.getloadavg()[0]:.1f})", flush=True)
        started = time.monotonic()
        run = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        sys.stdout.write(run.stdout[-3000:])
        if run.returncode:
            sys.stdout.write(run.stderr[-2000:])
        value = figure(run.stdout) if run.returncode == 0 else None
        verdict = "failed to run" if value is None else ("met" if met is None or met(value) else "NOT met")
        rows.append((name, value, unit, goal, verdict, time.monotonic() - started))
    print(f"\n{'benchmark':20} {'figure':>10}  {'unit':24} {'goal':10} {'':14} seconds")
    for name, value, unit, goal, verdict, took in rows:
        shown = "–" if value is None else f"{value:.2f}"
        print(f"{name:20} {shown:>10}  {unit:24} {goal:10} {verdict:14} {took:.0f}")
    print(f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
