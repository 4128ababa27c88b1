package executor_test

import (
	"context"
	"testing"
	"time"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks/questdb"
	"github.com/feefifofunds/candlekeep/sinks/questdb/questdbtest"
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
// batches it did acknowledge, as far as they run on from the start, are
// recorded. Two writes are in flight at once, so the two that pass may
// be the first and the third.
func TestQuestDBFailureRecordsOnlyAcknowledgedBatches(t *testing.T) {
	f := newFixture(t)
	srv := questdbtest.New(questdbtest.Options{})
	defer srv.Close()
	sink := openQuestDB(t, srv)
	// Two requests land (a zero delay passes them through), then the
	// server answers 500 to every attempt of every other.
	faults := []questdbtest.Fault{questdbtest.Slow(0), questdbtest.Slow(0)}
	for range 20 {
		faults = append(faults, questdbtest.Status(500))
	}
	srv.Inject(faults...)
	ex := &executor.Executor{Sink: sink, State: f.st, Open: executor.OpenCSV, Options: executor.Options{BatchRows: 1000, CheckpointRows: 1000}}
	res, err := ex.Apply(context.Background(), f.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 {
		t.Fatalf("want the action failed, got %+v", res)
	}
	rows := srv.Rows("candles")
	if len(rows) != 2000 {
		t.Fatalf("server holds %d rows; want the 2 acknowledged batches", len(rows))
	}
	// The acknowledged rows that run on from the file's first: what
	// state may claim.
	file := fileCandles(t, f)
	held := map[int64]bool{}
	for _, r := range rows {
		held[r.Timestamp/1_000_000] = true
	}
	prefix := 0
	for prefix < len(file) && held[file[prefix].Time] {
		prefix++
	}
	if res.Rows != int64(prefix) {
		t.Errorf("result says %d rows, want the %d acknowledged from the start", res.Rows, prefix)
	}
	cov, err := f.st.Coverage(context.Background(), xbt60)
	if err != nil {
		t.Fatal(err)
	}
	var want ohlc.SpanSet
	if prefix > 0 {
		want = ohlc.SpanSet{{Start: from, End: file[prefix-1].Time + 3600}}
	}
	if !equalSet(cov[state.SourceCSV], want) {
		t.Errorf("coverage %s, want %s: only what QuestDB acknowledged, from the start on", cov[state.SourceCSV], want)
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
// XBTUSD_60.csv, as 1-minute candles (see bigMinuteFile), into the QuestDB
// sink, against the stand-in only counting rows: one file, and two files
// loading in parallel.
//
//	go test -run='^$' -bench=ApplyQuestDB -benchtime=2x -count=6 ./executor/
func BenchmarkApplyQuestDB(b *testing.B) {
	_, _, actions := questDBBenchDump(b)
	for _, files := range []int{1, 2} {
		b.Run(map[int]string{1: "one-file", 2: "two-files"}[files], func(b *testing.B) {
			plan := &planner.Plan{Actions: actions[:files]}
			srv := questdbtest.New(questdbtest.Options{CountOnly: true})
			defer srv.Close()
			var took cost
			for range b.N {
				took.add(applyToQuestDB(b, srv, plan, files))
			}
			b.ReportMetric(float64(questDBBenchRows*files*b.N)/took.wall.Seconds(), "rows/s")
			b.ReportMetric(float64(questDBBenchRows*files*b.N)/took.cpu.Seconds(), "rows/cpu-s")
			b.ReportMetric(float64(srv.BytesReceived())/float64(srv.Count("candles")), "bytes/candle")
		})
	}
}
