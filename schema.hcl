# candlekeep configuration reference.
#
# Every *.hcl file in the configuration directory (not its subdirectories)
# is read as one configuration, like Terraform's *.tf files. This file shows
# every block and attribute this version knows, with what it means, its
# default and its allowed values. Anything not listed here is an error.
#
# Relative paths are relative to the configuration directory.
#
# Every expression may use:
#   var.NAME             a variable declared below
#   env("NAME")          an environment variable; an error when it is unset
#                        (in a state dsn or sink conf, only for the commands
#                        that connect with it: validate needs neither)
#   env("NAME", "x")     ... or "x" when it is unset
#   functions            lower, upper, title, trimspace, format, join, split,
#                        replace, substr, length, concat, distinct, flatten,
#                        contains, coalesce, sort, keys, values, merge, min,
#                        max, abs, ceil, floor, range, timeadd, formatdate,
#                        tostring, tonumber, tolist, ...
# There is no timestamp(): the clock enters only through `plan -now=TIME`.

# variable "NAME": a value set from outside the files. Precedence, lowest
# first: default, the environment variable CANDLEKEEP_VAR_NAME, -var-file
# files (in order), -var NAME=VALUE (in order). A variable without a default
# must be set one of those ways. Setting an undeclared variable with -var or
# in a -var-file is an error.
variable "history_from" {
  # type: optional type constraint: string, number, bool, list(string), ...
  # Values from -var and the environment are taken literally for string
  # (and untyped) variables, and parsed as HCL for the others
  # (-var 'extra_pairs=["DOTUSD"]').
  type = string
  # description: optional, for people reading the configuration.
  description = "Start of the long-term history window."
  # default: optional; without it the variable must be set from outside.
  default = "2020-01-01"
}

variable "recent_days" {
  type        = number
  description = "Length of the recent window, in days."
  default     = 30
}

variable "extra_pairs" {
  type        = list(string)
  description = "Pairs wanted at short intervals besides the tiers."
  default     = ["dotusd"]
}

# state: where candlekeep records what it loaded (coverage, files, gaps,
# runs). At most one block; without it: sqlite at .candlekeep/state.db.
state {
  # backend: "sqlite" (default) or "postgres".
  backend = "sqlite"
  # path: sqlite only; the state database file. Default .candlekeep/state.db.
  path = env("CANDLEKEEP_STATE_PATH", ".candlekeep/state.db")
}
# For a team, keep state in PostgreSQL. dsn is required for postgres and
# not allowed for sqlite; it is a secret, so take it from the environment.
# state {
#   backend = "postgres"
#   dsn     = env("CANDLEKEEP_STATE_DSN")
# }

# sink "TYPE": where candles are written, "sqlite" or "questdb". At most
# one block; without it: sqlite at .candlekeep/candles.db, table "candles".
sink "sqlite" {
  # path: sqlite only; the candle database file. Default
  # .candlekeep/candles.db.
  path = ".candlekeep/candles.db"
  # table: a plain identifier (letters, digits, underscores). Default "candles".
  table = "candles"
}
# For a team, write the candles to QuestDB (see docs/questdb.md). conf is
# required for questdb and not allowed for sqlite, path the other way round.
# conf is the QuestDB client's configuration string: "http::" or "https::"
# (ILP over HTTP, whose writes are acknowledged; tcp:: and udp:: are
# refused), then key=value settings each ending in ";", a ";" inside a value
# written ";;". addr (host:port, QuestDB's HTTP port is 9000) is required;
# then username and password, or token; tls_verify ("on" or "unsafe_off",
# https:: only); request_timeout, retry_timeout (milliseconds),
# request_min_throughput, init_buf_size, max_buf_size. auto_flush settings
# are refused: candlekeep flushes each batch itself. It holds credentials, so
# build it from the environment; it is never printed.
# sink "questdb" {
#   conf  = "https::addr=${env("QDB_ADDR")};username=${env("QDB_USER")};password=${replace(env("QDB_PASSWORD"), ";", ";;")};"
#   table = "candles"
# }

# dump "NAME": one Kraken OHLCVT download on disk, read in place. NAME is an
# identifier, unique among dumps.
dump "full" {
  # path: required; a Kraken zip or a directory of its CSV files
  # (PAIR_INTERVAL.csv, at any depth). It must exist.
  path = "downloads/Kraken_OHLCVT.zip"
  # kind: "full" (everything before the cutoff) or "quarterly" (one
  # calendar quarter). Optional: a file name like Kraken_OHLCVT_Q3_2024.zip
  # means quarterly, as does a quarter attribute; anything else means full.
  kind = "full"
  # until: full dumps only; the cutoff, a time (see "Times" in
  # docs/configuration.md).
  # Optional: by default the end of the newest candle in the dump. A
  # declared until more than a week past the newest candle is an error.
  until = "2024-07-01"
  # trust_early_ends: full dumps only. A file ending more than a day before
  # its pair's other files in the dump (a download cut short) vouches only
  # up to its last row, with a warning; true takes the rest as "no trades"
  # too (the warning stays). Optional, default false.
  trust_early_ends = false
}

dump "q3_2024" {
  # Quarterly, with the quarter taken from the file name.
  path = "downloads/Kraken_OHLCVT_Q3_2024.zip"
}

dump "q4_2024" {
  # A directory of CSV files: its name tells nothing, so say what it is.
  path = "downloads/q4-2024"
  kind = "quarterly"
  # quarter: quarterly dumps only; "YEAR-QN". Required when the file name
  # does not tell it.
  quarter = "2024-Q4"
}

# api: backfill of recent candles from Kraken's public REST API, for what
# the dumps cannot fill. At most one block; without it the API is used
# with the defaults below. Kraken answers only the newest 720 candles of
# an interval, and never interval 720.
api {
  # enabled: false keeps candlekeep offline: what the dumps cannot fill is
  # reported as unfillable. Default true.
  enabled = true
  # base_url: an absolute http or https URL without query string; trailing
  # slashes are dropped. Default "https://api.kraken.com".
  base_url = "https://api.kraken.com"
  # rate_limit: requests per second ("N/s"), minute ("N/m") or hour ("N/h");
  # N > 0, fractions allowed ("0.5/s"). Shared by every worker. Default
  # "1/s", which stays within Kraken's public limit.
  rate_limit = "50/m"
  # burst: how many requests may start at once, at least 1. Default 1.
  burst = 1
  # max_retries: retries of one request on throttling, 5xx, timeouts and
  # network errors, with exponential backoff; 0 to 20. Default 5.
  max_retries = 8
  # timeout: one HTTP request, a duration ("30s", "2m"). Default "30s".
  timeout = "1m"
  # empty_candles: "omit" (default) drops the zero-trade filler candles the
  # API adds, so the sink holds the same as from the CSV downloads; "keep"
  # stores them.
  empty_candles = "omit"
  # margin: how many candles short of 720 the API window stops, since
  # Kraken has been seen to answer a few less; 1 to 700. Default 10.
  margin = 20
  # settle: how long after its close a candle fetched from the API stays
  # provisional (Kraken revises recent candles): the next run that
  # backfills the series fetches it again, in the same request. A
  # duration; "0s" makes every fetched candle final. Default "1h".
  settle = "1h"

  # rebuild: candles rebuilt from Kraken's public Trades endpoint, which
  # serves the whole trade history, for what the dumps cannot fill and the
  # OHLC window does not reach. Without this block rebuilds are off (one
  # can cost hours of requests); written out, they are on. One pass over a
  # pair's trades builds all its wanted intervals at once.
  rebuild {
    # enabled: default true once the block is written; false turns
    # rebuilds off again. The api block must be enabled too.
    enabled = true
    # max_requests: trade requests one run may spend on rebuilds, at
    # least 1; what the budget leaves out is deferred to the next run.
    # Default 3600 (one hour at "1/s").
    max_requests = 1800
    # max_duration: a second budget, the time one run may spend on
    # rebuilds: the requests one pair makes in it at pair_rate_limit.
    # The smaller of the two budgets wins. Default: none.
    max_duration = "30m"
    # pair_rate_limit: request rate of one pair's rebuild, at most
    # rate_limit, which stays the ceiling over all pairs together.
    # Default: rate_limit.
    pair_rate_limit = "30/m"
    # trades_per_day: the estimate's rate for a pair whose trades nothing
    # in state tells about. Default 20000.
    trades_per_day = 50000
  }
}

# tier "NAME": a named list of pairs, unique by name. pairs is required and
# not empty: Kraken altnames in upper case (XBTUSD, not xbtusd or XBT/USD),
# each listed once.
tier "TIER1" {
  pairs = ["XBTUSD", "ETHUSD"]
}

tier "TIER2" {
  pairs = ["SOLUSD", "ADAUSD"]
}

# coverage "NAME": the candles wanted, pairs x intervals x window. Names are
# unique. Several blocks naming the same series add up.
coverage "majors" {
  # tiers: optional; tier names whose pairs are wanted.
  tiers = ["TIER1"]
  # pairs: optional; more pairs. tiers and pairs together must name at
  # least one pair.
  pairs = ["SOLUSD"]
  # intervals: required; minutes (1, 5, 15, 30, 60, 240, 720, 1440, 10080,
  # 21600) or lengths ("1m", "5m", "1h", "4h", "12h", "1d", "1w", "15d").
  intervals = [60, "1d"]
  # from: the window's start, a time (see "Times" in docs/configuration.md).
  # A start before Kraken's first trades (2013-09-01) is planned from them,
  # with a warning.
  from = var.history_from
  # to: optional; the window's end, a time or "now"
  # (default): the start of the candle still forming. from must be before to.
  to = "now"
}

coverage "recent" {
  tiers     = ["TIER1", "TIER2"]
  pairs     = [for p in var.extra_pairs : upper(p)]
  intervals = ["5m", 15]
  # lookback: instead of from/to, the last stretch up to now: whole numbers
  # with units s, m, h, d, w ("30d", "12h", "2w", "1d12h").
  lookback = "${var.recent_days}d"
  # freshness: optional, at most one; how old the newest covered candle of
  # each series may get before `candlekeep check` warns or errors. The age
  # is measured from the start of the candle still forming, so a series
  # loaded up to now is 0 old. Durations as for lookback; give warn_after,
  # error_after or both; error_after must not be shorter than warn_after.
  # Without it the block's series are not checked.
  freshness {
    warn_after  = "2h"
    error_after = "26h"
  }
  # lost_severity: optional, "error" (default) or "warn"; what candles that
  # became unfillable because a run came too late (lost to the API window,
  # see docs/planning.md) do to the exit status. "error": apply and check
  # exit 5 (docs/exit-codes.md); "warn": they are reported, exit 0. A series
  # named by several blocks gets the strictest.
  lost_severity = "error"
}

coverage "halfdays" {
  tiers     = ["TIER1"]
  intervals = ["12h"]
  from      = "2024-01-01"
  # derive_from: optional; shorter intervals, in order of preference, that
  # the block's candles are aggregated from where neither a dump nor the
  # API fills them (12h candles after a dump's cutoff: the API does not
  # serve them). Each must divide every interval of the block into whole
  # candles (720 from 60 or 240; 10080 from 1440; not 21600 from 10080).
  # Only whole candles whose source is covered, or loaded by the same
  # plan, are derived. Absent or [] (default): never derived.
  derive_from = [60, 240]
}

# gaps: how long `candlekeep gc` keeps resolved gap records (filled or no
# longer wanted) before deleting them. Open gaps are never deleted. At
# most one block; retention is required in it, a duration longer than zero.
# Default "90d".
gaps {
  retention = "60d"
}

# runs: how long gc keeps finished runs with their actions before deleting
# them. At most one block; retention is required in it, a
# duration longer than zero. Default "180d".
runs {
  retention = "180d"
}
