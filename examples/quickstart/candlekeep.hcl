# The quickstart: real Kraken history, planned and applied offline into an
# embedded SQLite database. Run from the repository root:
#
#   go run ./cmd/candlekeep -chdir=examples/quickstart apply -auto-approve
#
# State goes to .candlekeep/state.db and candles to .candlekeep/candles.db,
# both inside this folder (the defaults).

# Three real Kraken full-history snapshots. Their cutoffs differ, which is
# what happens when a full download is followed by newer ones.
dump "hourly_2020" {
  # A folder of CSV files, as unzipped from Kraken_OHLCVT.zip.
  path  = "data/Kraken_OHLCVT_2020-10-01"
  until = "2020-10-01"
}

dump "daily_2021" {
  # A zip, read in place. Its cutoff is inferred from its newest candle.
  path = "data/Kraken_OHLCVT_2021-04-01.zip"
}

dump "daily_2022" {
  path  = "data/Kraken_OHLCVT_2022-07-01"
  until = "2022-07-01"
}

tier "TIER1" {
  pairs = ["XBTUSD", "ETHUSD"]
}

tier "TIER2" {
  pairs = ["ADAUSD", "XMRUSD"]
}

# Hourly candles of the majors. The window runs past the newest hourly
# dump, so the plan also shows a gap that only a quarterly download fills.
coverage "hourly" {
  tiers     = ["TIER1"]
  pairs     = ["STORJUSD"]
  intervals = ["1h"]
  from      = "2018-01-01"
  to        = "2021-01-01"
}

# Daily candles of both tiers, from two dumps with different cutoffs.
coverage "daily" {
  tiers     = ["TIER1", "TIER2"]
  intervals = [1440]
  from      = "2019-01-01"
  to        = "2022-10-01"
}
