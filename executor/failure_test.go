package executor_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// withDump points the fixture at a dump folder holding data as
// XBTUSD_60.csv.
func (f *fixture) withDump(t *testing.T, data []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "XBTUSD_60.csv"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	f.dump = dir
	// No until: the cut-down file ends long before it (krakencsv's
	// checkEvidence), so the cutoff is inferred from its rows.
	f.cfg.Dumps = []config.Dump{{Name: "hourly", Path: dir, Kind: config.FullHistory}}
	return dir
}

// realHourly is the real XBTUSD_60.csv.
func realHourly(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(hourlyDump, "XBTUSD_60.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A bad row deep inside the file fails the action with nothing claimed:
// no coverage, and no row at or past it in the sink; the file is
// recorded failed.
func TestBadRowIsNeverClaimed(t *testing.T) {
	f := newFixture(t)
	lines := strings.SplitAfter(string(realHourly(t)), "\n")
	bad := len(lines) - 100 // well past several batches of the window
	lines[bad] = strings.Replace(lines[bad], ",", ",x", 1)
	f.withDump(t, []byte(strings.Join(lines, "")))

	ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: executor.Options{BatchRows: 1000, CheckpointRows: 1000}}
	res, err := ex.Apply(context.Background(), f.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 || !strings.Contains(res.Failures[0].Err.Error(), "XBTUSD_60.csv line ") {
		t.Fatalf("want one failure naming the file and line, got %+v", res.Failures)
	}
	// Rows before the bad one may have reached the sink (the file is
	// validated beside the load), never past it, and state claims none.
	if got := f.sinkStats(t); got.Count > int64(bad) || (got.Count > 0 && got.Last >= badTime(t, lines[bad])) {
		t.Errorf("a bad file wrote %d rows up to %s, past its bad line %d", got.Count, ohlc.FormatTime(got.Last), bad+1)
	}
	if got := f.covered(t); len(got) != 0 {
		t.Errorf("a bad file left coverage %s", got)
	}
	snap, err := f.st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fp := f.plan(t).Listing()[0]
	if fp.CSV != nil {
		t.Fatalf("the failed file was planned again: %+v", fp)
	}
	var failed int
	for _, rec := range snap.Files {
		if rec.Status == state.FileFailed {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("want the file recorded failed, got %+v", snap.Files)
	}
}

// failingState fails every Record, as a state store that went away.
type failingState struct{ executor.StateWriter }

func (failingState) Record(context.Context, state.Progress) error {
	return errors.New("state store unreachable")
}

// When state cannot record, the action fails with that error; coverage is
// not claimed (the sink may hold rows state does not know, never the
// reverse), and the next apply redoes the work.
func TestStateFailureFailsTheAction(t *testing.T) {
	f := newFixture(t)
	ex := &executor.Executor{Sink: f.sink, State: failingState{f.st}, Open: executor.OpenCSV, Options: executor.Options{BatchRows: 1000, CheckpointRows: 1000}}
	res, err := ex.Apply(context.Background(), f.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 || !strings.Contains(res.Failures[0].Err.Error(), "state store unreachable") {
		t.Fatalf("want the state error on the action, got %+v", res.Failures)
	}
	if got := f.covered(t); len(got) != 0 {
		t.Errorf("coverage recorded though state failed: %s", got)
	}
	ok := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV}
	if res, err := ok.Apply(context.Background(), f.plan(t)); err != nil || res.Status != state.RunSucceeded {
		t.Fatalf("next apply: %+v, %v", res, err)
	}
	if got, want := f.sinkStats(t).Count, wantRows(t); got != want {
		t.Errorf("sink holds %d rows, want %d", got, want)
	}
}

// Two actions on different spans of one file run concurrently and both
// land; the file is read by each for its own span only.
func TestTwoSpansOfOneFile(t *testing.T) {
	f := newFixture(t)
	f.withDump(t, realHourly(t))
	f.cfg.Coverage[0].Window = config.Window{From: mustTime("2016-01-01"), To: mustTime("2017-01-01")}
	f.cfg.Coverage = append(f.cfg.Coverage, config.Coverage{Name: "later", Pairs: []string{"XBTUSD"}, Intervals: []ohlc.Interval{60}, Window: config.Window{From: mustTime("2019-01-01"), To: to}})
	plan := f.plan(t)
	if len(plan.Actions) != 2 || plan.Actions[0].CSV.Fingerprint != plan.Actions[1].CSV.Fingerprint {
		t.Fatalf("want two loads of the same file, got %+v", plan.Actions)
	}
	ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: executor.Options{Parallelism: 2, BatchRows: 1000, CheckpointRows: 1000}}
	if res, err := ex.Apply(context.Background(), plan); err != nil || res.Done[planner.LoadCSV] != 2 {
		t.Fatalf("apply: %+v, %v", res, err)
	}
	want := ohlc.SpanSet{{Start: mustTime("2016-01-01"), End: mustTime("2017-01-01")}, {Start: mustTime("2019-01-01"), End: to}}
	if diff := cmp.Diff(want, f.covered(t)); diff != "" {
		t.Errorf("coverage (-want +got):\n%s", diff)
	}
}

// A file changed between plan and apply is refused before anything is
// written, and no record is made under the fingerprint it no longer has:
// the next plan sees the new file and loads it.
func TestFileChangedSincePlan(t *testing.T) {
	f := newFixture(t)
	dir := f.withDump(t, realHourly(t))
	plan := f.plan(t)
	lines := strings.SplitAfter(string(realHourly(t)), "\n")
	if err := os.WriteFile(filepath.Join(dir, "XBTUSD_60.csv"), []byte(strings.Join(lines[:len(lines)-1000], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV}
	res, err := ex.Apply(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 || !errors.Is(res.Failures[0].Err, krakencsv.ErrChanged) {
		t.Fatalf("want the action refused as changed, got %+v", res.Failures)
	}
	if got := f.sinkStats(t).Count; got != 0 {
		t.Errorf("a changed file wrote %d rows", got)
	}
	snap, err := f.st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Files) != 0 {
		t.Errorf("file records after a refused load: %+v", snap.Files)
	}
	// The shorter file ends before the old cutoff: what it no longer
	// holds is left unfillable after its load.
	if next := f.plan(t); len(next.Actions) == 0 || next.Actions[0].Kind != planner.LoadCSV {
		t.Errorf("the changed file should be planned again, got %+v", next.Actions)
	}
}

// A zip member whose bytes are damaged fails its load, is recorded failed,
// and is not planned again.
func TestDamagedZipMemberIsRecordedFailed(t *testing.T) {
	f := newFixture(t)
	data := realHourly(t)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "XBTUSD_60.csv", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	damaged := buf.Bytes()
	// One digit of the last row's trade count: the rows stay valid, the
	// checksum does not.
	damaged[bytes.Index(damaged, data)+len(data)-2]++
	path := filepath.Join(t.TempDir(), "Kraken_OHLCVT.zip")
	if err := os.WriteFile(path, damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	f.dump = path
	f.cfg.Dumps = []config.Dump{{Name: "hourly", Path: path, Kind: config.FullHistory, Until: to}}

	ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV}
	res, err := ex.Apply(context.Background(), f.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 || !errors.Is(res.Failures[0].Err, zip.ErrChecksum) {
		t.Fatalf("want a checksum failure, got %+v", res.Failures)
	}
	// Its rows may have reached the sink before the checksum at the
	// member's end failed; state claims none of them.
	if got := f.covered(t); len(got) != 0 {
		t.Errorf("a damaged member left coverage %s", got)
	}
	if next := f.plan(t); next.HasChanges() {
		t.Errorf("the damaged member was planned again: %+v", next.Actions)
	}
}

// An action waiting for one that fails is skipped, says why (an event and
// its record's status), and never opens its source.
func TestDependentOfFailedActionIsSkipped(t *testing.T) {
	f := newFixture(t)
	lines := strings.SplitAfter(string(realHourly(t)), "\n")
	lines[len(lines)-100] = strings.Replace(lines[len(lines)-100], ",", ",x", 1)
	f.withDump(t, []byte(strings.Join(lines, "")))
	plan := f.plan(t)
	if len(plan.Actions) == 0 {
		t.Fatal("the fixture plans no action")
	}
	waiting := plan.Actions[0]
	waiting.After = []int{0}
	waiting.Span.End -= 3600 // told apart from the first by its span
	plan.Actions = append(plan.Actions, waiting)

	var skipped []executor.ActionSkipped
	var mu sync.Mutex
	var opened []ohlc.Span // validating and loading passes open side by side
	ex := &executor.Executor{Sink: f.sink, State: f.st, Options: executor.Options{BatchRows: 1000, CheckpointRows: 1000},
		Open: func(ctx context.Context, a planner.Action) (executor.CandleReader, error) {
			mu.Lock()
			opened = append(opened, a.Span)
			mu.Unlock()
			return executor.OpenCSV(ctx, a)
		},
		Emit: func(e executor.Event) {
			if s, ok := e.(executor.ActionSkipped); ok {
				skipped = append(skipped, s)
			}
		}}
	res, err := ex.Apply(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	last := len(plan.Actions) - 1
	if len(skipped) != 1 || skipped[0].Index != last || !errors.Is(skipped[0].Err, executor.ErrDependency) {
		t.Fatalf("want one skip of action %d for its dependency, got %+v", last, skipped)
	}
	if !strings.Contains(skipped[0].Err.Error(), "waits for action 0") {
		t.Errorf("the skip does not say which action it waits for: %v", skipped[0].Err)
	}
	if res.Skipped != 1 || len(res.Failures) != 1 {
		t.Errorf("%d skipped, %d failed; want 1 and 1", res.Skipped, len(res.Failures))
	}
	recs, err := f.st.RunActions(context.Background(), res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[len(recs)-1]; got.Status != state.ActionSkipped || !strings.Contains(got.Error, "waits for action 0") {
		t.Errorf("the skipped action's record: %s %q", got.Status, got.Error)
	}
	// The failed load opened its file; the skipped one never does.
	if len(opened) == 0 || slices.Contains(opened, waiting.Span) {
		t.Errorf("spans opened %v: want %s's and never the skipped action's %s", opened, plan.Actions[0].Span, waiting.Span)
	}
}

// badTime is the time of a line made bad by an x after its first comma.
func badTime(t *testing.T, line string) int64 {
	t.Helper()
	ts, _, _ := strings.Cut(line, ",")
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		t.Fatalf("line %q: %v", line, err)
	}
	return n
}
