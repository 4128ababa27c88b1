# Shell functions the bench scripts share; a script sources it from the
# repository root, before it changes directory:
#
#   . bench/lib.sh

# timed NAME CMD…: runs CMD with its output in NAME.out, and its wall
# seconds, user and system CPU seconds and peak RSS (KiB) in NAME.time.
timed() {
  local name=$1
  shift
  /usr/bin/time -o "$name.time" -f "%e %U %S %M" "$@" > "$name.out" 2>&1
}

# bench_line BENCH TIMEFILE [ROWS]: the benchstat line of one timed run
# (wall time, CPU seconds, peak RSS, and rows per second given ROWS).
bench_line() {
  local wall user sys rss line
  read -r wall user sys rss < "$2"
  line="Benchmark$1 1 $(echo "$wall * 1000000000 / 1" | bc) ns/op $(echo "$user + $sys" | bc) cpu-s $rss peak-KiB"
  if [ -n "${3:-}" ]; then
    line="$line $(echo "$3 / $wall" | bc) rows/s"
  fi
  echo "$line"
}

# start_standin DIR: starts the counting QuestDB stand-in (built as
# ./questdb-standin) in the background, its conf in DIR/conf.txt and its
# closing words in DIR/standin.txt, and waits until it listens.
start_standin() {
  mkdir -p "$1"
  ./questdb-standin -count-only > "$1/conf.txt" 2> "$1/standin.txt" &
  standin_pid=$!
  while [ ! -s "$1/conf.txt" ]; do sleep 0.05; done
}

# stop_standin DIR WANT: stops the stand-in and fails unless it received
# WANT rows.
stop_standin() {
  kill "$standin_pid" && wait "$standin_pid" || true
  local got
  got=$(grep -o '[0-9]* rows received' "$1/standin.txt" | cut -d' ' -f1)
  [ "$got" = "$2" ] || { echo "$1: the stand-in received $got rows, want $2" >&2; exit 1; }
}

# summarise FILE: benchstat's summary of the benchmark lines in FILE.
summarise() {
  if command -v benchstat > /dev/null; then
    benchstat "$1"
  elif [ -x "$HOME/go/bin/benchstat" ]; then
    "$HOME/go/bin/benchstat" "$1"
  else
    go run golang.org/x/perf/cmd/benchstat@latest "$1"
  fi
}
