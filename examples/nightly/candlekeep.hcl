# Nightly: keep hourly and daily candles of three tiers of Kraken pairs, and
# the last week of 5- and 15-minute candles, complete up to the current
# hour, from a systemd timer running
#
#   candlekeep -chdir=/var/lib/candlekeep apply -auto-approve
#
# What the Kraken downloads below hold is loaded from disk; what is newer
# comes from Kraken's REST API; what neither can reach is reported, with
# the download that would fill it. See README.md.

# Where the Kraken OHLCVT downloads are kept, relative to this directory
# (or absolute). Override with CANDLEKEEP_VAR_downloads=/srv/kraken.
variable "downloads" {
  type        = string
  description = "Folder holding the Kraken OHLCVT downloads."
  default     = "downloads"
}

# State in PostgreSQL, shared with the team's dashboards. The DSN holds a
# password, so it comes from the environment (the unit's EnvironmentFile),
# never from this file: postgres://candlekeep:PASSWORD@db.internal/candlekeep
state {
  backend = "postgres"
  dsn     = env("CANDLEKEEP_STATE_DSN")
}
# On a single machine, SQLite needs no server:
# state {
#   backend = "sqlite"
#   path    = "state.db"
# }

sink "sqlite" {
  path  = "candles.db"
  table = "candles"
}

# The full history, downloaded once: read in place, never unzipped. Its
# cutoff is inferred from the newest candle in it.
dump "full" {
  path = "${var.downloads}/Kraken_OHLCVT.zip"
}

# The quarterly update after it, unzipped; the folder name says which
# quarter it holds. Add a block like this one for each new quarter Kraken
# publishes (early in the following month).
dump "q3_2026" {
  path = "${var.downloads}/Kraken_OHLCVT_Q3_2026"
}

# Kraken's public REST API, for everything newer than the downloads. Its
# window is the newest 710 candles of each interval (720 less the margin):
# about 29 days of hourly candles, 2 years of daily ones, 59 hours of
# 5-minute ones.
api {
  rate_limit    = "1/s" # shared by every worker: Kraken's public limit
  burst         = 1
  max_retries   = 5
  timeout       = "30s"
  empty_candles = "omit" # store what the CSV downloads would hold
  margin        = 10
}

tier "TIER1" {
  pairs = ["XBTUSD", "ETHUSD"]
}

tier "TIER2" {
  pairs = ["SOLUSD", "ADAUSD", "DOTUSD", "XRPUSD"]
}

tier "TIER3" {
  pairs = ["LTCUSD", "LINKUSD", "ATOMUSD", "AVAXUSD"]
}

# Hourly candles of the first two tiers since 2022, up to the current hour.
coverage "hourly" {
  tiers     = ["TIER1", "TIER2"]
  intervals = ["1h"]
  from      = "2022-01-01"
  to        = "now"
  # Checked hourly by candlekeep check: a night missed warns, two fail.
  freshness {
    warn_after  = "26h"
    error_after = "50h"
  }
}

# Daily candles of every tier since 2021.
coverage "daily" {
  tiers     = ["TIER1", "TIER2", "TIER3"]
  intervals = ["1d"]
  from      = "2021-01-01"
  to        = "now"
  freshness {
    warn_after  = "26h"
    error_after = "50h"
  }
}

# The last week of short candles of the majors. Kraken's API reaches 59
# hours back at 5 minutes and 7.4 days at 15 minutes, so a nightly run
# keeps both complete once the first run is past.
#
# A missed night fails the hourly check after 30 hours, a day before
# 5-minute candles leave the API's reach; candles lost all the same make
# apply and check exit 5 (lost_severity, "error" by default).
coverage "recent" {
  tiers         = ["TIER1"]
  intervals     = ["5m", "15m"]
  lookback      = "7d"
  lost_severity = "error"
  freshness {
    warn_after  = "26h"
    error_after = "30h"
  }
}
