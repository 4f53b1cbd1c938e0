#!/usr/bin/env bash
# Issue 21's table: the same pages at 3 organizations (load_demo) and at 7,850 (load_demo + make_fake_organizations),
# gunicorn 2 workers + PostgreSQL + Redis. The two databases are made once and reused (the 7,850 build takes
# 15–50 minutes); drop them to rebuild.  Usage: bash benchmarks/scale_both.sh [seconds per case]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/9}
for size in 3 7850; do
  db=bench_scale$size
  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db
  if ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$db"; then
    createdb -h 127.0.0.1 -U postgres "$db"
    $PY manage.py migrate -v0
    $PY manage.py load_demo >/dev/null
    [ "$size" = 3 ] || $PY manage.py make_fake_organizations --total "$size"
  fi
  $PY manage.py migrate -v0
  $PY benchmarks/scale.py --label "$size" --seconds "${1:-5}"
done
$PY benchmarks/scale.py --compare 3 7850
