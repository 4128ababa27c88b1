package state_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// BenchmarkPlan is what `candlekeep plan` does after scanning the dumps
// (whose fingerprints come from the cache): read a large SQLite state and
// compute the plan. 1,000 pairs × 8 intervals over ten years, 100,000
// coverage spans, 20,000 file records, and a full-history dump with a
// member per series.
//
//	go test ./state -run '^$' -bench Plan -benchmem -count 6
//
// bigState is the sizing of the plan and report budgets in a SQLite
// state: 1,000 pairs × 8 intervals over ten years, 100,000 coverage spans,
// 20,000 file records, and a full-history dump with a member per series.
func bigState(b *testing.B) (*state.Store, *config.Config, *krakencsv.Inventory, int64) {
	b.Helper()
	const pairs, spansPerSeries, fileRecords = 1000, 12, 20_000
	ctx := context.Background()
	st, err := state.Open(ctx, state.Config{Path: filepath.Join(b.TempDir(), "state.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })

	from, _ := ohlc.ParseTime("2016-01-01")
	cutoff, _ := ohlc.ParseTime("2026-01-01")
	now, _ := ohlc.ParseTime("2026-05-15T10:17:00Z")
	intervals := []ohlc.Interval{1, 5, 15, 30, 60, 240, 720, 1440}
	names := make([]string, pairs)
	coverage := map[ohlc.Series]ohlc.SpanSet{}
	var members []krakencsv.Member
	var files []state.FileRecord
	step := (cutoff - from) / spansPerSeries
	for p := range names {
		names[p] = fmt.Sprintf("P%04dUSD", p)
		for _, iv := range intervals {
			s := ohlc.Series{Pair: names[p], Interval: iv}
			// Covered spans with a hole in each step, so every series
			// has loads to plan as well as unfillable gaps after the
			// cutoff.
			var set ohlc.SpanSet
			for k := int64(0); k < spansPerSeries; k++ {
				start := iv.AlignDown(from + k*step)
				set = append(set, ohlc.Span{Start: start, End: iv.AlignDown(start + step*9/10)})
			}
			coverage[s] = set
			members = append(members, krakencsv.Member{
				Dump: "full", Path: fmt.Sprintf("%s_%d.csv", names[p], iv), Series: s, Fingerprint: "sha256:" + s.String(),
				Profile: krakencsv.Profile{Rows: 1 << 20, First: from, Last: cutoff - iv.Seconds()},
			})
		}
	}
	for k := range fileRecords {
		s := ohlc.Series{Pair: names[k%pairs], Interval: intervals[k%len(intervals)]}
		files = append(files, state.FileRecord{Fingerprint: fmt.Sprintf("sha256:old-%d", k), Dump: "old", Member: fmt.Sprintf("%s_%d.csv", s.Pair, s.Interval), Series: s, Rows: 1000, Status: state.FileLoaded})
	}
	if err := state.BulkSeed(ctx, st, coverage, files); err != nil {
		b.Fatal(err)
	}
	cfg := &config.Config{
		Tiers:    []config.Tier{{Name: "ALL", Pairs: names}},
		Coverage: []config.Coverage{{Name: "all", Tiers: []string{"ALL"}, Pairs: names, Intervals: intervals, Window: config.Window{From: from, ToNow: true}}},
	}
	inv := &krakencsv.Inventory{Dumps: []*krakencsv.Dump{{Spec: krakencsv.DumpSpec{Name: "full", Path: "full"}, Kind: krakencsv.FullHistory, Cutoff: cutoff, Members: members}}}

	return st, cfg, inv, now
}

func BenchmarkPlan(b *testing.B) {
	const pairs, spansPerSeries = 1000, 12
	intervals := 8
	ctx := context.Background()
	st, cfg, inv, now := bigState(b)

	b.ReportAllocs()
	var actions int
	for b.Loop() {
		snap, err := st.Snapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		actions = len(planner.Compute(planner.Input{Config: cfg, State: snap, Inventory: inv, Now: now}).Actions)
	}
	if actions < pairs*intervals*spansPerSeries {
		b.Fatalf("the plan has %d actions; the state was not read", actions)
	}
	b.ReportMetric(float64(actions), "actions/op")
}
