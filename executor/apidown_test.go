package executor_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
	"github.com/feefifofunds/candlekeep/state"
)

// TestUnreachableAPISkipsTheOtherBackfills: with Kraken's API refusing
// connections, one backfill fails, one APIUnreachable event says so, and
// the others are skipped (status skipped, spans open gaps), in flight or
// not yet started; the run fails.
func TestUnreachableAPISkipsTheOtherBackfills(t *testing.T) {
	now := mustTime("2026-11-28T00:30:00Z")
	for _, parallelism := range []int{1, 4} {
		f := newAPIFixture(t, now)
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close() // nobody listens there now
		f.ex.API = krakenapi.New(krakenapi.Options{BaseURL: "http://" + addr, HTTPClient: &http.Client{}, Limiter: rate.NewLimiter(rate.Inf, 1), MaxRetries: -1})
		f.ex.Options.Parallelism = parallelism
		plan := &planner.Plan{Now: now}
		for _, pair := range []string{"ADAUSD", "ETHUSD", "XBTUSD"} {
			for _, iv := range []ohlc.Interval{60, 240} {
				plan.Actions = append(plan.Actions, backfillPlan(ohlc.Series{Pair: pair, Interval: iv}, now).Actions...)
			}
		}
		res, err := f.ex.Apply(context.Background(), plan)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Failures) != 1 || !errors.Is(res.Failures[0].Err, krakenapi.ErrUnreachable) {
			t.Fatalf("parallelism %d: failures %+v; want one, unreachable", parallelism, res.Failures)
		}
		want := executor.Result{Status: state.RunFailed, Skipped: 5, APISkipped: 5}
		got := executor.Result{Status: res.Status, Skipped: res.Skipped, APISkipped: res.APISkipped, Interrupted: res.Interrupted}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("parallelism %d: result (-want +got):\n%s", parallelism, diff)
		}
		var said int
		for _, ev := range f.events {
			if _, ok := ev.(executor.APIUnreachable); ok {
				said++
			}
		}
		if said != 1 {
			t.Errorf("parallelism %d: %d APIUnreachable events, want 1", parallelism, said)
		}
		open, err := f.st.Gaps(context.Background(), state.GapFilter{Statuses: []state.GapStatus{state.GapOpen}})
		if err != nil || len(open) != 5 {
			t.Errorf("parallelism %d: open gaps %d, %v; want the 5 skipped backfills", parallelism, len(open), err)
		}
	}
}

// TestUnreachableAPISkipsRebuildsToo: rebuilds from trades meet the same
// gate as backfills: one fails, the others are skipped, their spans stay
// open, and nothing is covered.
func TestUnreachableAPISkipsRebuildsToo(t *testing.T) {
	now := mustTime("2026-11-28T00:30:00Z")
	f := newAPIFixture(t, now)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	client := krakenapi.New(krakenapi.Options{BaseURL: "http://" + addr, HTTPClient: &http.Client{}, Limiter: rate.NewLimiter(rate.Inf, 1), MaxRetries: -1})
	f.ex.API, f.ex.Trades = client, client
	f.ex.Options.Parallelism = 1
	span := ohlc.Span{Start: mustTime("2026-11-01"), End: mustTime("2026-11-02")}
	plan := &planner.Plan{Now: now}
	for _, pair := range []string{"ADAUSD", "ETHUSD", "XBTUSD"} {
		plan.Actions = append(plan.Actions, planner.Action{Kind: planner.RebuildTrades, Series: ohlc.Series{Pair: pair, Interval: 60}, Span: span,
			Builds: []planner.Build{{Interval: 60, Span: span}}, Requests: 1})
	}
	res, err := f.ex.Apply(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 1 || !errors.Is(res.Failures[0].Err, krakenapi.ErrUnreachable) {
		t.Fatalf("failures %+v; want one, unreachable", res.Failures)
	}
	want := executor.Result{Status: state.RunFailed, Skipped: 2, APISkipped: 2}
	got := executor.Result{Status: res.Status, Skipped: res.Skipped, APISkipped: res.APISkipped}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	snap, err := f.st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for s, cov := range snap.Coverage {
		if len(cov) > 0 {
			t.Errorf("%s covered %s although Kraken was never reached", s, cov)
		}
	}
}
