#!/usr/bin/env bash
# End-to-end apply of one large real-shaped Kraken file into the SQLite
# sink, through the real binary: rows/s from apply's own summary, peak RSS
# from /usr/bin/time. Run from the repository root:
#
#   bench/apply-sqlite.sh [ROWS]     (default 3000000)
set -euo pipefail
rows=${1:-3000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/candlekeep" ./cmd/candlekeep
go run ./bench/mkbig -rows "$rows" -out "$work/dump/XBTUSD_60.csv"
cat > "$work/main.hcl" <<HCL
dump "big" {
  path  = "dump"
  until = "2900-01-01"
}

coverage "all" {
  pairs     = ["XBTUSD"]
  intervals = ["1h"]
  from      = "2013-01-01"
  to        = "2900-01-01"
}
HCL
cd "$work"
./candlekeep plan -no-color -now=2900-01-01 | tail -n 1
/usr/bin/time -f 'peak RSS: %M KiB, wall %e s, user %U s, sys %S s' \
  ./candlekeep apply -auto-approve -no-color -now=2900-01-01 | grep '^Apply'
