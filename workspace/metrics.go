package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/metrics"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
)

// applyTally counts what an apply did from its events, for the metrics.
type applyTally struct {
	written map[string]int64                // by source
	ended   map[planner.Kind]map[string]int // by kind, then outcome
	done    map[int]bool                    // plan indexes of the actions that finished
}

func newApplyTally() *applyTally {
	return &applyTally{written: map[string]int64{"csv": 0, "api": 0}, ended: map[planner.Kind]map[string]int{}, done: map[int]bool{}}
}

// wrap counts each event, then hands it on.
func (t *applyTally) wrap(next func(executor.Event)) func(executor.Event) {
	return func(ev executor.Event) {
		t.count(ev)
		if next != nil {
			next(ev)
		}
	}
}

func (t *applyTally) count(ev executor.Event) {
	switch e := ev.(type) {
	case executor.ActionFinished:
		t.written[sourceOf(e.Action.Kind)] += e.Rows
		t.end(e.Action.Kind, "done")
		t.done[e.Index] = true
	case executor.ActionFailed:
		t.written[sourceOf(e.Action.Kind)] += e.Rows
		outcome := "failed"
		if errors.Is(e.Err, executor.ErrInterrupted) {
			outcome = "interrupted"
		}
		t.end(e.Action.Kind, outcome)
	}
}

func (t *applyTally) end(k planner.Kind, outcome string) {
	if t.ended[k] == nil {
		t.ended[k] = map[string]int{}
	}
	t.ended[k][outcome]++
}

func sourceOf(k planner.Kind) string {
	switch k {
	case planner.BackfillAPI:
		return "api"
	case planner.RebuildTrades:
		return "trades"
	}
	return "csv"
}

// record sets the apply's gauges from the plan and what the run did.
func (t *applyTally) record(run *metrics.Run, cfg *config.Config, p *planner.Plan) {
	for src, n := range t.written {
		run.Written(src, n)
	}
	planned := map[planner.Kind]int{}
	type key struct {
		tier     string
		interval ohlc.Interval
	}
	open, unfillable, lost := map[key]int{}, map[key]int{}, map[key]int{}
	lostCandles := map[key]int64{}
	for _, ti := range tierIntervals(cfg) {
		k := key{ti.tier, ti.interval}
		open[k], unfillable[k], lost[k], lostCandles[k] = 0, 0, 0, 0
	}
	if p != nil {
		// Actions by their index in the run (t.done), then the gaps.
		listing := append(append([]planner.Action{}, p.Actions...), gapActions(p)...)
		for i, a := range listing {
			tiers := a.Tiers
			if len(tiers) == 0 {
				tiers = []string{""}
			}
			if a.Kind != planner.Unfillable {
				planned[a.Kind]++
			}
			for _, tier := range tiers {
				k := key{tier, a.Series.Interval}
				switch {
				case a.Kind != planner.Unfillable:
					if !t.done[i] {
						open[k]++
					}
				default:
					unfillable[k]++
					if !a.Lost.Empty() {
						lost[k]++
						lostCandles[k] += a.Lost.Candles(a.Series.Interval)
					}
				}
			}
		}
	}
	for _, kind := range []planner.Kind{planner.LoadCSV, planner.BackfillAPI, planner.Derive, planner.RebuildTrades} {
		ended := 0
		for _, outcome := range []string{"done", "failed", "interrupted"} {
			n := t.ended[kind][outcome]
			ended += n
			run.Actions(string(kind), outcome, n)
		}
		run.Actions(string(kind), "skipped", planned[kind]-ended)
	}
	for k, n := range open {
		iv := int(k.interval)
		run.Gaps(k.tier, iv, metrics.GapOpen, n)
		run.Gaps(k.tier, iv, metrics.GapUnfillable, unfillable[k])
		run.Gaps(k.tier, iv, metrics.GapLost, lost[k])
		run.LostCandles(k.tier, iv, lostCandles[k])
	}
}

// ApplyMetrics is what an apply publishes, gathered as it goes. The
// zero value gathers nothing (no -metrics-dir or -pushgateway).
type ApplyMetrics struct {
	Run         *metrics.Run // nil when nothing is published
	Config      *config.Config
	Plan        *planner.Plan
	Interrupted bool
	tally       *applyTally
	fresh       []Freshness
}

// Start gathers the apply's metrics into run.
func (m *ApplyMetrics) Start(run *metrics.Run) { m.Run, m.tally = run, newApplyTally() }

// Wrap counts each event for the metrics, then hands it to next; next
// itself when nothing is gathered.
func (m *ApplyMetrics) Wrap(next func(executor.Event)) func(executor.Event) {
	if m.Run == nil {
		return next
	}
	return m.tally.wrap(next)
}

// ReadFreshness reads state after the run and keeps each checked series'
// age, as check would measure it now.
func (m *ApplyMetrics) ReadFreshness(ctx context.Context, st *state.Store, now int64) error {
	if m.Run == nil {
		return nil
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("read state for metrics: %w", err)
	}
	m.fresh = CheckFreshness(m.Config, snap.Coverage, now)
	return nil
}

// Record sets the run's gauges from what was gathered.
func (m *ApplyMetrics) Record() {
	if m.Run == nil || m.Config == nil {
		return
	}
	m.tally.record(m.Run, m.Config, m.Plan)
	FreshnessMetrics(m.Run, m.fresh)
}

// gapActions are the plan's unfillable gaps as listing actions.
func gapActions(p *planner.Plan) []planner.Action {
	out := make([]planner.Action, len(p.Gaps))
	for i, g := range p.Gaps {
		out[i] = g.Action()
	}
	return out
}

// tierIntervals are the configuration's tiers × intervals ("" for pairs
// listed directly), so every gauge of a configured tier exists, at 0 when
// nothing is missing: an alert on "> 0" then never sees an absent series.
func tierIntervals(cfg *config.Config) []tierInterval {
	var out []tierInterval
	for _, c := range cfg.Coverage {
		tiers := slices.Clone(c.Tiers)
		if len(c.Tiers) == 0 || hasDirectPairs(cfg, c) {
			tiers = append(tiers, "")
		}
		for _, t := range tiers {
			for _, iv := range c.Intervals {
				out = append(out, tierInterval{t, iv})
			}
		}
	}
	slices.SortFunc(out, func(a, b tierInterval) int {
		if a.tier != b.tier {
			if a.tier < b.tier {
				return -1
			}
			return 1
		}
		return int(a.interval) - int(b.interval)
	})
	return slices.Compact(out)
}

type tierInterval struct {
	tier     string
	interval ohlc.Interval
}

// hasDirectPairs reports whether c lists pairs beyond its tiers'.
func hasDirectPairs(cfg *config.Config, c config.Coverage) bool {
	inTiers := map[string]bool{}
	for _, t := range cfg.Tiers {
		if slices.Contains(c.Tiers, t.Name) {
			for _, p := range t.Pairs {
				inTiers[p] = true
			}
		}
	}
	for _, p := range c.Pairs {
		if !inTiers[p] {
			return true
		}
	}
	return false
}

// FreshnessMetrics sets every checked series' age and thresholds.
func FreshnessMetrics(run *metrics.Run, results []Freshness) {
	for _, r := range results {
		age := time.Duration(r.Age) * time.Second
		if r.CoveredUntil == 0 {
			// Never loaded: as old as the window, which no threshold
			// passes; the age of the start of time would overflow rules.
			age = time.Duration(r.Expected-ohlc.KrakenFirstTrade) * time.Second
		}
		run.Freshness(r.Series.String(), r.Series.Pair, int(r.Series.Interval), age, r.WarnAfter, r.ErrorAfter)
	}
}
