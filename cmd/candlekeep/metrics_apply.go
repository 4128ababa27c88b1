package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/metrics"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
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

// applyMetrics is what an apply publishes, gathered as it goes.
type applyMetrics struct {
	run         *metrics.Run // nil without -metrics-dir or -pushgateway
	tally       *applyTally
	cfg         *config.Config
	plan        *planner.Plan
	interrupted bool
	fresh       []workspace.Freshness
}

// freshness reads state after the run and keeps each checked series'
// age, as check would measure it now.
func (m *applyMetrics) freshness(ctx context.Context, st *state.Store, now int64) error {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("read state for metrics: %w", err)
	}
	m.fresh = workspace.CheckFreshness(m.cfg, snap.Coverage, now)
	return nil
}

func (m *applyMetrics) record() {
	if m.run == nil || m.cfg == nil {
		return
	}
	m.tally.record(m.run, m.cfg, m.plan)
	freshnessMetrics(m.run, m.fresh)
}

// gapActions are the plan's unfillable gaps as listing actions.
func gapActions(p *planner.Plan) []planner.Action {
	out := make([]planner.Action, len(p.Gaps))
	for i, g := range p.Gaps {
		out[i] = g.Action()
	}
	return out
}
