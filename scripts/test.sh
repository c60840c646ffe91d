#!/usr/bin/env bash
# Run the whole test suite on SQLite, then again on PostgreSQL when it is reachable.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -x -k receipt`).
# ENGAGE_REQUIRE_POSTGRES=1 (set by CI) turns "PostgreSQL unreachable" into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=.venv/bin/pytest
PG_URL="${ENGAGE_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"

echo "== 1/2 Test suite on SQLite"
env -u ENGAGE_TEST_DATABASE_URL "$PYTEST" "$@"

if .venv/bin/python - "$PG_URL" <<'PY' 2>/dev/null
import sys
import psycopg
psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3).close()
PY
then
  echo "== 2/2 Test suite on PostgreSQL ($PG_URL)"
  ENGAGE_TEST_DATABASE_URL="$PG_URL" "$PYTEST" "$@"
elif [ "${ENGAGE_REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "== 2/2 PostgreSQL is not reachable at $PG_URL, and ENGAGE_REQUIRE_POSTGRES=1: failing." >&2
  exit 1
else
  echo "== 2/2 SKIPPED: PostgreSQL is not reachable at $PG_URL."
  echo "       Start it or set ENGAGE_TEST_DATABASE_URL to run the suite on PostgreSQL too."
fi
