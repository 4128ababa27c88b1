package executor_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks/sqlite"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
	"github.com/feefifofunds/candlekeep/state"
)

// apiFixture is a fresh state and sink and a fake Kraken whose clock is
// krakenNow.
type apiFixture struct {
	st     *state.Store
	sink   *sqlite.Sink
	kraken *krakenfake.Server
	ex     *executor.Executor
	events []executor.Event
}

func newAPIFixture(t *testing.T, krakenNow int64) *apiFixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := state.Open(ctx, state.Config{Path: filepath.Join(dir, "state.db")})
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
	kraken := krakenfake.New(krakenfake.Options{Now: krakenNow})
	t.Cleanup(kraken.Close)
	f := &apiFixture{st: st, sink: sink, kraken: kraken}
	client := krakenapi.New(krakenapi.Options{BaseURL: kraken.URL(), Limiter: rate.NewLimiter(rate.Inf, 1), MaxRetries: -1})
	f.ex = &executor.Executor{Sink: sink, State: st, API: client, Emit: func(ev executor.Event) { f.events = append(f.events, ev) }}
	return f
}

// backfillPlan is what the planner makes of a wholly missing API window.
func backfillPlan(s ohlc.Series, now int64) *planner.Plan {
	w := planner.APIWindow(s.Interval, now, 10)
	return &planner.Plan{Now: now, Actions: []planner.Action{{Kind: planner.BackfillAPI, Series: s, Span: w, Estimate: w.Candles(s.Interval), Requests: 1}}}
}

func (f *apiFixture) covered(t *testing.T, s ohlc.Series) map[state.Source]ohlc.SpanSet {
	t.Helper()
	cov, err := f.st.Coverage(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return cov
}

func TestBackfillWritesTheClosedTradedCandlesAndCoversTheWindow(t *testing.T) {
	now := mustTime("2026-11-28T00:30:00Z")
	f := newAPIFixture(t, now)
	plan := backfillPlan(xbt60, now)
	res, err := f.ex.Apply(context.Background(), plan)
	if err != nil || res.Done[planner.BackfillAPI] != 1 {
		t.Fatalf("apply: %+v, %v", res, err)
	}
	window := plan.Actions[0].Span
	if diff := cmp.Diff(map[state.Source]ohlc.SpanSet{state.SourceAPI: {window}}, f.covered(t, xbt60)); diff != "" {
		t.Errorf("coverage (-want +got):\n%s", diff)
	}
	candles, err := f.sink.Candles(context.Background(), xbt60, window)
	if err != nil {
		t.Fatal(err)
	}
	// The fake answers the real recorded rows: half of them are
	// zero-trade fillers, which are not stored.
	if len(candles) == 0 || int64(len(candles)) != res.Rows || int64(len(candles)) >= window.Candles(60) {
		t.Fatalf("stored %d candles (result %d) of %d slots; want the traded ones only", len(candles), res.Rows, window.Candles(60))
	}
	for _, c := range candles {
		if c.Trades == 0 || !c.HasVWAP {
			t.Fatalf("stored a filler or a candle without VWAP: %+v", c)
		}
	}
}

// When Kraken's answer ends before the planned span (its clock is behind,
// or the run started late), the part it did not reach is not claimed: it
// is recorded as an open gap and reported on the event.
func TestBackfillLeavesWhatTheAnswerDidNotReachOpen(t *testing.T) {
	now := mustTime("2026-11-28T00:30:00Z")
	f := newAPIFixture(t, now-86400)
	plan := backfillPlan(xbt60, now)
	if _, err := f.ex.Apply(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	window := plan.Actions[0].Span
	krakenForming := mustTime("2026-11-27T00:00:00Z")
	if diff := cmp.Diff(map[state.Source]ohlc.SpanSet{state.SourceAPI: {{Start: window.Start, End: krakenForming}}}, f.covered(t, xbt60)); diff != "" {
		t.Errorf("coverage (-want +got):\n%s", diff)
	}
	gaps, err := f.st.Gaps(context.Background(), state.GapFilter{Statuses: []state.GapStatus{state.GapOpen}})
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) != 1 || gaps[0].Span != (ohlc.Span{Start: krakenForming, End: window.End}) {
		t.Errorf("open gaps = %+v; want the day the answer did not reach", gaps)
	}
	var short ohlc.SpanSet
	for _, ev := range f.events {
		if fin, ok := ev.(executor.ActionFinished); ok {
			short = fin.Short
		}
	}
	if diff := cmp.Diff(ohlc.SpanSet{{Start: krakenForming, End: window.End}}, short); diff != "" {
		t.Errorf("finished event's short parts (-want +got):\n%s", diff)
	}
}

// A bad answer fails the action with nothing written or covered, and the
// gap is recorded failed with the error.
func TestBackfillBadAnswerWritesNothing(t *testing.T) {
	now := mustTime("2026-11-28T00:30:00Z")
	f := newAPIFixture(t, now)
	faults, err := krakenfake.ParseFaults("badrow")
	if err != nil {
		t.Fatal(err)
	}
	f.kraken.Script(faults...)
	res, err := f.ex.Apply(context.Background(), backfillPlan(xbt60, now))
	if err != nil {
		t.Fatal(err)
	}
	var apiErr *krakenapi.Error
	if len(res.Failures) != 1 || !errors.As(res.Failures[0].Err, &apiErr) {
		t.Fatalf("want one API failure, got %+v", res.Failures)
	}
	if cov := f.covered(t, xbt60); len(cov) != 0 {
		t.Errorf("coverage after a bad answer: %v", cov)
	}
	if res.Rows != 0 {
		t.Errorf("a bad answer wrote %d rows", res.Rows)
	}
	gaps, err := f.st.Gaps(context.Background(), state.GapFilter{Statuses: []state.GapStatus{state.GapFailed}})
	if err != nil || len(gaps) != 1 || gaps[0].LastError == "" {
		t.Errorf("failed gaps = %+v, %v", gaps, err)
	}
}
