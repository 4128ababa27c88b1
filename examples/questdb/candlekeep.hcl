# Team QuestDB: keep hourly and daily candles of three tiers of Kraken pairs
# complete up to the current candle in a shared QuestDB, with candlekeep's
# state in the team's PostgreSQL, from a nightly
#
#   candlekeep -chdir=/var/lib/candlekeep apply -auto-approve
#
# Nothing secret is in this file: the QuestDB address and credentials and
# the state DSN come from the environment. See README.md and
# docs/questdb.md.

# Where the Kraken OHLCVT downloads are kept, relative to this directory
# (or absolute). Override with CANDLEKEEP_VAR_downloads=/srv/kraken.
variable "downloads" {
  type        = string
  description = "Folder holding the Kraken OHLCVT downloads."
  default     = "downloads"
}

# State in PostgreSQL, so that every machine of the team sees the same
# coverage and only one run writes at a time:
# CANDLEKEEP_STATE_DSN=postgres://candlekeep:PASSWORD@db.internal/candlekeep
state {
  backend = "postgres"
  dsn     = env("CANDLEKEEP_STATE_DSN")
}

# Candles go to QuestDB over ILP/HTTP, TLS on, with a user allowed to write
# the table. A ";" in the password must be doubled in the conf string,
# which replace() does. With a token instead:
#   conf = "https::addr=${env("QDB_ADDR")};token=${env("QDB_TOKEN")};"
sink "questdb" {
  conf  = "https::addr=${env("QDB_ADDR")};username=${env("QDB_USER")};password=${replace(env("QDB_PASSWORD"), ";", ";;")};"
  table = "candles"
}

# The full history, downloaded once: read in place, never unzipped. Its
# cutoff is inferred from the newest candle in it.
dump "full" {
  path = "${var.downloads}/Kraken_OHLCVT.zip"
}

# The quarterly update after it, unzipped; the folder name says which
# quarter it holds. Add a block like this one for each quarter Kraken
# publishes.
dump "q3_2026" {
  path = "${var.downloads}/Kraken_OHLCVT_Q3_2026"
}

# Kraken's public REST API, for everything newer than the downloads: the
# newest 710 candles of each series (720 less the margin), about 29 days of
# hourly candles and 2 years of daily ones.
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

# Hourly candles of the first two tiers since 2021, up to the current hour.
coverage "hourly" {
  tiers     = ["TIER1", "TIER2"]
  intervals = ["1h"]
  from      = "2021-01-01"
  to        = "now"
}

# Daily candles of every tier since 2019, up to the current day.
coverage "daily" {
  tiers     = ["TIER1", "TIER2", "TIER3"]
  intervals = ["1d"]
  from      = "2019-01-01"
  to        = "now"
}
