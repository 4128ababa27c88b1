// Package planner computes what apply would do: the pure function from
// (configuration, state snapshot, dump inventory, now) to a Plan. It does no
// I/O.
package planner

import (
	"time"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/ohlc/dump"
	"github.com/feefifofunds/candlekeep/ohlc/snapshot"
)

// Kind is the kind of an action.
type Kind string

// Action kinds.
const (
	LoadCSV     Kind = "load_csv"     // load one dump member, restricted to a span
	BackfillAPI Kind = "backfill_api" // fetch a span from Kraken's REST API
	Derive      Kind = "derive"       // aggregate a span from a shorter interval the sink holds
	// Unfillable is no action: it tags a Gap where gaps are listed among
	// actions (Plan.Listing, the saved plan's format, the views).
	Unfillable Kind = "unfillable"
)

// Reason says why a gap is unfillable.
type Reason string

// Unfillable reasons.
const (
	// ReasonNoDump: no configured dump holds a file of this series for the
	// span, though a published Kraken download would, and the API is
	// disabled.
	ReasonNoDump Reason = "no_dump"
	// ReasonOlderThanAPIWindow: the API serves the interval but the span is
	// older than its window, and no configured dump holds it; a published
	// Kraken download would.
	ReasonOlderThanAPIWindow Reason = "older_than_api_window"
	// ReasonNotInAPI: the API never serves this interval (720), and no
	// configured dump holds the span; a published Kraken download would.
	ReasonNotInAPI Reason = "interval_not_in_api"
	// ReasonNotPublished: the span lies in a quarter Kraken has not yet
	// published a download for.
	ReasonNotPublished Reason = "not_published"
	// ReasonNotInCSV: Kraken's downloads never carry this interval
	// (10080, 21600), and the span is outside the API window (or the API
	// is disabled).
	ReasonNotInCSV Reason = "interval_not_in_csv"
	// ReasonFileFailed: the dump member that holds the span failed to
	// load before (bad row, corrupt zip) and is not retried until its
	// content, and so its fingerprint, changes.
	ReasonFileFailed Reason = "file_failed"
)

// Action is one unit of planned work.
type Action struct {
	Kind   Kind
	Series ohlc.Series
	Span   ohlc.Span
	// Coverage names the coverage blocks that asked for this series.
	Coverage []string
	// Tiers names the tiers through which those blocks asked for it
	// (empty when the pair was listed directly).
	Tiers []string

	// CSV is the file to load, for load_csv.
	CSV *CSVSource
	// Estimate is the expected number of candles (load_csv: from the
	// member's profile, prorated to Span; backfill_api: the candle slots
	// of Span, an upper bound since trade-less intervals have none).
	Estimate int64
	// Requests is how many API requests a backfill_api action makes.
	Requests int
	// Provisional is, for backfill_api, the part of Span already covered
	// by a fetch too soon after the candles closed (within the api
	// block's settle): fetched again, as Kraken may have revised them.
	Provisional ohlc.Span
	// From is, for derive, the shorter interval of the same pair whose
	// candles the span is aggregated from.
	From ohlc.Interval
	// After are the indices in Plan.Actions of the actions this one
	// waits for (a derived span needs its source loaded first); if one
	// does not complete, this one is skipped.
	After []int

	// Builds are, for rebuild_trades, the intervals one pass over the
	// pair's trades in Span builds, each with its own span; Series is the
	// finest of them.
	Builds []Build
	// Trades is a rebuild's estimated trades, from Basis (a pair's known
	// trade rate, or "default": the configured trades_per_day); Requests
	// is ceil(Trades/1000) and Duration their time at the pair's rate.
	Trades   int64
	Basis    string
	Duration time.Duration
	// Rate is the pair's request rate Duration assumes, per second.
	Rate float64

	// Reason, Suggestion, Known and Lost are a Gap's, for an action of
	// kind Unfillable in a listing (Plan.Listing); an action to run has
	// none.
	Reason     Reason
	Suggestion Suggestion
	Known      bool
	Lost       ohlc.Span
}

// Gap is a span of a series nothing configured can fill: reported, and
// recorded as an unfillable gap by apply, but not a change.
type Gap struct {
	Series ohlc.Series
	Span   ohlc.Span
	// Coverage and Tiers are as an Action's.
	Coverage []string
	Tiers    []string
	// Reason and Suggestion explain the gap and name the download that
	// would fill it.
	Reason     Reason
	Suggestion Suggestion
	// Known marks a gap state has already recorded as unfillable: the
	// same series, and a span within a recorded unfillable gap's. It
	// tells what a change adds from what was already missing.
	Known bool
	// Lost is, for an unfillable gap, its part that runs on time would
	// have filled from the API and that state had not recorded as
	// unfillable: candles lost for good because a run came too late,
	// reported once (docs/planning.md, "Lost candles"). Empty when none.
	Lost ohlc.Span
}

// Action is the gap as a listing shows it among actions: kind
// Unfillable.
func (g Gap) Action() Action {
	return Action{Kind: Unfillable, Series: g.Series, Span: g.Span, Coverage: g.Coverage, Tiers: g.Tiers, Reason: g.Reason, Suggestion: g.Suggestion, Known: g.Known, Lost: g.Lost}
}

// GapOf is the gap a listing's Unfillable action stands for.
func GapOf(a Action) Gap {
	return Gap{Series: a.Series, Span: a.Span, Coverage: a.Coverage, Tiers: a.Tiers, Reason: a.Reason, Suggestion: a.Suggestion, Known: a.Known, Lost: a.Lost}
}

// CSVSource is the dump member a load_csv action reads.
type CSVSource struct {
	Dump        string // dump name
	DumpPath    string // the zip or folder, as configured
	IsZip       bool
	Member      string // path inside the dump
	Fingerprint string
	Size        int64
	// ModTime is a plain file's modification time (Unix nanoseconds) when
	// it was planned, so a file changed since is refused before it is
	// read; 0 for zip members, whose fingerprint is checked instead.
	ModTime int64
	// Until is the full-history dump's declared cutoff: a row at or after
	// it fails the load, as the scan found. 0 for none.
	Until int64
	// First and Last are the open times of the file's first and last rows
	// as profiled: a load whose span holds either must write a row.
	First, Last int64
}

// Plan is the ordered list of actions and what it was computed from.
type Plan struct {
	Now             int64 // the clock the plan was computed for
	Lineage         string
	Serial          int64
	ConfigDigest    string
	InventoryDigest string
	Actions         []Action // ordered by series, then span start, then kind
	// Gaps are what nothing configured can fill, ordered by series, then
	// span start.
	Gaps []Gap
	// Deferred are gaps a rebuild would fill but the run's request budget
	// does not reach (ReasonDeferredBudget): neither run nor unfillable,
	// left for the next run. Ordered as Gaps.
	Deferred []Gap

	// Targets are the -target options the plan was limited to, as
	// written ("tier.TIER1"), sorted; nil for a plan of the whole
	// configuration.
	Targets []string
	// Excludes are the -exclude options the plan left out, as written,
	// sorted; nil when none.
	Excludes []string
	// Scope is, for a partial plan, every series the targets selected
	// (all, without targets) that no exclude selected, sorted: apply
	// resolves gap records of these series only.
	Scope []ohlc.Series
	// Sink is the sink the plan was made for: state's coverage of that
	// table, and of no other, was planned from. SinkChecked says its
	// incarnation was read from the sink itself; otherwise the sink could
	// not be reached and state's last record of that table was taken.
	Sink        ohlc.SinkIdentity
	SinkChecked bool
	// Warnings are what the plan's reader should know that is not an
	// action, in a stable order.
	Warnings []Warning
}

// WarningCode says what a Warning is about; views word it.
type WarningCode string

// Warning is a fact about the configuration or the data that is not an
// action. The planner states it with data only; cmd words it.
type Warning struct {
	Code WarningCode
	// Series is the series concerned, when one is; Pair alone when the
	// warning concerns a pair.
	Series ohlc.Series
	Pair   string
	// Span is the time range concerned, when one is.
	Span ohlc.Span
	// Hints are extra data the view may show, such as close matches.
	Hints []string

	// Fields of the history and no-longer-configured warnings.

	// Coverage is the coverage block concerned, when one is.
	Coverage string
	// Candles is how many candles the warning concerns (the candles a
	// series no longer configured keeps in the sink).
	Candles int64
	// CandlesEstimated says Candles is an estimate, not a recorded count.
	CandlesEstimated bool
}

// Warning codes of what the plan's history and scope leave out.
const (
	// WarnBeforeKrakenHistory: a coverage block's window reaches before
	// Kraken's first trades (Span: from the window's start to
	// ohlc.KrakenFirstTrade); that part is not wanted.
	WarnBeforeKrakenHistory WarningCode = "before_kraken_history"
	// WarnNoLongerConfigured: state records coverage of a series the
	// configuration no longer asks for; its candles stay in the sink
	// (Candles), nothing is deleted.
	WarnNoLongerConfigured WarningCode = "no_longer_configured"
	// WarnFileEndsEarly: a full-history file ends long before its pair's
	// other files in the dump (Span: from its end to theirs; Hints: the
	// dump and the member). The span is not taken as "no trades": it is
	// left to the API or reported unfillable.
	WarnFileEndsEarly WarningCode = "file_ends_early"
	// WarnFileEndsEarlyTrusted: as WarnFileEndsEarly, but the dump says
	// trust_early_ends, so the span is covered as "no trades".
	WarnFileEndsEarlyTrusted WarningCode = "file_ends_early_trusted"
)

// Partial reports whether the plan covers only part of the configuration.
func (p *Plan) Partial() bool { return len(p.Targets) > 0 || len(p.Excludes) > 0 }

// Summary counts a plan's actions.
type Summary struct {
	Loads           int
	LoadCandles     int64
	Backfills       int
	BackfillCandles int64
	Requests        int // API requests of all backfills
	Derives         int
	DeriveCandles   int64
	// Rebuilds counts rebuild_trades actions, with their estimated
	// candles, trades, requests and duration (at one pair's rate).
	Rebuilds              int
	RebuildCandles        int64
	RebuildTrades         int64
	RebuildRequests       int
	RebuildDuration       time.Duration
	Deferred              int   // gaps deferred by the rebuild budget
	DeferredCandles       int64 // their candle slots
	Unfillable            int
	UnfillableCandleSlots int64
	// UnfillableKnown counts the unfillable gaps state already recorded
	// (Action.Known); Unfillable includes them.
	UnfillableKnown int
	// Lost counts the unfillable gaps with a lost part (Action.Lost), and
	// LostCandleSlots the candle slots of those parts.
	Lost            int
	LostCandleSlots int64
}

// HasChanges reports whether applying the plan would do anything: an
// unfillable gap is reported but is not a change.
func (p *Plan) HasChanges() bool { return len(p.Actions) > 0 }

// Listing is the plan's actions and gaps in one list, in rule 6's order
// (series, span start, kind), each gap as an action of kind Unfillable:
// what the views and the saved plan show.
func (p *Plan) Listing() []Action {
	if len(p.Gaps) == 0 {
		return p.Actions
	}
	out := make([]Action, 0, len(p.Actions)+len(p.Gaps))
	i, j := 0, 0
	for i < len(p.Actions) || j < len(p.Gaps) {
		if j == len(p.Gaps) || (i < len(p.Actions) && actionBeforeGap(p.Actions[i], p.Gaps[j])) {
			out = append(out, p.Actions[i])
			i++
			continue
		}
		out = append(out, p.Gaps[j].Action())
		j++
	}
	return out
}

// SplitListing is Listing's inverse: the actions of kind Unfillable are
// the gaps, the rest the actions, each in the listing's order.
func SplitListing(list []Action) ([]Action, []Gap) {
	var actions []Action
	var gaps []Gap
	for _, a := range list {
		if a.Kind == Unfillable {
			gaps = append(gaps, GapOf(a))
			continue
		}
		actions = append(actions, a)
	}
	return actions, gaps
}

// actionBeforeGap is compareActions between an action and a gap, whose
// kind ranks last.
func actionBeforeGap(a Action, g Gap) bool {
	if c := a.Series.Compare(g.Series); c != 0 {
		return c < 0
	}
	return a.Span.Start <= g.Span.Start
}

// Summary counts the plan's actions by kind, and its gaps.
func (p *Plan) Summary() Summary {
	var s Summary
	for _, a := range p.Actions {
		switch a.Kind {
		case LoadCSV:
			s.Loads++
			s.LoadCandles += a.Estimate
		case BackfillAPI:
			s.Backfills++
			s.BackfillCandles += a.Estimate
			s.Requests += a.Requests
		case Derive:
			s.Derives++
			s.DeriveCandles += a.Estimate
		case RebuildTrades:
			s.Rebuilds++
			s.RebuildCandles += a.Estimate
			s.RebuildTrades += a.Trades
			s.RebuildRequests += a.Requests
			s.RebuildDuration += a.Duration
		}
	}
	for _, g := range p.Deferred {
		s.Deferred++
		s.DeferredCandles += g.Span.Candles(g.Series.Interval)
	}
	for _, g := range p.Gaps {
		s.Unfillable++
		s.UnfillableCandleSlots += g.Span.Candles(g.Series.Interval)
		if g.Known {
			s.UnfillableKnown++
		}
		if !g.Lost.Empty() {
			s.Lost++
			s.LostCandleSlots += g.Lost.Candles(g.Series.Interval)
		}
	}
	return s
}

// Input is everything a plan is computed from.
type Input struct {
	Config    *config.Config
	State     *snapshot.Snapshot
	Inventory *dump.Inventory
	Now       int64 // Unix seconds
	// Targets limit the plan to the series any of them selects; none
	// plans everything. Check them first with CheckTargets.
	Targets []Target
	// Excludes leave out the series any of them selects, from what the
	// targets selected (everything, without targets). Check them first
	// with CheckExcludes.
	Excludes []Target
	// Pairs is Kraken's pair list, when one is cached; nil when not.
	Pairs *PairList
	// TradeRates are the known trade rates of pairs, for rebuild
	// estimates, computed by the caller from what state and the sink
	// hold; a pair missing gets the configured default.
	TradeRates map[string]TradeRate
}

// Compute returns the plan for in. It is a pure function: no I/O, and the
// same input always gives the same plan.
func Compute(in Input) *Plan { return compute(in) }
