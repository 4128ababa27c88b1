package executor_test

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sinks/sqlite"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// The real hourly XBTUSD file of the quickstart, and the window the tests
// ask of it.
var (
	hourlyDump = filepath.Join("..", "examples", "quickstart", "data", "Kraken_OHLCVT_2020-10-01")
	xbt60      = ohlc.Series{Pair: "XBTUSD", Interval: 60}
	from       = mustTime("2019-01-01")
	to         = mustTime("2020-10-01")
)

func mustTime(s string) int64 {
	t, err := ohlc.ParseTime(s)
	if err != nil {
		panic(err)
	}
	return t
}

type fixture struct {
	st   *state.Store
	sink *sqlite.Sink
	cfg  *config.Config
	dump string // the dump folder the plan scans
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := state.Open(ctx, state.Config{Backend: "sqlite", Path: filepath.Join(dir, "state.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sink, err := sqlite.Open(ctx, filepath.Join(dir, "candles.db"), "candles")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	if err := sink.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{
		Dumps: []config.Dump{{Name: "hourly", Path: hourlyDump, Kind: config.FullHistory, Until: to}},
		Coverage: []config.Coverage{{
			Name: "hourly", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{60},
			Window: config.Window{From: from, To: to},
		}},
	}
	return &fixture{st: st, sink: sink, cfg: cfg, dump: hourlyDump}
}

// plan computes the plan from the real dump and the current state.
func (f *fixture) plan(t *testing.T) *planner.Plan {
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
	return planner.Compute(planner.Input{Config: f.cfg, State: snap, Inventory: inv, Now: mustTime("2026-01-01")})
}

func (f *fixture) sinkStats(t *testing.T) sinks.SeriesStats {
	t.Helper()
	stats, err := f.sink.ReadBack(context.Background(), ohlc.Span{Start: 0, End: mustTime("2100-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) == 0 {
		return sinks.SeriesStats{}
	}
	return stats[0]
}

func (f *fixture) covered(t *testing.T) ohlc.SpanSet {
	t.Helper()
	cov, err := f.st.Coverage(context.Background(), xbt60)
	if err != nil {
		t.Fatal(err)
	}
	return cov[state.SourceCSV]
}

// readMember is the candles of a dump member inside span, in file order,
// read by the reference parser.
func readMember(t *testing.T, dir, member string, span ohlc.Span) []ohlc.Candle {
	t.Helper()
	f, err := krakencsv.Open(context.Background(), krakencsv.Source{DumpPath: dir, Member: member})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]ohlc.Candle, 4096)
	var out []ohlc.Candle
	for {
		k, err := f.Read(buf)
		for _, c := range buf[:k] {
			if span.Contains(c.Time) {
				out = append(out, c)
			}
		}
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// fileCandles are the XBTUSD/60 candles of the window in the fixture's
// dump.
func fileCandles(t *testing.T, fx *fixture) []ohlc.Candle {
	t.Helper()
	return readMember(t, fx.dump, "XBTUSD_60.csv", ohlc.Span{Start: from, End: to})
}

// wantRows is the number of XBTUSD/60 rows in the window of the real
// hourly dump.
func wantRows(t *testing.T) int64 {
	t.Helper()
	return int64(len(readMember(t, hourlyDump, "XBTUSD_60.csv", ohlc.Span{Start: from, End: to})))
}

// failingSink fails every write after the first `ok` ones.
type failingSink struct {
	sinks.Sink
	ok     int64
	writes atomic.Int64
}

func (s *failingSink) NewWriter(ctx context.Context) (sinks.Writer, error) {
	w, err := s.Sink.NewWriter(ctx)
	return &failingWriter{Writer: w, s: s}, err
}

type failingWriter struct {
	sinks.Writer
	s *failingSink
}

func (w *failingWriter) Write(ctx context.Context, series ohlc.Series, candles []ohlc.Candle) error {
	if w.s.writes.Add(1) > w.s.ok {
		return errors.New("sink refused the batch")
	}
	return w.Writer.Write(ctx, series, candles)
}

func TestApplyRecordsOnlyWhatTheSinkConfirmed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	opts := executor.Options{BatchRows: 1000, CheckpointRows: 1000, Parallelism: 1}

	broken := &executor.Executor{Sink: &failingSink{Sink: f.sink, ok: 3}, State: f.st, Open: executor.OpenCSV, Options: opts}
	res, err := broken.Apply(ctx, f.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 || res.Status != state.RunFailed {
		t.Fatalf("want one failed action and a failed run, got %+v", res)
	}
	stats := f.sinkStats(t)
	if stats.Count != 3000 || res.Rows != 3000 {
		t.Fatalf("sink holds %d rows, result says %d; want the 3,000 confirmed", stats.Count, res.Rows)
	}
	want := ohlc.SpanSet{{Start: from, End: stats.Last + 3600}}
	if diff := cmp.Diff(want, f.covered(t)); diff != "" {
		t.Fatalf("coverage must end with the last confirmed candle (-want +got):\n%s", diff)
	}

	// The next plan loads only the rest, and the healthy apply completes.
	next := f.plan(t)
	if len(next.Actions) != 1 || next.Actions[0].Span.Start != stats.Last+3600 {
		t.Fatalf("next plan should resume at %s, got %+v", ohlc.FormatTime(stats.Last+3600), next.Actions)
	}
	ok := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: opts}
	if res, err := ok.Apply(ctx, next); err != nil || res.Status != state.RunSucceeded {
		t.Fatalf("resumed apply: %+v, %v", res, err)
	}
	if got, want := f.sinkStats(t).Count, wantRows(t); got != want {
		t.Errorf("sink holds %d rows after resuming, want %d", got, want)
	}
	if diff := cmp.Diff(ohlc.SpanSet{{Start: from, End: to}}, f.covered(t)); diff != "" {
		t.Errorf("coverage after resuming (-want +got):\n%s", diff)
	}
	if p := f.plan(t); p.HasChanges() {
		t.Errorf("a third plan still has work: %+v", p.Actions)
	}
}

func TestInterruptStopsCleanlyAndResumes(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := executor.Options{BatchRows: 1000, CheckpointRows: 2000, Parallelism: 1}

	var batches int
	ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: opts,
		Emit: func(ev executor.Event) {
			// Ctrl-C after the fifth confirmed batch.
			if _, ok := ev.(executor.ActionProgress); ok {
				if batches++; batches == 5 {
					cancel()
				}
			}
		}}
	res, err := ex.Apply(ctx, f.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || res.Status != state.RunInterrupted {
		t.Fatalf("want an interrupted run, got %+v", res)
	}
	// The batches confirmed before the stop, and the one in flight at
	// it (the next write is sent as soon as the last is answered), if it had
	// started: answered, confirmed and recorded too.
	stats := f.sinkStats(t)
	if stats.Count != 5000 && stats.Count != 6000 {
		t.Fatalf("sink holds %d rows, want the 5 batches confirmed before the stop and at most the one in flight", stats.Count)
	}
	if diff := cmp.Diff(ohlc.SpanSet{{Start: from, End: stats.Last + 3600}}, f.covered(t)); diff != "" {
		t.Fatalf("coverage after the stop (-want +got):\n%s", diff)
	}
	runs, err := f.st.Runs(context.Background(), 1)
	if err != nil || len(runs) != 1 || runs[0].Status != state.RunInterrupted {
		t.Fatalf("run record: %+v, %v", runs, err)
	}
	actions, err := f.st.RunActions(context.Background(), runs[0].ID)
	if err != nil || len(actions) != 1 || actions[0].Status != state.ActionInterrupted || actions[0].Rows != stats.Count || actions[0].Checkpoint != stats.Last+3600 {
		t.Fatalf("action record: %+v, %v; want interrupted with the %d rows the sink holds, checkpoint at the last confirmed candle's end", actions, err, stats.Count)
	}

	resume := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: opts}
	if res, err := resume.Apply(context.Background(), f.plan(t)); err != nil || res.Status != state.RunSucceeded {
		t.Fatalf("resumed apply: %+v, %v", res, err)
	}
	if got, want := f.sinkStats(t).Count, wantRows(t); got != want {
		t.Errorf("sink holds %d rows after resuming, want %d", got, want)
	}
}

func TestCancelledBeforeStartSkipsEverything(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV}
	res, err := ex.Apply(ctx, f.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped != 1 || res.Rows != 0 {
		t.Fatalf("want the action skipped and nothing written, got %+v", res)
	}
	if got := f.covered(t); len(got) != 0 {
		t.Errorf("nothing was loaded but coverage says %s", got)
	}
}
