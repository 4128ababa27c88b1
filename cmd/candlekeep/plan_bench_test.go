package main

import "testing"

// The plan benchmarks run `candlekeep plan` end to end, as the CLI does
// (configuration, state, dump scan, snapshot, plan, text output), over a
// full-history zip of 24,000 members, 3,000 pairs × 8 intervals, in state
// after a full load of every configured series:
//
//	go test ./cmd/candlekeep -run '^$' -bench PlanFullHistory -benchtime 10x -count 6
//	go test ./cmd/candlekeep -run '^$' -bench PlanQuarterlyUpdate -benchtime 10x -count 6
//
// The inputs are generated once per process from a real Kraken fixture.

// BenchmarkPlanFullHistory plans with a warm fingerprint cache: no member
// is read, only the zip's directory.
func BenchmarkPlanFullHistory(b *testing.B) {
	fx, dir := planBenchDir(b, nil, false)
	if err := restoreState(dir, fx.warmState); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := benchPlan(dir, fx.now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanFullHistoryCold plans with an empty fingerprint cache, so
// every member is read once (the first plan after adding the download).
func BenchmarkPlanFullHistoryCold(b *testing.B) {
	fx, dir := planBenchDir(b, nil, false)
	for b.Loop() {
		b.StopTimer()
		if err := restoreState(dir, fx.coldState); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := benchPlan(dir, fx.now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanQuarterlyUpdate is the first plan after a quarterly update
// of 10,000 members of about 100 rows each is added next to the full
// history: the full history's members come from the cache, the quarter's
// are read once.
func BenchmarkPlanQuarterlyUpdate(b *testing.B) {
	fx, dir := planBenchDir(b, nil, true)
	for b.Loop() {
		b.StopTimer()
		if err := restoreState(dir, fx.warmState); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := benchPlan(dir, fx.now); err != nil {
			b.Fatal(err)
		}
	}
}
