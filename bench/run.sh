#!/usr/bin/env bash
# The end-to-end benchmarks, six runs each, summarised with benchstat:
# QuestDB (stand-in counting rows) with candlekeep and the naive loader in
# the same run, SQLite, 10,000 small files, CSV parsing (plain and from a
# zip), plan at full-history scale and report; then peak RSS and a
# quarterly update through the real binary, and one big file into the
# QuestDB stand-in through the binary against the naive loader.
# Run from the repository root:
#
#   bench/run.sh [OUT]     (raw results in OUT, default $TMPDIR/candlekeep-bench.txt)
#
# With PROFILE=1 it also writes a CPU profile of the two-file QuestDB
# apply and prints where its time goes (bench/profile-questdb.sh).
set -euo pipefail
out=${1:-${TMPDIR:-/tmp}/candlekeep-bench.txt}
count=${COUNT:-6}
. bench/lib.sh

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(go version | cut -d' ' -f3-)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# One invocation per package: one -benchtime applies to all its
# benchmarks, and 1x is plenty where one iteration loads millions of rows.
{
  go test -run='^$' -bench='ApplyQuestDB|QuestDBVersusNaive|ApplySQLite|ApplySmallFiles' -benchtime=1x -count="$count" ./executor/
  go test -run='^$' -bench='Parse|Inflate' -count="$count" ./sources/krakencsv/
  go test -run='^$' -bench='Write' -benchtime=3x -count="$count" ./sinks/questdb/
  go test -run='^$' -bench='PlanFullHistory|PlanQuarterlyUpdate' -benchtime=3x -count="$count" ./cmd/candlekeep/
  go test -run='^$' -bench='Plan$|Report' -count="$count" ./state/
} | tee "$out"

echo
echo "raw results: $out"
summarise "$out"

echo
bench/one-file-questdb.sh 3000000 "$count"
echo
bench/apply-sqlite.sh 3000000
bench/apply-sqlite.sh 6000000
echo
bench/quarterly.sh 10000 100

if [[ ${PROFILE:-} == 1 ]]; then
  echo
  bench/profile-questdb.sh
fi
