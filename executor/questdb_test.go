package executor_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/bench/synth"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks/questdb"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// openQuestDB opens the sink against a stand-in, with fast retries.
func openQuestDB(tb testing.TB, srv *questdbtest.Server) *questdb.Sink {
	tb.Helper()
	ctx := context.Background()
	sink, err := questdb.Open(ctx, srv.Conf(), "candles")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sink.Close() })
	sink.Retry = questdb.Backoff{Attempts: 3, Base: time.Millisecond, Max: 5 * time.Millisecond}
	if err := sink.Setup(ctx); err != nil {
		tb.Fatal(err)
	}
	return sink
}

// A QuestDB that keeps failing: the action fails once the retries are
// spent and state claims nothing the server did not acknowledge; the
// batches it did acknowledge are recorded.
func TestQuestDBFailureRecordsOnlyAcknowledgedBatches(t *testing.T) {
	f := newFixture(t)
	srv := questdbtest.New(questdbtest.Options{})
	defer srv.Close()
	sink := openQuestDB(t, srv)
	// Two batches land (a zero delay passes them through), then the server
	// answers 500 to every attempt of
	// the third.
	srv.Inject(questdbtest.Slow(0), questdbtest.Slow(0), questdbtest.Status(500), questdbtest.Status(500), questdbtest.Status(500))
	ex := &executor.Executor{Sink: sink, State: f.st, Open: executor.OpenCSV, Options: executor.Options{BatchRows: 1000, CheckpointRows: 1000}}
	res, err := ex.Apply(context.Background(), f.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 {
		t.Fatalf("want the action failed, got %+v", res)
	}
	rows := srv.Rows("candles")
	if len(rows) != 2000 || res.Rows != 2000 {
		t.Fatalf("server holds %d rows, result says %d; want the 2 acknowledged batches", len(rows), res.Rows)
	}
	last := rows[len(rows)-1].Timestamp / 1_000_000
	cov, err := f.st.Coverage(context.Background(), xbt60)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ohlc.SpanSet{{Start: from, End: last + 3600}}); !equalSet(cov[state.SourceCSV], want) {
		t.Errorf("coverage %s, want %s: only what QuestDB acknowledged", cov[state.SourceCSV], want)
	}
}

func equalSet(a, b ohlc.SpanSet) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// BenchmarkApplyQuestDB applies 3 million rows shaped like the real
// XBTUSD_60.csv, as 1-minute candles (hourly ones would run past the year
// 2262, where QuestDB's nanosecond timestamps end), into the QuestDB sink,
// against the stand-in only counting rows: one file, and two files loading
// in parallel.
//
//	go test -run='^$' -bench=ApplyQuestDB -benchtime=2x -count=6 ./executor/
func BenchmarkApplyQuestDB(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(hourlyDump, "XBTUSD_60.csv"))
	if err != nil {
		b.Fatal(err)
	}
	data, rows, err := synth.Resequence(src, 3_000_000, mustTime("2015-01-01"), 60)
	if err != nil {
		b.Fatal(err)
	}
	dumpDir := b.TempDir()
	for _, name := range []string{"XBTUSD_1.csv", "ETHUSD_1.csv"} {
		if err := os.WriteFile(filepath.Join(dumpDir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	inv, err := krakencsv.Scan(ctx, []krakencsv.DumpSpec{{Name: "big", Path: dumpDir, Kind: krakencsv.FullHistory}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	var actions []planner.Action
	for _, m := range inv.Dumps[0].Members {
		actions = append(actions, planner.Action{
			Kind: planner.LoadCSV, Series: m.Series, Span: ohlc.Span{Start: 0, End: inv.Dumps[0].Cutoff},
			CSV:      &planner.CSVSource{Dump: "big", DumpPath: dumpDir, Member: m.Path, Fingerprint: m.Fingerprint, Size: m.Size, ModTime: m.ModTime},
			Estimate: int64(rows),
		})
	}
	for _, files := range []int{1, 2} {
		b.Run(map[int]string{1: "one-file", 2: "two-files"}[files], func(b *testing.B) {
			plan := &planner.Plan{Actions: actions[:files]}
			srv := questdbtest.New(questdbtest.Options{CountOnly: true})
			defer srv.Close()
			sink := openQuestDB(b, srv)
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				st, err := state.Open(ctx, state.Config{Path: filepath.Join(b.TempDir(), "state.db")})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				ex := &executor.Executor{Sink: sink, State: st, Open: executor.OpenCSV, Options: executor.Options{Parallelism: files}}
				res, err := ex.Apply(ctx, plan)
				if err != nil || res.Rows != int64(rows*files) {
					b.Fatalf("apply wrote %d of %d rows: %v %+v", res.Rows, rows*files, err, res.Failures)
				}
				b.StopTimer()
				st.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(rows*files)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(srv.BytesReceived())/float64(srv.Count("candles")), "bytes/candle")
		})
	}
}
