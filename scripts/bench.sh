#!/usr/bin/env bash
# make bench's steps on the database in DATABASE_URL (a throwaway one: scripts/with-postgres.sh, or a fresh
# SQLite file): migrate, build the bench province at SCALE, then time the pages and jobs.
#
#   SCALE=0.1 BENCH_ROUNDS=5 scripts/with-postgres.sh scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
SCALE=${SCALE:-1}
# A throwaway database: the test settings (no SECRET_KEY needed, a fixed audit key, no second factor).
export DEPUTYHOME_TESTING=1

"$PY" manage.py migrate --noinput -v 0
started=$(date +%s.%N)
"$PY" manage.py bench_data --scale "$SCALE"
build=$(python3 -c "import time; print(round(time.time() - $started, 1))")
echo "bench_data: ${build} s" >&2
"$PY" manage.py bench_run --rounds "${BENCH_ROUNDS:-5}" --build-seconds "$build" ${BENCH_ARGS:-}
