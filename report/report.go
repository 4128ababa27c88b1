// Package report computes how complete the configured candles are, from
// state alone: per tier × interval (or per series), the share of the
// desired window covered, the gap records by status, the newest covered
// instant and the last run that touched it. It does no I/O; rendering as
// HTML is in html.go.
package report

import (
	"slices"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
)

// NoTier is the tier name of series whose pairs are listed directly in a
// coverage block, not through a tier.
const NoTier = "(no tier)"

// Input is what a report is computed from.
type Input struct {
	Config   *config.Config
	Snapshot *state.Snapshot
	// Gaps are the gap records to count (open, unfillable and failed;
	// others are ignored).
	Gaps []state.Gap
	// Runs and Actions name the last run that touched each series; both
	// may be empty, and then no run is reported.
	Runs    []state.Run
	Actions []state.ActionRecord
	Now     int64
	// Since, when set, counts only from that instant on.
	Since int64
	// Targets keep only the series they select, and Excludes leave out
	// those they select, as plan's -target and -exclude do.
	Targets, Excludes []planner.Target
	// Freshness is check's verdict per series (FreshPass, FreshWarn,
	// FreshError), for series whose coverage block has a freshness
	// block; computed by the caller, as check does.
	Freshness map[ohlc.Series]string
}

// Freshness verdicts, as check gives them.
const (
	FreshPass  = "pass"
	FreshWarn  = "warn"
	FreshError = "error"
)

// recentRuns is how many runs the report lists.
const recentRuns = 5

// Counts are the figures of one row.
type Counts struct {
	SeriesCount int   // series in the row
	Desired     int64 // seconds the configuration wants
	Covered     int64 // seconds of those covered in state
	// Gap records overlapping the desired window, by status.
	OpenGaps, UnfillableGaps, FailedGaps int
	// CoverageEnd is the newest covered instant (exclusive end of the last
	// covered span); for a group, that of its stalest series. 0: a series
	// has nothing covered.
	CoverageEnd int64
	// NewestEnd is, for a group, the CoverageEnd of its freshest series,
	// and Stalest names the series whose CoverageEnd is CoverageEnd; for
	// a series, NewestEnd is its CoverageEnd and Stalest is unset.
	NewestEnd int64
	Stalest   ohlc.Series
	LastRun   *RunRef // nil when no recorded run touched it
	// FreshChecked counts the series check judges; FreshWarn and
	// FreshError those it would warn or fail about.
	FreshChecked, FreshWarn, FreshError int
}

// Share is the covered share of the desired window, 1 when nothing is
// wanted.
func (c Counts) Share() float64 {
	if c.Desired == 0 {
		return 1
	}
	return float64(c.Covered) / float64(c.Desired)
}

// Missing is the desired time not covered, in seconds.
func (c Counts) Missing() int64 { return c.Desired - c.Covered }

// Row is one line of the report: a tier × interval, or a series.
type Row struct {
	Tier     string
	Interval ohlc.Interval
	Series   ohlc.Series // set in per-series rows only
	Counts
}

// SeriesDetail is one series with its spans, for timelines.
type SeriesDetail struct {
	Series  ohlc.Series
	Tiers   []string // NoTier when listed directly
	Desired ohlc.SpanSet
	Covered ohlc.SpanSet // covered ∩ desired
	Gaps    []state.Gap  // open, unfillable and failed records within the desired window, clipped to it
	// APICovered is the part of Covered recorded from Kraken's REST API;
	// the rest came from dumps.
	APICovered ohlc.SpanSet
	Freshness  string // check's verdict, "" when not checked
	Counts
}

// Report is the computed report.
type Report struct {
	Now, Since int64
	Tiers      []Row          // per tier × interval, tiers in declaration order, NoTier last
	Series     []Row          // per tier × series (a series in two tiers is in both)
	Details    []SeriesDetail // per series, sorted
	Runs       []state.Run    // the newest runs, newest first, at most recentRuns
}

// Compute computes the report. The desired spans are planner.Desired's,
// so the arithmetic is the planner's.
func Compute(in Input) *Report {
	rep := &Report{Now: in.Now, Since: in.Since}
	desired := planner.Desired(in.Config, in.Now)
	gapsBy := make(map[ohlc.Series][]state.Gap)
	for _, g := range in.Gaps {
		switch g.Status {
		case state.GapOpen, state.GapUnfillable, state.GapFailed:
			gapsBy[g.Series] = append(gapsBy[g.Series], g)
		}
	}
	lastRun := lastRuns(in.Runs, in.Actions)
	var coverage, api map[ohlc.Series]ohlc.SpanSet
	if in.Snapshot != nil {
		coverage, api = in.Snapshot.Coverage, in.Snapshot.APICoverage
	}
	for s, w := range desired {
		if !planner.Selected(s, w, in.Targets, in.Excludes) {
			continue
		}
		d := detail(s, w, coverage[s], gapsBy[s], lastRun[s], in.Since)
		d.APICovered = ohlc.Intersect(api[s], d.Covered)
		if f, ok := in.Freshness[s]; ok {
			d.Freshness = f
			d.FreshChecked = 1
			switch f {
			case FreshWarn:
				d.FreshWarn = 1
			case FreshError:
				d.FreshError = 1
			}
		}
		rep.Details = append(rep.Details, d)
	}
	rep.Runs = newestRuns(in.Runs, recentRuns)
	slices.SortFunc(rep.Details, func(a, b SeriesDetail) int { return a.Series.Compare(b.Series) })
	rep.group(tierOrder(in.Config))
	return rep
}

func detail(s ohlc.Series, w planner.Want, covered ohlc.SpanSet, gaps []state.Gap, run *RunRef, since int64) SeriesDetail {
	want := w.Spans
	if since > 0 {
		want = ohlc.Intersect(want, ohlc.NewSpanSet(ohlc.Span{Start: since, End: 1<<62 - 1}))
	}
	d := SeriesDetail{Series: s, Tiers: w.Tiers, Desired: want, Covered: ohlc.Intersect(covered, want)}
	if len(d.Tiers) == 0 {
		d.Tiers = []string{NoTier}
	}
	d.Counts = Counts{SeriesCount: 1, Desired: want.Seconds(), Covered: d.Covered.Seconds(), LastRun: run}
	if n := len(covered); n > 0 {
		d.CoverageEnd = covered[n-1].End
		d.NewestEnd = d.CoverageEnd
	}
	for _, g := range gaps {
		in := ohlc.Intersect(ohlc.NewSpanSet(g.Span), want)
		if len(in) == 0 {
			continue
		}
		for _, sp := range in {
			clipped := g
			clipped.Span = sp
			d.Gaps = append(d.Gaps, clipped)
		}
		switch g.Status {
		case state.GapOpen:
			d.OpenGaps++
		case state.GapUnfillable:
			d.UnfillableGaps++
		case state.GapFailed:
			d.FailedGaps++
		}
	}
	return d
}

// group fills the tier and series rows from the details.
func (r *Report) group(order map[string]int) {
	type key struct {
		tier string
		iv   ohlc.Interval
	}
	byKey := make(map[key]*Row)
	for _, d := range r.Details {
		for _, tier := range d.Tiers {
			r.Series = append(r.Series, Row{Tier: tier, Interval: d.Series.Interval, Series: d.Series, Counts: d.Counts})
			k := key{tier, d.Series.Interval}
			row := byKey[k]
			if row == nil {
				row = &Row{Tier: tier, Interval: d.Series.Interval, Counts: Counts{CoverageEnd: d.CoverageEnd, Stalest: d.Series}}
				byKey[k] = row
			} else if d.CoverageEnd < row.CoverageEnd {
				row.Stalest = d.Series
			}
			row.add(d.Counts)
		}
	}
	for _, row := range byKey {
		r.Tiers = append(r.Tiers, *row)
	}
	less := func(a, b Row) int {
		if c := rank(order, a.Tier) - rank(order, b.Tier); c != 0 {
			return c
		}
		if a.Interval != b.Interval {
			return int(a.Interval) - int(b.Interval)
		}
		return a.Series.Compare(b.Series)
	}
	slices.SortFunc(r.Tiers, less)
	slices.SortFunc(r.Series, less)
}

func (r *Row) add(c Counts) {
	r.SeriesCount += c.SeriesCount
	r.Desired += c.Desired
	r.Covered += c.Covered
	r.OpenGaps += c.OpenGaps
	r.UnfillableGaps += c.UnfillableGaps
	r.FailedGaps += c.FailedGaps
	r.CoverageEnd = min(r.CoverageEnd, c.CoverageEnd)
	r.NewestEnd = max(r.NewestEnd, c.NewestEnd)
	r.FreshChecked += c.FreshChecked
	r.FreshWarn += c.FreshWarn
	r.FreshError += c.FreshError
	switch {
	case c.LastRun == nil:
	case r.LastRun == nil || c.LastRun.ID > r.LastRun.ID:
		r.LastRun = c.LastRun
	case c.LastRun.ID == r.LastRun.ID && worse(r.LastRun.Outcome, c.LastRun.Outcome) != r.LastRun.Outcome:
		// The group fared as its worst series did; copied, since the
		// series' own row shares the pointer.
		run := *r.LastRun
		run.Outcome = c.LastRun.Outcome
		r.LastRun = &run
	}
}

// tierOrder ranks tiers by declaration; NoTier and unknown names sort last.
func tierOrder(cfg *config.Config) map[string]int {
	order := make(map[string]int)
	if cfg != nil {
		for i, t := range cfg.Tiers {
			order[t.Name] = i
		}
	}
	return order
}

func rank(order map[string]int, tier string) int {
	if i, ok := order[tier]; ok {
		return i
	}
	return len(order)
}

// newestRuns is the n newest runs, newest first.
func newestRuns(runs []state.Run, n int) []state.Run {
	out := slices.Clone(runs)
	slices.SortFunc(out, func(a, b state.Run) int { return int(b.ID - a.ID) })
	return out[:min(n, len(out))]
}
