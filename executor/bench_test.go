package executor_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/feefifofunds/candlekeep/bench/synth"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks/sqlite"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// BenchmarkApplySQLite applies one load of the real XBTUSD_60.csv repeated
// to 3 million rows into a fresh SQLite sink and state, end to end: read,
// parse, write, confirm, checkpoint.
//
//	go test -run='^$' -bench=ApplySQLite -benchtime=3x -count=6 ./executor/
func BenchmarkApplySQLite(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(hourlyDump, "XBTUSD_60.csv"))
	if err != nil {
		b.Fatal(err)
	}
	data, rows, err := synth.RepeatShifted(src, 3_000_000, 3600)
	if err != nil {
		b.Fatal(err)
	}
	dumpDir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dumpDir, "XBTUSD_60.csv"), data, 0o644); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	inv, err := krakencsv.Scan(ctx, []krakencsv.DumpSpec{{Name: "big", Path: dumpDir, Kind: krakencsv.FullHistory}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	m := inv.Dumps[0].Members[0]
	plan := &planner.Plan{Actions: []planner.Action{{
		Kind: planner.LoadCSV, Series: xbt60, Span: ohlc.Span{Start: 0, End: inv.Dumps[0].Cutoff},
		CSV:      &planner.CSVSource{Dump: "big", DumpPath: dumpDir, Member: m.Path, Fingerprint: m.Fingerprint, Size: m.Size},
		Estimate: int64(rows),
	}}}

	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		st, sink := freshSQLite(b)
		b.StartTimer()
		ex := &executor.Executor{Sink: sink, State: st, Open: executor.OpenCSV}
		res, err := ex.Apply(ctx, plan)
		if err != nil || res.Rows != int64(rows) {
			b.Fatalf("apply wrote %d of %d rows: %v %+v", res.Rows, rows, err, res.Failures)
		}
		b.StopTimer()
		sink.Close()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// freshSQLite opens an empty state and a set-up SQLite sink in a new
// folder.
func freshSQLite(b *testing.B) (*state.Store, *sqlite.Sink) {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	st, err := state.Open(ctx, state.Config{Backend: "sqlite", Path: filepath.Join(dir, "state.db")})
	if err != nil {
		b.Fatal(err)
	}
	sink, err := sqlite.Open(ctx, filepath.Join(dir, "candles.db"), "candles")
	if err != nil {
		b.Fatal(err)
	}
	if err := sink.Setup(ctx); err != nil {
		b.Fatal(err)
	}
	return st, sink
}
