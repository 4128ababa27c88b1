// Package planfile reads and writes saved plans: the versioned JSON
// document that `plan -out` saves, `apply FILE` applies, and `plan
// -format=json` and `show -json` print (docs/json-format.md). It holds no
// secrets: a plan carries neither the sink's connection settings nor the
// state's DSN, only digests of the configuration and the dumps.
package planfile

import (
	"cmp"
	"slices"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// FormatVersion is the version of the document this package writes. A new
// field raises the minor version; anything a reader of the old version
// would misread raises the major version, which readers refuse.
const FormatVersion = "1.6"

// formatMajor is FormatVersion's major version.
const formatMajor = 1

// Meta is what a plan file records beside the plan itself.
type Meta struct {
	// FormatVersion is the version the file was written in; Read sets
	// it, Write ignores it and writes FormatVersion.
	FormatVersion string
	// CandlekeepVersion is the version of the candlekeep that made the
	// plan.
	CandlekeepVersion string
}

// Document is the JSON plan, field for field as docs/json-format.md
// describes it.
type Document struct {
	FormatVersion     string      `json:"format_version"`
	CandlekeepVersion string      `json:"candlekeep_version"`
	PlannedAt         string      `json:"planned_at"`
	Lineage           string      `json:"lineage"`
	Serial            int64       `json:"serial"`
	ConfigDigest      string      `json:"config_digest"`
	InventoryDigest   string      `json:"inventory_digest"`
	PlanDigest        string      `json:"plan_digest"`
	HasChanges        bool        `json:"has_changes"`
	Partial           bool        `json:"partial"`
	Targets           []string    `json:"targets"`
	Excludes          []string    `json:"excludes"` // since 1.1
	Scope             []string    `json:"scope"`
	Sink              *Sink       `json:"sink,omitempty"`
	Summary           Summary     `json:"summary"`
	Tiers             []TierTotal `json:"tiers"`
	Actions           []Action    `json:"actions"`
	// Warnings are the plan's warnings (since 1.1).
	Warnings []Warning `json:"warnings"`
	// Deferred are the gaps the rebuild budget left for the next run,
	// as actions of kind deferred (since 1.5; absent when none).
	Deferred []Action `json:"deferred,omitempty"`
}

// Sink is the sink a plan was made for (ohlc.SinkIdentity): never its
// credentials.
type Sink struct {
	Kind        string `json:"kind"`
	Address     string `json:"address"`
	Table       string `json:"table"`
	Incarnation string `json:"incarnation"`
	// Checked says the incarnation was read from the sink itself, not
	// taken from state's last record of the table.
	Checked bool `json:"checked"`
}

// Summary counts the plan's actions (planner.Summary).
type Summary struct {
	Loads           int   `json:"loads"`
	LoadCandles     int64 `json:"load_candles"`
	Backfills       int   `json:"backfills"`
	BackfillCandles int64 `json:"backfill_candles"`
	Requests        int   `json:"requests"`
	// Derives counts the derive actions, and DeriveCandles their
	// estimated candles (since 1.5).
	Derives               int   `json:"derives"`
	DeriveCandles         int64 `json:"derive_candles"`
	Unfillable            int   `json:"unfillable"`
	UnfillableCandleSlots int64 `json:"unfillable_candle_slots"`
	// UnfillableKnown counts the unfillable gaps state already recorded
	// (since 1.1).
	UnfillableKnown int `json:"unfillable_known"`
	// Lost counts the unfillable gaps with candles lost for good, and
	// LostCandleSlots those candles (since 1.2).
	Lost            int   `json:"lost"`
	LostCandleSlots int64 `json:"lost_candle_slots"`
	// Rebuilds count the rebuild_trades actions and their estimates;
	// Deferred the gaps the rebuild budget deferred (since 1.5).
	Rebuilds        int   `json:"rebuilds"`
	RebuildCandles  int64 `json:"rebuild_candles"`
	RebuildTrades   int64 `json:"rebuild_trades"`
	RebuildRequests int   `json:"rebuild_requests"`
	RebuildSeconds  int64 `json:"rebuild_seconds"`
	Deferred        int   `json:"deferred"`
	DeferredCandles int64 `json:"deferred_candle_slots"`
}

// TierTotal counts the actions of one tier and interval. An action asked
// for through several tiers counts in each; pairs listed directly in a
// coverage block count under the tier "".
type TierTotal struct {
	Tier      string `json:"tier"`
	Interval  int    `json:"interval"`
	Loads     int    `json:"loads"`
	Backfills int    `json:"backfills"`
	// Derives counts the derive actions (since 1.5).
	Derives    int `json:"derives"`
	Unfillable int `json:"unfillable"`
	// UnfillableKnown counts those state already recorded (since 1.1).
	UnfillableKnown int `json:"unfillable_known"`
	// Candles is the estimated candles the loads, backfills and derives
	// add.
	Candles int64 `json:"candles"`
}

// Action is one planned action.
type Action struct {
	Kind             string  `json:"kind"`
	Series           string  `json:"series"`
	Pair             string  `json:"pair"`
	Interval         int     `json:"interval"`
	Span             Span    `json:"span"`
	Source           *Source `json:"source,omitempty"`
	EstimatedCandles int64   `json:"estimated_candles"`
	Requests         int     `json:"requests"`
	// From is, for derive, the interval it aggregates from (since 1.4).
	From int `json:"from,omitempty"`
	// After are the positions in actions of the actions this one waits
	// for (since 1.4; absent when none).
	After  []int  `json:"after,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Suggestion is what would fill the gap, in a sentence; Fill is the
	// same as data (since 1.6).
	Suggestion string              `json:"suggestion,omitempty"`
	Fill       *planner.Suggestion `json:"fill,omitempty"`
	// Known is, for unfillable only, whether state already recorded
	// the gap (since 1.1).
	Known *bool `json:"known,omitempty"`
	// Lost is, for unfillable only, the part lost for good because a
	// run came too late; absent when none (since 1.2).
	Lost *Span `json:"lost,omitempty"`
	// Provisional is, for backfill_api only, the part fetched again
	// because its candles were fetched too soon after they closed; absent
	// when none (since 1.2).
	Provisional *Span `json:"provisional,omitempty"`
	// Rebuild is, for rebuild_trades only, what it builds and its
	// estimate (since 1.5).
	Rebuild  *Rebuild `json:"rebuild,omitempty"`
	Coverage []string `json:"coverage"`
	Tiers    []string `json:"tiers"`
}

// Span is a half-open time range [start, end), both RFC 3339 in UTC: the
// one JSON form of a span every document writes.
type Span = ohlc.JSONSpan

// Source is the dump member a load_csv action reads.
type Source struct {
	Dump        string `json:"dump"`
	DumpPath    string `json:"dump_path"`
	Member      string `json:"member"`
	Fingerprint string `json:"fingerprint"`
	Size        int64  `json:"size"`
	// ModTime is a plain file's modification time (RFC 3339 with
	// nanoseconds), absent for zip members.
	ModTime string `json:"mod_time,omitempty"`
	IsZip   bool   `json:"is_zip"`
	// Until is the full-history dump's declared cutoff, which every row
	// must precede (since 1.2; absent when none is declared).
	Until string `json:"until,omitempty"`
	// FirstRow and LastRow are the open times of the file's first and
	// last rows as profiled (since 1.2): a load whose span holds either
	// must write a row.
	FirstRow string `json:"first_row,omitempty"`
	LastRow  string `json:"last_row,omitempty"`
}

// NewDocument describes p as the JSON document.
func NewDocument(p *planner.Plan, meta Meta) *Document {
	s := p.Summary()
	d := &Document{
		FormatVersion:     FormatVersion,
		CandlekeepVersion: meta.CandlekeepVersion,
		PlannedAt:         formatTime(p.Now),
		Lineage:           p.Lineage,
		Serial:            p.Serial,
		ConfigDigest:      p.ConfigDigest,
		InventoryDigest:   p.InventoryDigest,
		PlanDigest:        p.Digest(),
		HasChanges:        p.HasChanges(),
		Partial:           p.Partial(),
		Targets:           append([]string{}, p.Targets...),
		Excludes:          append([]string{}, p.Excludes...),
		Scope:             make([]string, len(p.Scope)),
		Summary: Summary{
			Loads: s.Loads, LoadCandles: s.LoadCandles,
			Backfills: s.Backfills, BackfillCandles: s.BackfillCandles, Requests: s.Requests,
			Derives: s.Derives, DeriveCandles: s.DeriveCandles,
			Unfillable: s.Unfillable, UnfillableCandleSlots: s.UnfillableCandleSlots,
			UnfillableKnown: s.UnfillableKnown,
			Lost:            s.Lost, LostCandleSlots: s.LostCandleSlots,
			Rebuilds: s.Rebuilds, RebuildCandles: s.RebuildCandles, RebuildTrades: s.RebuildTrades,
			RebuildRequests: s.RebuildRequests, RebuildSeconds: int64(s.RebuildDuration / time.Second),
			Deferred: s.Deferred, DeferredCandles: s.DeferredCandles,
		},
		Deferred: newDeferred(p.Deferred),
		Tiers:    TierTotals(p),
		Actions:  newActions(p.Listing()),
		Warnings: newWarnings(p.Warnings),
	}
	for i, s := range p.Scope {
		d.Scope[i] = s.String()
	}
	if p.Sink.Kind != "" {
		d.Sink = &Sink{Kind: p.Sink.Kind, Address: p.Sink.Address, Table: p.Sink.Table, Incarnation: p.Sink.Incarnation, Checked: p.SinkChecked}
	}
	return d
}

// newActions lists the plan's actions and its gaps, the gaps as actions of
// kind unfillable: the format keeps them among the actions, as it always
// has, so readers of 1.x documents read them unchanged.
func newActions(list []planner.Action) []Action {
	// After names actions by their index among actions; the document, by
	// their position in this list, gaps included.
	var pos []int
	for i, a := range list {
		if a.Kind != planner.Unfillable {
			pos = append(pos, i)
		}
	}
	out := make([]Action, len(list))
	for i, a := range list {
		out[i] = newAction(a)
		if len(a.After) > 0 {
			out[i].After = make([]int, len(a.After))
			for j, dep := range a.After {
				out[i].After[j] = pos[dep]
			}
		}
	}
	return out
}

func newAction(a planner.Action) Action {
	out := Action{
		Kind:             string(a.Kind),
		Series:           a.Series.String(),
		Pair:             a.Series.Pair,
		Interval:         int(a.Series.Interval),
		Span:             a.Span.JSON(),
		EstimatedCandles: a.Estimate,
		Requests:         a.Requests,
		After:            a.After,
		From:             int(a.From),
		Reason:           string(a.Reason),
		Fill:             suggestionOf(a.Suggestion),
		// Empty lists are [], not null, so consumers need not check.
		Coverage: append([]string{}, a.Coverage...),
		Tiers:    append([]string{}, a.Tiers...),
		Rebuild:  newRebuild(a),
	}
	if out.Fill != nil {
		out.Suggestion = SuggestionText(a.Series, a.Suggestion)
	}
	if a.Kind == planner.Unfillable {
		out.Known = &a.Known
	}
	if !a.Lost.Empty() {
		lost := a.Lost.JSON()
		out.Lost = &lost
	}
	if !a.Provisional.Empty() {
		provisional := a.Provisional.JSON()
		out.Provisional = &provisional
	}
	if c := a.CSV; c != nil {
		out.Source = &Source{Dump: c.Dump, DumpPath: c.DumpPath, Member: c.Member, Fingerprint: c.Fingerprint, Size: c.Size, IsZip: c.IsZip}
		if c.ModTime != 0 {
			out.Source.ModTime = time.Unix(0, c.ModTime).UTC().Format(time.RFC3339Nano)
		}
		out.Source.Until = formatOptionalTime(c.Until)
		if c.First != 0 || c.Last != 0 {
			out.Source.FirstRow, out.Source.LastRow = formatTime(c.First), formatTime(c.Last)
		}
	}
	return out
}

// TierTotals counts p's actions per tier and interval, ordered by tier
// name (pairs listed directly, tier "", last) and then interval.
func TierTotals(p *planner.Plan) []TierTotal {
	type key struct {
		tier     string
		interval ohlc.Interval
	}
	totals := map[key]*TierTotal{}
	for _, a := range p.Listing() {
		tiers := a.Tiers
		if len(tiers) == 0 {
			tiers = []string{""}
		}
		for _, tier := range tiers {
			k := key{tier, a.Series.Interval}
			t := totals[k]
			if t == nil {
				t = &TierTotal{Tier: tier, Interval: int(a.Series.Interval)}
				totals[k] = t
			}
			switch a.Kind {
			case planner.LoadCSV:
				t.Loads++
				t.Candles += a.Estimate
			case planner.BackfillAPI:
				t.Backfills++
				t.Candles += a.Estimate
			case planner.Derive:
				t.Derives++
				t.Candles += a.Estimate
			case planner.RebuildTrades:
				t.Candles += a.Estimate
			case planner.Unfillable:
				t.Unfillable++
				if a.Known {
					t.UnfillableKnown++
				}
			}
		}
	}
	out := make([]TierTotal, 0, len(totals))
	for _, t := range totals {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b TierTotal) int {
		if (a.Tier == "") != (b.Tier == "") {
			if a.Tier == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Tier, b.Tier), cmp.Compare(a.Interval, b.Interval))
	})
	return out
}

// formatTime is the one JSON form of a time every document writes.
func formatTime(unix int64) string { return ohlc.JSONTimeOf(unix) }

// formatOptionalTime is formatTime, or "" for 0 (none).
func formatOptionalTime(unix int64) string {
	if unix == 0 {
		return ""
	}
	return formatTime(unix)
}

// suggestionOf is a suggestion as the document holds it: absent when none.
func suggestionOf(s planner.Suggestion) *planner.Suggestion {
	if s == (planner.Suggestion{}) {
		return nil
	}
	return &s
}
