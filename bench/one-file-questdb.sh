#!/usr/bin/env bash
# One big file into QuestDB through the binary, against the naive loader
# in the same run: `candlekeep apply -auto-approve` as a process (reading
# its configuration, planning, fingerprinting the file, setting the table
# up, loading, recording) of one ROWS-row 1-minute file shaped like the
# real XBTUSD_60.csv, into the QuestDB stand-in run as a program
# (bench/questdb-standin -count-only: every row parsed and checked, none
# stored), then the naive loader (bench/naive-questdb: encoding/csv,
# strconv, one go-questdb-client sender) as a program into a fresh
# stand-in, RUNS times in turn. Prints benchstat lines (wall time, rows/s,
# peak RSS, and x_naive, the naive loader's time over candlekeep's in the
# same run) and their summary. Run from the repository root:
#
#   bench/one-file-questdb.sh [ROWS] [RUNS]     (default 3000000 6)
set -euo pipefail
rows=${1:-3000000}
runs=${2:-6}
work=$(mktemp -d)
. bench/lib.sh
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/candlekeep" ./cmd/candlekeep
go build -o "$work/questdb-standin" ./bench/questdb-standin
go build -o "$work/naive-questdb" ./bench/naive-questdb
mkdir -p "$work/dump"
go run ./bench/mkbig -rows "$rows" -step 60 -start 2015-01-01 -out "$work/dump/XBTUSD_1.csv" >/dev/null
file=$work/dump/XBTUSD_1.csv
from=$(date -u -d "@$(head -1 "$file" | cut -d, -f1)" +%Y-%m-%d)
to=$(date -u -d "@$(( $(tail -1 "$file" | cut -d, -f1) + 86400 * 2 ))" +%Y-%m-%d)
cd "$work"

# standin DIR: starts a counting stand-in and writes the configuration
# that loads the file into it, in DIR.
standin() {
  start_standin "$1"
  cat > "$1/main.hcl" <<HCL
dump "big" {
  path  = "../dump"
  until = "$to"
}

sink "questdb" {
  conf  = "$(cat "$1/conf.txt")"
  table = "candles"
}

coverage "minutes" {
  pairs     = ["XBTUSD"]
  intervals = ["1m"]
  from      = "$from"
  to        = "$to"
}
HCL
}

results=$work/results.txt
for run in $(seq "$runs"); do
  rm -rf ck nv
  standin ck
  (cd ck && timed ../ck ../candlekeep apply -auto-approve -no-color -now="$to")
  stop_standin ck "$rows"

  standin nv
  (cd nv && ../candlekeep init -no-color > /dev/null) # the same table, made the same way
  timed nv ./naive-questdb -conf "$(cat nv/conf.txt)" "$file"
  stop_standin nv "$rows"

  {
    bench_line OneFileBinary/candlekeep ck.time "$rows"
    bench_line OneFileBinary/naive nv.time "$rows"
    echo "BenchmarkOneFileBinary/ratio 1 $(echo "scale=3; $(cut -d' ' -f1 nv.time) / $(cut -d' ' -f1 ck.time)" | bc) x_naive"
  } | tee -a "$results"
done

echo
summarise "$results"
