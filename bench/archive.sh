#!/usr/bin/env bash
# The whole Kraken archive end to end through the real binary: a synthetic
# Kraken_OHLCVT.zip shaped like the real one (bench/archive: PAIRS pairs ×
# 7 intervals flat under master_q4/, an AppleDouble twin of each under
# __MACOSX/, some intervals missing), planned cold (members profiled) and
# warm (profiles cached in state), then applied into SQLite and, with its
# own state, into the QuestDB stand-in (bench/questdb-standin, counting
# the rows it checks, storing none). Prints each
# step's wall time, CPU (user + system, so 2 cores busy read as twice the
# wall time), peak RSS, and apply's rows per second. Run from the
# repository root:
#
#   bench/archive.sh [PAIRS] [SCALE]     (default 1715 0.01: 12,005 members, ~7 million rows)
#
# SCALE 1 is about one and a half times the real archive's ~26 GB.
set -euo pipefail
pairs=${1:-1715}
scale=${2:-0.01}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/candlekeep" ./cmd/candlekeep
go build -o "$work/questdb-standin" ./bench/questdb-standin
go run ./bench/mkarchive -pairs "$pairs" -scale "$scale" -out "$work/Kraken_OHLCVT.zip" -hcl "$work/main.hcl"
sed -i "s|path  = \".*Kraken_OHLCVT.zip\"|path  = \"Kraken_OHLCVT.zip\"|" "$work/main.hcl"
cd "$work"
timed() {
  local label=$1
  shift
  /usr/bin/time -a -o times.txt -f "$label: wall %e s, CPU %U s user + %S s system, peak RSS %M KiB" "$@"
}
timed "plan (cold)" ./candlekeep plan -no-color -now=2025-02-01 -out=all.plan 2>&1 | grep -E '^(Plan:|Note:|Warning:)'
timed "plan (warm)" ./candlekeep plan -no-color -now=2025-02-01 -out=all.plan 2>&1 | grep -E '^(Plan:|Note:|Warning:)'
start=$(date +%s.%N)
timed "apply" ./candlekeep apply -no-color all.plan 2>&1 | grep -E '^Apply|gaps recorded'
end=$(date +%s.%N)
rows=$(sqlite3 .candlekeep/candles.db 'SELECT count(*) FROM candles' 2>/dev/null || echo "?")
cat times.txt
echo "sink: $rows rows; apply $(echo "$end - $start" | bc) s, $(echo "$rows / ($end - $start)" | bc) rows/s"
ls -l Kraken_OHLCVT.zip .candlekeep/candles.db | awk '{print $5, $9}'

# The same archive into the QuestDB stand-in, from a fresh state.
mkdir qdb
ln -s ../Kraken_OHLCVT.zip qdb/Kraken_OHLCVT.zip
./questdb-standin -count-only > qdb/conf.txt 2> qdb/standin.txt &
standin=$!
while [ ! -s qdb/conf.txt ]; do sleep 0.1; done
cp main.hcl qdb/main.hcl
printf '\nsink "questdb" {\n  conf  = "%s"\n  table = "candles"\n}\n' "$(cat qdb/conf.txt)" >> qdb/main.hcl
cd qdb
start=$(date +%s.%N)
timed "apply into QuestDB" ../candlekeep apply -auto-approve -no-color -now=2025-02-01 2>&1 | grep -E '^Apply'
end=$(date +%s.%N)
kill "$standin"
wait "$standin" || true
tail -1 times.txt
cat standin.txt
echo "apply into QuestDB $(echo "$end - $start" | bc) s, $(echo "$rows / ($end - $start)" | bc) rows/s"
