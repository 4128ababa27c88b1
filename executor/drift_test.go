package executor_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "modernc.org/sqlite"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
)

// Rows deleted from the sink behind state's back are found month by month,
// attributed to the file that had them, and forgotten on request; nothing
// else is.
func TestDriftFindsAndForgetsWhatTheSinkLost(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ex := &executor.Executor{Sink: f.sink, State: f.st, Open: executor.OpenCSV}
	if _, err := ex.Apply(ctx, f.plan(t)); err != nil {
		t.Fatal(err)
	}
	snap, err := f.st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var checked []int
	total := 0
	if drifts, err := executor.DetectDrift(ctx, f.sink, snap, func(n, of int) { checked, total = append(checked, n), of }); err != nil || len(drifts) != 0 {
		t.Fatalf("drift right after apply: %+v, %v", drifts, err)
	}
	// Progress counts every month of the loaded span once, in order.
	months := 0
	for m := time.Unix(from, 0).UTC(); m.Unix() < to; m = m.AddDate(0, 1, 0) {
		months++
	}
	if total != months || len(checked) != months || checked[0] != 1 || checked[len(checked)-1] != months {
		t.Errorf("progress: %d calls, last %v of %d", len(checked), checked[len(checked)-1:], total)
	}

	lost := ohlc.Span{Start: mustTime("2019-06-01"), End: mustTime("2019-08-01")}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(filepath.Dir(f.sink.Path()), "candles.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DELETE FROM candles WHERE ts >= ? AND ts < ?", lost.Start, lost.End); err != nil {
		t.Fatal(err)
	}

	drifts, err := executor.DetectDrift(ctx, f.sink, snap, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []executor.Drift{{Series: xbt60, Span: lost, Files: []string{"hourly › XBTUSD_60.csv"}}}
	if diff := cmp.Diff(want, drifts); diff != "" {
		t.Fatalf("drift (-want +got):\n%s", diff)
	}
	if got := executor.WithoutDrift(snap, drifts).Coverage[xbt60]; !cmp.Equal(got, ohlc.SpanSet{{Start: from, End: lost.Start}, {Start: lost.End, End: to}}) {
		t.Errorf("snapshot without drift: %s", got)
	}
	if got := snap.Coverage[xbt60]; !cmp.Equal(got, ohlc.SpanSet{{Start: from, End: to}}) {
		t.Errorf("WithoutDrift changed the snapshot it was given: %s", got)
	}

	if err := ex.Forget(ctx, drifts); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ohlc.SpanSet{{Start: from, End: lost.Start}, {Start: lost.End, End: to}}, f.covered(t)); diff != "" {
		t.Errorf("coverage after forgetting (-want +got):\n%s", diff)
	}
	next := f.plan(t)
	if len(next.Actions) != 1 || next.Actions[0].Span != lost {
		t.Errorf("the next plan should reload just %s, got %+v", lost, next.Actions)
	}
}
