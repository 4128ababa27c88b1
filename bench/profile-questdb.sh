#!/usr/bin/env bash
# A CPU profile of candlekeep's apply of 3-million-row files into the
# QuestDB stand-in (counting rows), two in parallel or one, summarised:
# the top functions, then the share of the main stages. Run from the
# repository root:
#
#   bench/profile-questdb.sh [PROFILE] [two-files|one-file]     (default $TMPDIR/questdb.prof two-files)
set -euo pipefail
prof=${1:-${TMPDIR:-/tmp}/questdb.prof}
files=${2:-two-files}
bin=$(mktemp -d)/executor.test
trap 'rm -rf "$(dirname "$bin")"' EXIT

go test -c -o "$bin" ./executor/
(cd executor && "$bin" -test.run='^$' -test.bench="ApplyQuestDB/$files" -test.benchtime=2x \
  -test.cpuprofile="$prof") | grep -E '^Benchmark'

echo
go tool pprof -top -nodecount=25 "$bin" "$prof" 2>/dev/null | sed -n '4,$p'

# Cumulative shares of the stages, by the function that enters each.
echo
echo "stage shares (cumulative, of all samples):"
go tool pprof -top -cum -nodecount=100000 "$bin" "$prof" 2>/dev/null | awk '
  BEGIN {
    n = split("sinks/questdb.(*writer).encode|go-questdb-client/v3.(*buffer).writeFloat|go-questdb-client/v3.(*buffer).writeColumnName|questdbtest.(*Server).serveWrite|krakencsv.(*Reader).Read|sha256.(*Digest).Write|runtime.gcBgMarkWorker|net/http.(*persistConn).writeLoop", fn, "|")
    split("candlekeep encoding rows with go-questdb-client|  of which the client formatting floats (strconv)|  of which the client writing column names|stand-in reading and checking ILP|candlekeep CSV parsing (validation and load)|file hashing (sha256)|garbage collector|HTTP client writing requests", label, "|")
  }
  /Total samples/ { print "  " $0 }
  { for (i = 1; i <= n; i++) if (index($6, fn[i]) && !(i in share)) share[i] = $5 }
  END { for (i = 1; i <= n; i++) printf "  %-52s %s\n", label[i], (i in share) ? share[i] : "-" }'
