package executor_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/state"
)

const (
	smallFiles   = 40
	rowsPerSmall = 100
)

// withSmallFiles points the fixture at a dump of smallFiles members of
// rowsPerSmall real hourly rows each, as a quarterly update is, and returns
// their series.
func (f *fixture) withSmallFiles(t *testing.T) []ohlc.Series {
	t.Helper()
	var rows []string
	for _, line := range strings.SplitAfter(string(realHourly(t)), "\n") {
		if ts, _, ok := strings.Cut(line, ","); ok && ts >= fmt.Sprint(from) && ts < fmt.Sprint(to) {
			rows = append(rows, line)
		}
	}
	rows = rows[:rowsPerSmall]
	dir := t.TempDir()
	var series []ohlc.Series
	var pairs []string
	for i := range smallFiles {
		s := ohlc.Series{Pair: fmt.Sprintf("P%03dUSD", i), Interval: 60}
		series = append(series, s)
		pairs = append(pairs, s.Pair)
		if err := os.WriteFile(filepath.Join(dir, s.Pair+"_60.csv"), []byte(strings.Join(rows, "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f.dump = dir
	// No until: the cut-down file ends long before it (krakencsv's
	// checkEvidence), so the cutoff is inferred from its rows.
	f.cfg.Dumps = []config.Dump{{Name: "hourly", Path: dir, Kind: config.FullHistory}}
	f.cfg.Coverage[0].Pairs = pairs
	return series
}

// smallOptions make every small file a group member: groups close at
// 1,000 planned rows, ten files each.
var smallOptions = executor.Options{BatchRows: 1000, CheckpointRows: 1000}

func (f *fixture) serial(t *testing.T) int64 {
	t.Helper()
	snap, err := f.st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap.Serial
}

// perSeries is what the sink holds, by series.
func (f *fixture) perSeries(t *testing.T) map[ohlc.Series]int64 {
	t.Helper()
	stats, err := f.sink.ReadBack(context.Background(), ohlc.Span{Start: 0, End: mustTime("2100-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[ohlc.Series]int64{}
	for _, s := range stats {
		got[s.Series] = s.Count
	}
	return got
}

func allRows(series []ohlc.Series, except ...ohlc.Series) map[ohlc.Series]int64 {
	want := map[ohlc.Series]int64{}
	for _, s := range series {
		want[s] = rowsPerSmall
	}
	for _, s := range except {
		delete(want, s)
	}
	return want
}

// Small files share sink commits and state transactions: forty files
// cost four state transactions, not forty, and every file is loaded and
// recorded as if alone.
func TestSmallFilesShareCommits(t *testing.T) {
	f := newFixture(t)
	series := f.withSmallFiles(t)
	plan := f.plan(t)
	before := f.serial(t)
	ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: smallOptions}
	res, err := ex.Apply(context.Background(), plan)
	if err != nil || len(res.Failures) != 0 {
		t.Fatalf("apply: %v %+v", err, res.Failures)
	}
	if res.Done[planner.LoadCSV] != smallFiles || res.Rows != smallFiles*rowsPerSmall {
		t.Errorf("loaded %d files, %d rows; want %d, %d", res.Done[planner.LoadCSV], res.Rows, smallFiles, smallFiles*rowsPerSmall)
	}
	if diff := cmp.Diff(allRows(series), f.perSeries(t)); diff != "" {
		t.Errorf("sink (-want +got):\n%s", diff)
	}
	// Begin, four groups, gaps, finish.
	if writes := f.serial(t) - before; writes > 8 {
		t.Errorf("state was written %d times for %d small files", writes, smallFiles)
	}
	if next := f.plan(t); next.Summary().Loads != 0 {
		t.Errorf("after apply the plan still loads %d files", next.Summary().Loads)
	}
}

// A bad file in a group fails alone, recorded as failed; its neighbours
// load.
func TestSmallBadFileFailsAlone(t *testing.T) {
	f := newFixture(t)
	series := f.withSmallFiles(t)
	bad := series[7]
	path := filepath.Join(f.dump, bad.Pair+"_60.csv")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	lines[50] = strings.Replace(lines[50], ",", ",x", 1)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: smallOptions}
	res, err := ex.Apply(context.Background(), f.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 || res.Failures[0].Action.Series != bad || !strings.Contains(res.Failures[0].Err.Error(), "line 51") {
		t.Fatalf("want one failure of %s naming line 51, got %+v", bad, res.Failures)
	}
	if diff := cmp.Diff(allRows(series, bad), f.perSeries(t)); diff != "" {
		t.Errorf("sink (-want +got):\n%s", diff)
	}
	snap, err := f.st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range snap.Files {
		if want := state.FileLoaded; rec.Series == bad {
			want = state.FileFailed
			if rec.Status != want {
				t.Errorf("%s recorded %s, want %s", rec.Member, rec.Status, want)
			}
		} else if rec.Status != want {
			t.Errorf("%s recorded %s, want %s", rec.Member, rec.Status, want)
		}
	}
}

// refusingSink fails every write, as a sink that went away.
type refusingSink struct{ sinks.Sink }

func (s refusingSink) NewWriter(ctx context.Context) (sinks.Writer, error) {
	w, err := s.Sink.NewWriter(ctx)
	return refusingWriter{w}, err
}

type refusingWriter struct{ sinks.Writer }

func (refusingWriter) Write(context.Context, ohlc.Series, []ohlc.Candle) error {
	return errors.New("sink unreachable")
}

// When the sink refuses a group's commit, every file of the group fails
// with that error and nothing is recorded as covered; the next apply
// loads them all.
func TestSmallFilesSinkFailure(t *testing.T) {
	f := newFixture(t)
	series := f.withSmallFiles(t)
	ex := &executor.Executor{Sink: refusingSink{f.sink}, State: f.st, Open: executor.OpenCSV, Options: smallOptions}
	res, err := ex.Apply(context.Background(), f.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != smallFiles || !strings.Contains(res.Failures[0].Err.Error(), "sink unreachable") {
		t.Fatalf("want %d failures naming the sink, got %d: %v", smallFiles, len(res.Failures), res.Failures[0].Err)
	}
	for _, s := range series {
		cov, err := f.st.Coverage(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		if len(cov[state.SourceCSV]) != 0 {
			t.Errorf("%s: coverage %s recorded for rows the sink refused", s, cov[state.SourceCSV])
		}
	}
	ex.Sink = f.sink
	if res, err := ex.Apply(context.Background(), f.plan(t)); err != nil || len(res.Failures) != 0 {
		t.Fatalf("second apply: %v %+v", err, res.Failures)
	}
	if diff := cmp.Diff(allRows(series), f.perSeries(t)); diff != "" {
		t.Errorf("sink after the second apply (-want +got):\n%s", diff)
	}
}

// A file planned as small that holds more rows than a group member may
// leaves the group and loads as an action of its own.
func TestSmallEstimateTooLow(t *testing.T) {
	f := newFixture(t)
	plan := f.plan(t)
	var loads int
	for i := range plan.Actions {
		if plan.Actions[i].Kind == planner.LoadCSV {
			plan.Actions[i].Estimate = 1
			loads++
		}
	}
	if loads != 1 {
		t.Fatalf("want one load of the real hourly file, got %d", loads)
	}
	ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: smallOptions}
	res, err := ex.Apply(context.Background(), plan)
	if err != nil || len(res.Failures) != 0 {
		t.Fatalf("apply: %v %+v", err, res.Failures)
	}
	if want, got := wantRows(t), f.sinkStats(t).Count; got != want || res.Rows != want {
		t.Errorf("sink holds %d rows (result %d), want %d", got, res.Rows, want)
	}
	if got, want := f.covered(t), (ohlc.SpanSet{plan.Actions[0].Span}); !cmp.Equal(got, want) {
		t.Errorf("coverage %s, want %s", got, want)
	}
}

// Ctrl-C while a group runs stops it cleanly: the files already read are
// committed and recorded, the one opening when the stop came is
// interrupted (not failed), the rest are skipped; the next apply loads
// exactly what is left.
func TestSmallFilesInterrupted(t *testing.T) {
	for _, tc := range []struct {
		name     string
		estimate int64 // 0 keeps the plan's
	}{
		{"grouped", 0},
		// Every file planned small but bigger than a group member may be:
		// each leaves its group and loads on its own after the stop.
		{"too big for the group", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			series := f.withSmallFiles(t)
			opts := smallOptions
			opts.Parallelism = 1
			if tc.estimate != 0 {
				opts.BatchRows = 40 // 100-row files exceed it
			}
			plan := f.plan(t)
			for i := range plan.Actions {
				if tc.estimate != 0 && plan.Actions[i].Kind == planner.LoadCSV {
					plan.Actions[i].Estimate = tc.estimate
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var started int
			ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: opts,
				Emit: func(ev executor.Event) {
					if _, ok := ev.(executor.ActionStarted); ok {
						if started++; started == 5 {
							cancel()
						}
					}
				}}
			res, err := ex.Apply(ctx, plan)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Interrupted || len(res.Failures) != 0 {
				t.Fatalf("want an interrupted run without failures, got %+v", res)
			}
			runs, err := f.st.Runs(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			actions, err := f.st.RunActions(context.Background(), runs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range actions {
				if a.Status == state.ActionFailed || a.Status == state.ActionRunning || a.Status == state.ActionPending {
					t.Errorf("%s: action %s after a clean stop", a.Series, a.Status)
				}
			}
			held := f.perSeries(t)
			for _, s := range series {
				cov, err := f.st.Coverage(context.Background(), s)
				if err != nil {
					t.Fatal(err)
				}
				if covered := len(cov[state.SourceCSV]) > 0; covered != (held[s] == rowsPerSmall) {
					t.Errorf("%s: sink holds %d rows, coverage %s", s, held[s], cov[state.SourceCSV])
				}
			}
			if res, err := (&executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: opts}).Apply(context.Background(), f.plan(t)); err != nil || len(res.Failures) != 0 || res.Interrupted {
				t.Fatalf("next apply: %+v %v", res, err)
			}
			if diff := cmp.Diff(allRows(series), f.perSeries(t)); diff != "" {
				t.Errorf("sink after the next apply (-want +got):\n%s", diff)
			}
		})
	}
}
