#!/usr/bin/env bash
# Builds Agora in release mode, seeds the bench-20k shop (shared/BENCHMARKS.md) into a
# temporary folder, runs the load harness against SQLite and, when reachable, PostgreSQL,
# and prints one table per backend. Run it on a quiet machine: nothing else building.
#
#   bash bench/run.sh                          # full run: 20 s per workload after 5 s warm-up
#   bash bench/run.sh --duration 2 --warmup 1  # any further arguments go to agora-bench
#
# Environment:
#   AGORA_BENCH_PG_URL     admin URL of a PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres);
#                          a fresh database is created there for the run and dropped afterwards
#   AGORA_BENCH_SEED_ARGS  extra arguments for `agora seed-bench` (e.g. "--products-per-leaf 4" for a smoke run)
#   AGORA_BENCH_PROFILE    cargo profile to build (default release; "dev" only to check the script itself)
#   CARGO_TARGET_DIR       where cargo builds (default ./target)
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${AGORA_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PROFILE="${AGORA_BENCH_PROFILE:-release}"
read -r -a SEED_ARGS <<< "${AGORA_BENCH_SEED_ARGS:-}"
TARGET="${CARGO_TARGET_DIR:-target}"
case "$PROFILE" in
  dev) BIN="$TARGET/debug" ;;
  *) BIN="$TARGET/$PROFILE" ;;
esac

cargo build --profile "$PROFILE" -p agora -p agora-bench

WORK="$(mktemp -d)"
# Copy the binaries at once: a shared target folder may be rebuilt by other checkouts meanwhile.
cp "$BIN/agora" "$BIN/agora-bench" "$WORK/"
BIN="$WORK"
PG_DB=""
cleanup() {
  if [ -n "$PG_DB" ]; then psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== SQLite =="
"$BIN/agora" --data-dir "$WORK/sqlite" seed-bench "${SEED_ARGS[@]}"
"$BIN/agora-bench" --agora "$BIN/agora" --data-dir "$WORK/sqlite" "$@"

echo
echo "== PostgreSQL =="
if command -v psql >/dev/null && psql "$PG_URL" -qtAc 'SELECT 1' >/dev/null 2>&1; then
  PG_DB="agora_bench_$$"
  psql "$PG_URL" -qc "CREATE DATABASE $PG_DB"
  DB_URL="${PG_URL%/*}/$PG_DB"
  "$BIN/agora" --data-dir "$WORK/pg" --database-url "$DB_URL" seed-bench "${SEED_ARGS[@]}"
  "$BIN/agora-bench" --agora "$BIN/agora" --data-dir "$WORK/pg" --database-url "$DB_URL" "$@"
else
  echo "PostgreSQL is not reachable at $PG_URL (or psql is missing): skipped."
fi
