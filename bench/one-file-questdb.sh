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

# standin DIR: starts a counting stand-in, its conf in DIR/conf.txt.
standin() {
  mkdir -p "$1"
  ./questdb-standin -count-only > "$1/conf.txt" 2> "$1/standin.txt" &
  while [ ! -s "$1/conf.txt" ]; do sleep 0.05; done
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

# timed OUT CMD…: runs CMD, its wall seconds, CPU seconds and peak RSS
# (KiB) in OUT.
timed() {
  local out=$1
  shift
  /usr/bin/time -o "$out" -f "%e %U %S %M" "$@" > /dev/null
}

results=$work/results.txt
for run in $(seq "$runs"); do
  rm -rf ck nv
  standin ck
  (cd ck && timed ../ck.time ../candlekeep apply -auto-approve -no-color -now="$to")
  kill %1 && wait %1 || true
  got=$(grep -o '[0-9]* rows received' ck/standin.txt | cut -d' ' -f1)
  [ "$got" = "$rows" ] || { echo "candlekeep: the stand-in received $got rows, want $rows" >&2; exit 1; }

  standin nv
  (cd nv && ../candlekeep init -no-color > /dev/null) # the same table, made the same way
  timed nv.time ./naive-questdb -conf "$(cat nv/conf.txt)" "$file"
  kill %1 && wait %1 || true
  got=$(grep -o '[0-9]* rows received' nv/standin.txt | cut -d' ' -f1)
  [ "$got" = "$rows" ] || { echo "naive: the stand-in received $got rows, want $rows" >&2; exit 1; }

  read -r ckw cku cks ckm < ck.time
  read -r nvw nvu nvs nvm < nv.time
  {
    echo "BenchmarkOneFileBinary/candlekeep 1 $(echo "$ckw * 1000000000 / 1" | bc) ns/op $(echo "$rows / $ckw" | bc) rows/s $(echo "$cku + $cks" | bc) cpu-s $ckm peak-KiB"
    echo "BenchmarkOneFileBinary/naive 1 $(echo "$nvw * 1000000000 / 1" | bc) ns/op $(echo "$rows / $nvw" | bc) rows/s $(echo "$nvu + $nvs" | bc) cpu-s $nvm peak-KiB"
    echo "BenchmarkOneFileBinary/ratio 1 $(echo "scale=3; $nvw / $ckw" | bc) x_naive"
  } | tee -a "$results"
done

echo
if command -v benchstat > /dev/null; then
  benchstat "$results"
elif [ -x "$HOME/go/bin/benchstat" ]; then
  "$HOME/go/bin/benchstat" "$results"
fi
