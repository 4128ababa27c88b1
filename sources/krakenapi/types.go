// Package krakenapi is Kraken's public REST API: recent candles (GET
// /0/public/OHLC, Client.OHLC) and a pair's trade history (GET
// /0/public/Trades, Client.Trades, a stream of pages of up to 1000 trades
// that pages with Kraken's nanosecond cursor string as given, drops trades
// repeated at a page boundary and stops at the span's end). Both map
// altnames to Kraken's pair keys through AssetPairs and share one rate
// limiter, one retry loop with backoff and jitter, one error type (*Error)
// and strict checks: candles as the CSV parser checks them, trades with
// positive prices and volumes, times not decreasing and ids increasing. A
// malformed answer is refused, naming the pair and what was wrong.
package krakenapi

import (
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// DefaultBaseURL is Kraken's public REST API.
const DefaultBaseURL = "https://api.kraken.com"

// Options configure a Client.
type Options struct {
	BaseURL string // default DefaultBaseURL
	// Limiter is shared by every caller of the client, so concurrency never
	// exceeds the configured request rate. Default: 1 request per second.
	Limiter    *rate.Limiter
	MaxRetries int           // default 5 (0); negative means no retries
	Timeout    time.Duration // one HTTP request; default 30s
	// KeepEmpty keeps the zero-trade filler candles; by default they are
	// dropped, as the CSV downloads have no such rows.
	KeepEmpty  bool
	HTTPClient *http.Client // default: a client with Timeout
	// PairCache is a file that keeps the AssetPairs mapping between runs;
	// "" keeps it in memory only. PairCacheAge is how long it is trusted
	// (default 24h).
	PairCache    string
	PairCacheAge time.Duration
	// Backoff is the first retry's base delay (default 1s), doubled per
	// attempt up to MaxBackoff (default 30s), with jitter.
	Backoff    time.Duration
	MaxBackoff time.Duration
}

// Result is one OHLC answer for a series, checked and trimmed.
type Result struct {
	// Candles are the closed candles, oldest first; filler candles (count
	// 0) are dropped unless KeepEmpty.
	Candles []ohlc.Candle
	// From and Until bound what the answer vouches for: From is the open
	// time of its first entry (fillers included), Until the end of its last
	// closed candle, which is the open time of the forming one. Inside
	// [From, Until) a missing candle means no trades.
	From, Until int64
	Requests    int // HTTP requests made, retries included
}
