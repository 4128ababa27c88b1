package ohlc

// KrakenFirstTrade is the first instant any Kraken market can have a
// candle: 2013-09-01 00:00 UTC. Kraken opened its exchange in September
// 2013 (its full-history download starts XBTUSD on 2013-10-06), so the
// start of that month is a safe bound: nothing before it exists to be
// missing, and nothing after it is cut.
const KrakenFirstTrade int64 = 1377993600
