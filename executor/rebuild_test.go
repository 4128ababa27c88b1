package executor_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/sources/krakenapi"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
	"github.com/feefifofunds/candlekeep/state"
)

var xbt1440 = ohlc.Series{Pair: "XBTUSD", Interval: 1440}

// rebuildFixture is an apiFixture whose fake Kraken serves a busy tape of
// XBTUSD over two days, through a client that retries at once.
func rebuildFixture(t *testing.T) (*apiFixture, *krakenapi.Client, ohlc.Span) {
	t.Helper()
	start := mustTime("2026-11-01")
	span := ohlc.Span{Start: start, End: start + 2*86400}
	f := newAPIFixture(t, span.End+3600)
	// Bursts of 1500 trades inside one second: more than one answer's
	// worth at one instant.
	tape := krakenfake.GenerateTape(krakenfake.TapeSpec{Start: start - 3600, End: span.End + 1800, Seed: 7, Gap: 20, Bursts: 4})
	perSecond := map[int64]int{}
	busiest := 0
	for _, tr := range tape {
		if s := tr.Time / 1e9; span.Contains(s) {
			perSecond[s]++
			busiest = max(busiest, perSecond[s])
		}
	}
	if busiest <= krakenfake.MaxTrades {
		t.Fatalf("the busiest second of the span holds %d trades: the tape must hold more than one answer in a second", busiest)
	}
	f.kraken.SetTape("XBTUSD", tape)
	client := krakenapi.New(krakenapi.Options{BaseURL: f.kraken.URL(), Limiter: rate.NewLimiter(rate.Inf, 1), Backoff: time.Millisecond, MaxBackoff: time.Millisecond})
	f.ex.API, f.ex.Trades = client, client
	return f, client, span
}

func rebuildPlan(span ohlc.Span, builds ...planner.Build) *planner.Plan {
	return &planner.Plan{Now: span.End + 3600, Actions: []planner.Action{{Kind: planner.RebuildTrades,
		Series: ohlc.Series{Pair: "XBTUSD", Interval: builds[0].Interval}, Span: span, Builds: builds, Requests: 1}}}
}

// krakenCandles are the fake's OHLC answer's candles of s inside span.
func krakenCandles(t *testing.T, c *krakenapi.Client, s ohlc.Series, span ohlc.Span) []ohlc.Candle {
	t.Helper()
	res, err := c.OHLC(context.Background(), s, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []ohlc.Candle
	for _, k := range res.Candles {
		if span.Contains(k.Time) {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		t.Fatalf("the fake's %s answer holds nothing of %s", s, span)
	}
	return out
}

func TestRebuildBuildsTwoIntervalsEqualToKrakensOHLC(t *testing.T) {
	f, client, span := rebuildFixture(t)
	// Every kind of transient answer, retried: the candles still come out
	// exactly as Kraken's.
	f.kraken.ScriptTrades(krakenfake.TooManyRequests429(), krakenfake.ServerError503(), krakenfake.RateLimit200())
	plan := rebuildPlan(span, planner.Build{Interval: 60, Span: span}, planner.Build{Interval: 1440, Span: span})
	res, err := f.ex.Apply(context.Background(), plan)
	if err != nil || res.Done[planner.RebuildTrades] != 1 {
		t.Fatalf("apply: %+v, %v", res, err)
	}
	for _, s := range []ohlc.Series{xbt60, xbt1440} {
		got, err := sinks.Collect(context.Background(), f.sink, s, span)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(krakenCandles(t, client, s, span), got); diff != "" {
			t.Errorf("%s rebuilt (-kraken's OHLC +rebuilt):\n%s", s, diff)
		}
		if diff := cmp.Diff(map[state.Source]ohlc.SpanSet{state.SourceTrades: {span}}, f.covered(t, s)); diff != "" {
			t.Errorf("%s coverage (-want +got):\n%s", s, diff)
		}
	}
	var last executor.RebuildProgress
	for _, ev := range f.events {
		if p, ok := ev.(executor.RebuildProgress); ok {
			last = p
		}
	}
	if last.Trades == 0 || last.Reached != span.End || last.Rows != res.Rows {
		t.Errorf("last progress %+v: want trades, the span's end reached and %d rows", last, res.Rows)
	}
}

func TestRebuildInterruptedResumesFromItsCheckpoint(t *testing.T) {
	f, client, span := rebuildFixture(t)
	plan := rebuildPlan(span, planner.Build{Interval: 60, Span: span}, planner.Build{Interval: 1440, Span: span})
	// Stop the run once the first day's candles are recorded.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	emit := f.ex.Emit
	f.ex.Emit = func(ev executor.Event) {
		emit(ev)
		if p, ok := ev.(executor.RebuildProgress); ok && p.Reached >= span.Start+86400+3600 {
			cancel()
		}
	}
	if _, err := f.ex.Apply(ctx, plan); err != nil {
		t.Fatal(err)
	}
	day := ohlc.Span{Start: span.Start, End: span.Start + 86400}
	for _, s := range []ohlc.Series{xbt60, xbt1440} {
		if diff := cmp.Diff(map[state.Source]ohlc.SpanSet{state.SourceTrades: {day}}, f.covered(t, s)); diff != "" {
			t.Fatalf("%s coverage after the stop (-want +got):\n%s", s, diff)
		}
	}
	// The next plan's rebuild starts at the checkpoint.
	rest := ohlc.Span{Start: day.End, End: span.End}
	before := f.kraken.TradesRequests()
	f.ex.Emit = emit
	res, err := f.ex.Apply(context.Background(), rebuildPlan(rest, planner.Build{Interval: 60, Span: rest}, planner.Build{Interval: 1440, Span: rest}))
	if err != nil || res.Done[planner.RebuildTrades] != 1 {
		t.Fatalf("resume: %+v, %v", res, err)
	}
	if n := f.kraken.TradesRequests() - before; n > 70 {
		t.Errorf("the resumed rebuild made %d requests: it started over", n)
	}
	for _, s := range []ohlc.Series{xbt60, xbt1440} {
		got, err := sinks.Collect(context.Background(), f.sink, s, span)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(krakenCandles(t, client, s, span), got); diff != "" {
			t.Errorf("%s after resuming (-kraken's OHLC +rebuilt):\n%s", s, diff)
		}
	}
}

func TestRebuildCrossChecksWhatTheSinkHolds(t *testing.T) {
	f, client, span := rebuildFixture(t)
	ctx := context.Background()
	// The first hours are in the sink already, one of them different.
	held := krakenCandles(t, client, xbt60, span)[:5]
	held[2].Close += 1
	w, err := f.sink.NewWriter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(ctx, xbt60, held); err != nil {
		t.Fatal(err)
	}
	w.Close()
	res, err := f.ex.Apply(ctx, rebuildPlan(span, planner.Build{Interval: 60, Span: span}))
	if err != nil || res.Done[planner.RebuildTrades] != 1 {
		t.Fatalf("apply: %+v, %v", res, err)
	}
	var checked *executor.CrossChecked
	for _, ev := range f.events {
		if c, ok := ev.(executor.CrossChecked); ok {
			checked = &c
		}
	}
	if checked == nil || checked.Compared != 5 || checked.Differ != 1 {
		t.Fatalf("cross-check event %+v: want 5 compared, 1 differing", checked)
	}
	got, err := sinks.Collect(ctx, f.sink, xbt60, span)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := f.st.RunActions(ctx, res.RunID)
	if err != nil || len(recs) != 1 || !strings.Contains(recs[0].Error, "cross-check: 1 of 5 candles") {
		t.Errorf("action records %+v, %v: want the cross-check's finding stored", recs, err)
	}
	if got[2] != held[2] {
		t.Errorf("the stored candle was overwritten: %+v, stored %+v", got[2], held[2])
	}
}

// A truncated answer is permanent to the client (broken JSON is not
// retried in place): the rebuild fails, claims nothing it did not write,
// and the next apply builds the span.
func TestRebuildTruncatedAnswerFailsAndTheNextApplyCompletes(t *testing.T) {
	f, client, span := rebuildFixture(t)
	f.kraken.ScriptTrades(krakenfake.Truncated())
	plan := rebuildPlan(span, planner.Build{Interval: 60, Span: span}, planner.Build{Interval: 1440, Span: span})
	res, err := f.ex.Apply(context.Background(), plan)
	if err != nil || len(res.Failures) != 1 {
		t.Fatalf("apply: %+v, %v: want the rebuild failed", res, err)
	}
	if cov := f.covered(t, xbt60); len(cov) != 0 {
		t.Fatalf("coverage %v after a failed first page, want none", cov)
	}
	if res, err = f.ex.Apply(context.Background(), plan); err != nil || res.Done[planner.RebuildTrades] != 1 {
		t.Fatalf("second apply: %+v, %v", res, err)
	}
	got, err := sinks.Collect(context.Background(), f.sink, xbt1440, span)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(krakenCandles(t, client, xbt1440, span), got); diff != "" {
		t.Errorf("days (-kraken's OHLC +rebuilt):\n%s", diff)
	}
}
