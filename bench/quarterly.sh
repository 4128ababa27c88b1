#!/usr/bin/env bash
# A quarterly update through the real binary: a zip of MEMBERS members of
# ROWS real rows each (bench/mkquarter), planned cold (profiles computed),
# planned warm (profiles cached in state), then applied into SQLite. Prints
# each step's wall time and peak RSS, and apply's per-file cost. Run from
# the repository root:
#
#   bench/quarterly.sh [MEMBERS] [ROWS]     (default 10000 100)
set -euo pipefail
members=${1:-10000}
rows=${2:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/candlekeep" ./cmd/candlekeep
go run ./bench/mkquarter -members "$members" -rows "$rows" -out "$work/Kraken_OHLCVT_Q3_2020.zip"
{
  echo 'dump "q3" {'
  echo '  path = "Kraken_OHLCVT_Q3_2020.zip"'
  echo '}'
  echo 'coverage "all" {'
  printf '  pairs     = ['
  for ((i = 0; i < members; i++)); do printf '"P%05dUSD",' "$i"; done
  echo ']'
  echo '  intervals = ["1h"]'
  echo '  from      = "2020-07-01"'
  echo '  to        = "2020-10-01"'
  echo '}'
} > "$work/main.hcl"
cd "$work"
timed() {
  local label=$1
  shift
  /usr/bin/time -f "$label: wall %e s, peak RSS %M KiB" "$@"
}
timed "plan (cold)" ./candlekeep plan -no-color -now=2026-01-01 -out=q3.plan | grep '^Plan:'
timed "plan (warm)" ./candlekeep plan -no-color -now=2026-01-01 -out=q3.plan | grep '^Plan:'
start=$(date +%s.%N)
timed "apply" ./candlekeep apply -no-color q3.plan | grep '^Apply'
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$members" 'BEGIN { printf "apply per file: %.3f ms\n", (e - s) * 1000 / n }'
