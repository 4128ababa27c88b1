package executor_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// TestPartialApplyKeepsOtherGaps: applying a plan limited by -target
// records the gaps of its own series and leaves every other series' gap
// records as they were, with work to do and without.
func TestPartialApplyKeepsOtherGaps(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	eth60 := ohlc.Series{Pair: "ETHUSD", Interval: 60}
	f.cfg.Coverage[0].Pairs = []string{"ETHUSD", "XBTUSD"}
	f.cfg.Coverage[0].Window = config.Window{From: mustTime("2020-09-01"), To: mustTime("2020-11-01")}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ethGap := state.Gap{Series: eth60, Span: ohlc.Span{Start: mustTime("2020-09-01"), End: mustTime("2020-10-01")}, Status: state.GapOpen}
	if err := f.st.SyncGaps(ctx, []state.Gap{ethGap}, t0); err != nil {
		t.Fatal(err)
	}
	target, err := planner.ParseTarget("series.XBTUSD/60")
	if err != nil {
		t.Fatal(err)
	}
	beyondDump := ohlc.Span{Start: mustTime("2020-10-01"), End: mustTime("2020-11-01")}
	want := []state.Gap{
		{Series: eth60, Span: ethGap.Span, Status: state.GapOpen, DetectedAt: t0},
		{Series: xbt60, Span: beyondDump, Status: state.GapUnfillable, Reason: string(planner.ReasonNoDump), DetectedAt: t0.Add(time.Hour)},
	}
	for k, wantLoads := range []int{1, 0} {
		plan := f.targetedPlan(t, target)
		if diff := cmp.Diff([]string{"series.XBTUSD/60"}, plan.Targets); diff != "" {
			t.Fatalf("plan targets (-want +got):\n%s", diff)
		}
		at := t0.Add(time.Duration(k+1) * time.Hour)
		ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: executor.Options{Now: func() time.Time { return at }}}
		res, err := ex.Apply(ctx, plan)
		if err != nil {
			t.Fatal(err)
		}
		if res.Done[planner.LoadCSV] != wantLoads {
			t.Errorf("apply %d: %d loads, want %d", k+1, res.Done[planner.LoadCSV], wantLoads)
		}
		got, err := f.st.Gaps(ctx, state.GapFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(state.Gap{}, "ID", "Suggestion")); diff != "" {
			t.Errorf("apply %d: gap records (-want +got):\n%s", k+1, diff)
		}
	}
}

// targetedPlan is plan limited to targets.
func (f *fixture) targetedPlan(t *testing.T, targets ...planner.Target) *planner.Plan {
	t.Helper()
	ctx := context.Background()
	inv, err := krakencsv.Scan(ctx, []krakencsv.DumpSpec{{Name: "hourly", Path: f.dump, Kind: krakencsv.FullHistory, Until: f.cfg.Dumps[0].Until}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := f.st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := planner.CheckTargets(f.cfg, targets); err != nil {
		t.Fatal(err)
	}
	return planner.Compute(planner.Input{Config: f.cfg, State: snap, Inventory: inv, Now: mustTime("2026-01-01"), Targets: targets})
}
