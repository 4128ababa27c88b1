package executor_test

import (
	"context"
	"strings"
	"testing"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/state"
)

// A load that finds no row in a span holding a row its file's profile
// promised fails the file instead of covering the span (issue 13), both
// as a big load and as a small one of a group.
func TestLoadWithoutThePromisedRowsFails(t *testing.T) {
	for _, opts := range []executor.Options{
		{BatchRows: 64, CheckpointRows: 64},           // big: the estimate is over a quarter batch
		{BatchRows: 1 << 20, CheckpointRows: 1 << 20}, // small: read whole, grouped
	} {
		f := newFixture(t)
		f.withDump(t, realHourly(t))
		plan := f.plan(t)
		a := &plan.Actions[0]
		// The file as planned had its last row in a day it in fact has
		// none of: its last day, moved past the file's end.
		a.Span.Start, a.Span.End = a.CSV.Last+3600, a.CSV.Last+86400
		a.CSV.Last = a.Span.Start
		a.Estimate = 24
		plan.Actions = plan.Actions[:1]
		ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV, Options: opts}
		res, err := ex.Apply(context.Background(), plan)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Failures) != 1 || !strings.Contains(res.Failures[0].Err.Error(), "XBTUSD_60.csv: no candle of XBTUSD/60 in ") ||
			!strings.Contains(res.Failures[0].Err.Error(), "where its profile has a row at") {
			t.Fatalf("batch %d: want the load failed for its missing rows, got %+v", opts.BatchRows, res.Failures)
		}
		if got := f.covered(t); len(got) != 0 {
			t.Errorf("batch %d: coverage %s recorded for a span without the promised rows", opts.BatchRows, got)
		}
		snap, err := f.st.Snapshot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if rec, ok := snap.Files[state.FileKey{Fingerprint: a.CSV.Fingerprint, Dump: a.CSV.Dump, Member: a.CSV.Member}]; !ok || rec.Status != state.FileFailed {
			t.Errorf("batch %d: file record %+v; want it failed", opts.BatchRows, rec)
		}
	}
}
