// Package config turns a directory of candlekeep *.hcl files into a typed,
// validated configuration. Every mistake is an hcl.Diagnostic with a source
// range, and all of them are reported at once.
package config

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// Config is one directory's configuration, decoded and validated.
// Paths in it are already resolved against Dir.
type Config struct {
	Dir string // the configuration directory (-chdir)

	State    State
	Sink     Sink
	Dumps    []Dump     // in declaration order
	Tiers    []Tier     // in declaration order
	Coverage []Coverage // in declaration order
	API      API
	// Retention says how long resolved gap records and finished runs are
	// kept before gc deletes them.
	Retention Retention
	Variables map[string]string

	// Digest is a SHA-256 over the names and bytes of the *.hcl files and
	// the resolved variable values; a saved plan records it.
	Digest string
	// Files are the parsed files, for rendering diagnostics with snippets.
	Files map[string]*hcl.File
}

// State says where candlekeep keeps its state.
type State struct {
	Backend string // "sqlite" (default) or "postgres"
	Path    string // sqlite: resolved path, default <Dir>/.candlekeep/state.db
	DSN     string // postgres: secret, never printed
	// Unresolved are the env() calls of unset variables the dsn makes,
	// when loaded with DeferSecrets; DSN is then empty. See Require.
	Unresolved []UnsetEnv
}

// Sink says where candles go.
type Sink struct {
	Type  string // "sqlite" (default) or "questdb"
	Path  string // sqlite: resolved path, default <Dir>/.candlekeep/candles.db
	Table string // default "candles"
	Conf  string // questdb: go-questdb-client configuration string ending in ";"; secret, never printed
	// Unresolved are the env() calls of unset variables the conf makes,
	// when loaded with DeferSecrets: the credentials are unavailable,
	// Conf is empty and the sink cannot be opened, though its type and
	// table are known and the conf's shape was checked. See Require.
	Unresolved []UnsetEnv
}

// String describes the sink without its conf, so that printing a Sink, or
// a Config holding it, with %v or %+v cannot leak credentials.
func (s Sink) String() string {
	if s.Type == "questdb" {
		return fmt.Sprintf("sink %q (table %s, conf redacted)", s.Type, s.Table)
	}
	return fmt.Sprintf("sink %q (path %s, table %s)", s.Type, s.Path, s.Table)
}

// GoString is String, for %#v.
func (s Sink) GoString() string { return s.String() }

// DumpKind says which span a dump covers for each series it holds.
type DumpKind string

// Dump kinds.
const (
	FullHistory DumpKind = "full"      // everything before the cutoff
	Quarterly   DumpKind = "quarterly" // one calendar quarter
)

// Dump is a Kraken CSV download: a zip or a folder of CSV files.
type Dump struct {
	Name string
	Path string // resolved against Dir
	// Kind is declared, or implied: quarterly when the file name is
	// Kraken_OHLCVT_Q<n>_<year>.zip (or the folder Kraken_OHLCVT_Q<n>_<year>
	// it unzips to) or a quarter is declared, else full.
	Kind DumpKind
	// Until is the declared cutoff (Unix seconds), 0 when it is to be
	// inferred from the data.
	Until int64
	// Quarter is the declared quarter ("2024-Q3") as a span, or empty.
	Quarter ohlc.Span
	// TrustEarlyEnds (full dumps only) takes a file ending long before its
	// pair's other files to mean no trades after its last row.
	TrustEarlyEnds bool
	// DeclRange is where the block is declared, for diagnostics.
	DeclRange hcl.Range
}

// Tier is a named list of pairs.
type Tier struct {
	Name  string
	Pairs []string
}

// Coverage is one coverage block: pairs × intervals × window.
type Coverage struct {
	Name      string
	Tiers     []string        // tier names as written
	Pairs     []string        // every pair: the tiers' pairs plus explicit ones, sorted, deduplicated
	Intervals []ohlc.Interval // sorted, deduplicated
	Window    Window
	// Freshness, when set, is how old the newest candle of each series
	// may get before check warns or errors; zero values mean not checked.
	Freshness Freshness
	// LostSeverity is what candles lost for good because a run came too
	// late do to the exit status: error fails apply and check, warn
	// only reports them; empty means the default (see Lost).
	LostSeverity Severity
	// DeriveFrom are the shorter intervals, in preference order, the
	// block's intervals may be aggregated from where nothing loads them
	// (derive_from); nil means never derived.
	DeriveFrom []ohlc.Interval
	DeclRange  hcl.Range
}

// Freshness is a coverage block's freshness {} block.
type Freshness struct {
	WarnAfter  time.Duration
	ErrorAfter time.Duration
}

// Retention is the gaps { retention } and runs { retention } settings.
type Retention struct {
	Gaps time.Duration // default 90 days
	Runs time.Duration // default 180 days
}

// Window is a coverage block's time window, resolved against a clock by Span.
type Window struct {
	From     int64 // Unix seconds; used when Lookback is 0
	To       int64 // Unix seconds; used when ToNow is false and Lookback is 0
	ToNow    bool  // to = "now" (also the implied end of a lookback)
	Lookback int64 // seconds; 0 means from/to
}

// Span resolves the window against now. The result is not yet aligned to
// any interval; "now" is left exact so that each series can align it to
// the start of its own forming candle.
func (w Window) Span(now int64) ohlc.Span {
	end := w.To
	if w.ToNow || w.Lookback > 0 {
		end = now
	}
	start := w.From
	if w.Lookback > 0 {
		start = now - w.Lookback
	}
	return ohlc.Span{Start: start, End: end}
}

// API configures backfill from Kraken's public REST API. Without an api
// block it is enabled with these defaults.
type API struct {
	Enabled   bool    // default true; `enabled = false` keeps candlekeep offline
	BaseURL   string  // default "https://api.kraken.com"
	RateLimit float64 // requests per second; "1/s" (default), "10/s", "30/m"
	Burst     int     // requests allowed at once; default 1
	// MaxRetries bounds the retries of one request on throttling, 5xx and
	// network errors; default 5.
	MaxRetries int
	Timeout    time.Duration // one HTTP request; default 30s
	// KeepEmpty stores the API's zero-trade filler candles
	// (empty_candles = "keep"); by default ("omit") they are dropped, as the
	// CSV downloads have no such rows.
	KeepEmpty bool
	// Margin is how many candles short of 720 the API window stops, since
	// Kraken has been seen to answer fewer than 720; default 10.
	Margin int
	// Settle is how long after its close a fetched candle is provisional:
	// the next run that backfills the series fetches it again; default 1h.
	Settle time.Duration
	// Rebuild configures candles rebuilt from Kraken's trade history
	// (the nested rebuild block).
	Rebuild Rebuild
}
