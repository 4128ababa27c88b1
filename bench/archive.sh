#!/usr/bin/env bash
# The whole Kraken archive end to end through the real binary: a synthetic
# Kraken_OHLCVT.zip shaped like the real one (bench/archive: PAIRS pairs ×
# 7 intervals flat under master_q4/, an AppleDouble twin of each under
# __MACOSX/, some intervals missing), then RUNS times, each from a fresh
# state: planned cold (members profiled), planned again (warm: nothing
# cached yet, since plan writes nothing), applied into SQLite, and applied
# into the QuestDB stand-in (bench/questdb-standin, counting the rows it
# checks, storing none). Prints each step's wall time, CPU (user +
# system, so 2 cores busy read as twice the wall time) and peak RSS as
# benchstat lines, with apply's rows per second, and their summary. Run
# from the repository root:
#
#   bench/archive.sh [PAIRS] [SCALE] [RUNS]     (default 1715 0.01 1: 11,319 members, ~7 million rows)
#
# SCALE 1 is about one and a half times the real archive's ~26 GB; its
# SQLite file would be some 55 GB, so SINKS=questdb leaves SQLite out.
set -euo pipefail
pairs=${1:-1715}
scale=${2:-0.01}
runs=${3:-1}
sinks=${SINKS:-sqlite questdb}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
results=$work/results.txt
. bench/lib.sh

go build -o "$work/candlekeep" ./cmd/candlekeep
go build -o "$work/questdb-standin" ./bench/questdb-standin
go run ./bench/mkarchive -pairs "$pairs" -scale "$scale" -out "$work/Kraken_OHLCVT.zip" -hcl "$work/main.hcl"
sed -i "s|path  = \".*Kraken_OHLCVT.zip\"|path  = \"Kraken_OHLCVT.zip\"|" "$work/main.hcl"
cd "$work"
ls -l Kraken_OHLCVT.zip | awk '{print "zip:", $5, "bytes"}'

# step NAME CMD…: runs CMD timed and adds its benchstat line to the
# results (with rows per second once rows is known).
step() {
  local name=$1
  shift
  timed "$name" "$@"
  bench_line "Archive/$name" "$name.time" "${rows:-}" | tee -a "$results"
}

for run in $(seq "$runs"); do
  rm -rf .candlekeep qdb all.plan
  rows=
  step plan-cold ./candlekeep plan -no-color -now=2025-02-01 -out=all.plan
  step plan-warm ./candlekeep plan -no-color -now=2025-02-01 -out=all.plan
  if [ "$run" = 1 ]; then
    grep -E '^(Plan:|Note:|Warning:)' plan-warm.out
  fi
  rows=$(grep -o 'CSV loads\? ([0-9,]* candles' plan-warm.out | grep -o '[0-9,]* candles' | tr -d ', candles')
  if [[ " $sinks " == *" sqlite "* ]]; then
    step apply-sqlite ./candlekeep apply -no-color all.plan
    got=$(sqlite3 .candlekeep/candles.db 'SELECT count(*) FROM candles' 2>/dev/null || echo "$rows")
    [ "$got" = "$rows" ] || { echo "SQLite holds $got rows, want $rows" >&2; exit 1; }
  fi
  if [[ " $sinks " != *" questdb "* ]]; then
    continue
  fi

  # The same archive into the QuestDB stand-in, from a fresh state.
  mkdir qdb
  ln -s ../Kraken_OHLCVT.zip qdb/Kraken_OHLCVT.zip
  start_standin qdb
  cp main.hcl qdb/main.hcl
  printf '\nsink "questdb" {\n  conf  = "%s"\n  table = "candles"\n}\n' "$(cat qdb/conf.txt)" >> qdb/main.hcl
  (cd qdb && step apply-questdb ../candlekeep apply -auto-approve -no-color -now=2025-02-01)
  stop_standin qdb "$rows"
done

echo
echo "rows: $rows"
if [ -f .candlekeep/candles.db ]; then
  echo "SQLite file: $(ls -l .candlekeep/candles.db | awk '{print $5}') bytes"
fi
summarise "$results"
