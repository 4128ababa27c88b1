package krakenapi

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// tapeStart is 2024-05-20 00:00 UTC, four days before fakeNow.
const tapeStart = 1716163200

// newTapeFake is a fake whose XBTUSD has a synthetic tape from tapeStart
// to fakeNow, with three seconds of 1500 trades each.
func newTapeFake(t testing.TB) (*krakenfake.Server, []krakenfake.Trade) {
	t.Helper()
	f := krakenfake.New(krakenfake.Options{Now: fakeNow})
	t.Cleanup(f.Close)
	tape := krakenfake.GenerateTape(krakenfake.TapeSpec{Start: tapeStart, End: fakeNow, Seed: 7})
	f.SetTape("XBTUSD", tape)
	return f, tape
}

// collect drains a stream.
func collect(t *testing.T, s *Trades) []ohlc.Trade {
	t.Helper()
	var all []ohlc.Trade
	for {
		page, err := s.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return all
		}
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
	}
}

// want is the tape's part inside span, as the client reads it.
func want(t *testing.T, tape []krakenfake.Trade, span ohlc.Span) []ohlc.Trade {
	t.Helper()
	var out []ohlc.Trade
	for _, k := range tape {
		if sec := k.Time / 1e9; sec < span.Start || sec >= span.End {
			continue
		}
		p, _ := strconv.ParseFloat(k.Price, 64)
		v, _ := strconv.ParseFloat(k.Volume, 64)
		out = append(out, ohlc.Trade{ID: k.ID, Time: k.Time, Price: p, Volume: v, Side: k.Side, Type: k.Type})
	}
	return out
}

func TestTradesPagesThroughBursts(t *testing.T) {
	f, tape := newTapeFake(t)
	span := ohlc.Span{Start: tapeStart, End: tapeStart + 2*86400}
	w := want(t, tape, span)
	// The span holds seconds of more than one page's worth of trades.
	perSecond := map[int64]int{}
	busiest := 0
	for _, k := range w {
		perSecond[k.Second()]++
		busiest = max(busiest, perSecond[k.Second()])
	}
	if busiest <= krakenfake.MaxTrades {
		t.Fatalf("busiest second holds %d trades: the span has no burst to page across", busiest)
	}
	s := New(testOptions(f)).Trades(TradesQuery{Pair: "XBTUSD", Span: span})
	got := collect(t, s)
	if diff := cmp.Diff(w, got); diff != "" {
		t.Fatalf("trades (-tape +streamed):\n%s", diff)
	}
	if s.Reached() != span.End {
		t.Errorf("reached %d, want the span's end %d", s.Reached(), span.End)
	}
	// Stopped at the span's end: one page per 1000 trades (the last one
	// holding the first trade after the end), and AssetPairs.
	pages := (len(w) + krakenfake.MaxTrades) / krakenfake.MaxTrades
	if f.TradesRequests() != pages || s.Requests() != pages+1 {
		t.Errorf("%d Trades requests (%d in all) for %d trades, want %d", f.TradesRequests(), s.Requests(), len(w), pages)
	}
}

func TestTradesDropsRepeatsAtPageBoundaries(t *testing.T) {
	f, tape := newTapeFake(t)
	f.ScriptTrades(krakenfake.Overlap(), krakenfake.Overlap(), krakenfake.Overlap(), krakenfake.Overlap())
	span := ohlc.Span{Start: tapeStart, End: tapeStart + 2*86400}
	got := collect(t, New(testOptions(f)).Trades(TradesQuery{Pair: "XBTUSD", Span: span}))
	if diff := cmp.Diff(want(t, tape, span), got); diff != "" {
		t.Fatalf("trades (-tape +streamed):\n%s", diff)
	}
	if f.Pending() != 0 {
		t.Fatalf("%d overlaps not spent", f.Pending())
	}
}

func TestTradesResumesFromItsCursor(t *testing.T) {
	f, tape := newTapeFake(t)
	span := ohlc.Span{Start: tapeStart, End: tapeStart + 86400}
	c := New(testOptions(f))
	first := c.Trades(TradesQuery{Pair: "XBTUSD", Span: span})
	var got []ohlc.Trade
	for range 2 {
		page, err := first.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
	}
	// The next page repeats the end of the last one; AfterID drops it.
	f.ScriptTrades(krakenfake.Overlap())
	rest := c.Trades(TradesQuery{Pair: "XBTUSD", Span: span, Cursor: first.Cursor(), AfterID: first.LastID()})
	got = append(got, collect(t, rest)...)
	if diff := cmp.Diff(want(t, tape, span), got); diff != "" {
		t.Fatalf("trades (-tape +streamed):\n%s", diff)
	}
}

func TestTradesAtThePresent(t *testing.T) {
	f, tape := newTapeFake(t)
	// A span reaching past the fake's clock ends with the tape.
	span := ohlc.Span{Start: fakeNow - 3600, End: fakeNow + 86400}
	s := New(testOptions(f)).Trades(TradesQuery{Pair: "XBTUSD", Span: span})
	got := collect(t, s)
	if diff := cmp.Diff(want(t, tape, span), got); diff != "" {
		t.Fatalf("trades (-tape +streamed):\n%s", diff)
	}
	if last := got[len(got)-1].Second(); s.Reached() != last {
		t.Errorf("reached %d, want the newest trade's second %d", s.Reached(), last)
	}
}

func TestTradesRetriesTemporaryFaults(t *testing.T) {
	f, tape := newTapeFake(t)
	f.ScriptTrades(krakenfake.RateLimit200(), krakenfake.TooManyRequests429(), krakenfake.ServerError503(),
		krakenfake.ErrorCode("EService:Busy"), krakenfake.Slow(0))
	span := ohlc.Span{Start: tapeStart, End: tapeStart + 3600*6}
	s := New(testOptions(f)).Trades(TradesQuery{Pair: "XBTUSD", Span: span})
	got := collect(t, s)
	if diff := cmp.Diff(want(t, tape, span), got); diff != "" {
		t.Fatalf("trades (-tape +streamed):\n%s", diff)
	}
	if f.Pending() != 0 || f.TradesRequests() < 5 {
		t.Errorf("%d faults pending, %d requests", f.Pending(), f.TradesRequests())
	}
}

func TestTradesRefusesMalformedAnswers(t *testing.T) {
	for _, tc := range []struct {
		fault krakenfake.Fault
		want  string
	}{
		{krakenfake.BadRow(), `price "n/a" is not a plain non-negative decimal number`},
		{krakenfake.OutOfOrder(), "times must not decrease"},
		{krakenfake.WrongPairKey(), "answered pair XXXBTZUSDZ, asked for XXBTZUSD"},
		{krakenfake.Malformed(), "malformed JSON"},
		{krakenfake.Truncated(), "malformed JSON"},
		{krakenfake.ErrorCode("EGeneral:Invalid arguments"), "EGeneral:Invalid arguments"},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			f, _ := newTapeFake(t)
			f.ScriptTrades(tc.fault)
			s := New(testOptions(f)).Trades(TradesQuery{Pair: "XBTUSD", Span: ohlc.Span{Start: tapeStart, End: fakeNow}})
			_, err := s.Next(context.Background())
			var e *Error
			if !errors.As(err, &e) || e.Temporary() || e.Attempts != 1 {
				t.Fatalf("error %v, want a permanent *Error after one attempt", err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "Trades XBTUSD: ") || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q, want it to name the pair and say %q", msg, tc.want)
			}
		})
	}
}

func TestTradesUnknownPair(t *testing.T) {
	f, _ := newTapeFake(t)
	_, err := New(testOptions(f)).Trades(TradesQuery{Pair: "FOOUSD", Span: ohlc.Span{Start: tapeStart, End: fakeNow}}).Next(context.Background())
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrUnknownPair) || e.Op != opTrades {
		t.Fatalf("error %v, want an unknown pair from Trades", err)
	}
}

// TestRebuiltCandlesEqualOHLC: candles built from the fake's tape, five
// intervals in one pass, equal the fake's OHLC answers for the same slots,
// value for value.
func TestRebuiltCandlesEqualOHLC(t *testing.T) {
	f, _ := newTapeFake(t)
	c := New(testOptions(f))
	span := ohlc.Span{Start: tapeStart, End: ohlc.Interval(1440).AlignDown(fakeNow)}
	intervals := []ohlc.Interval{5, 15, 60, 240, 1440}
	tape, err := ohlc.NewTape(span, intervals...)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Trades(TradesQuery{Pair: "XBTUSD", Span: span})
	var built []ohlc.TapeCandle
	for {
		page, err := s.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if built, err = tape.Add(built, page...); err != nil {
			t.Fatal(err)
		}
	}
	built = tape.Advance(built, s.Reached())
	for _, iv := range intervals {
		res, err := c.OHLC(context.Background(), ohlc.Series{Pair: "XBTUSD", Interval: iv}, 0)
		if err != nil {
			t.Fatal(err)
		}
		// The slots both vouch for.
		both := span.Intersect(ohlc.Span{Start: res.From, End: res.Until})
		var fromAPI, fromTape []ohlc.Candle
		for _, cd := range res.Candles {
			if both.Contains(cd.Time) && cd.Time+iv.Seconds() <= both.End {
				fromAPI = append(fromAPI, cd)
			}
		}
		for _, b := range built {
			if b.Interval == iv && both.Contains(b.Time) && b.Time+iv.Seconds() <= both.End {
				fromTape = append(fromTape, b.Candle)
			}
		}
		if len(fromAPI) < 4 {
			t.Fatalf("interval %d: only %d candles to compare", iv, len(fromAPI))
		}
		if diff := cmp.Diff(fromAPI, fromTape); diff != "" {
			t.Errorf("interval %d over %v (-OHLC +rebuilt):\n%s", iv, both, diff)
		}
		t.Logf("interval %d: %d candles equal over %v", iv, len(fromAPI), both)
	}
}

// TestTradesShareTheLimiter: a trades stream and OHLC calls of the same
// client wait on one limiter, so together they stay within the rate the
// fake enforces for every endpoint at once.
func TestTradesShareTheLimiter(t *testing.T) {
	f, tape := newTapeFake(t)
	f.SetLimit(40)
	opts := testOptions(f)
	opts.Limiter = rate.NewLimiter(40, 1)
	c := New(opts)
	if _, err := c.PairKey(context.Background(), "XBTUSD"); err != nil {
		t.Fatal(err)
	}
	span := ohlc.Span{Start: tapeStart, End: tapeStart + 86400}
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, iv := range []ohlc.Interval{1, 5, 15, 30, 60, 240, 1440, 10080} {
			if _, err := c.OHLC(context.Background(), ohlc.Series{Pair: "ETHUSD", Interval: iv}, 0); err != nil {
				t.Error(err)
			}
		}
	})
	got := collect(t, c.Trades(TradesQuery{Pair: "XBTUSD", Span: span}))
	wg.Wait()
	if diff := cmp.Diff(want(t, tape, span), got); diff != "" {
		t.Fatalf("trades (-tape +streamed):\n%s", diff)
	}
	if f.Violations() != 0 || f.MaxPerSecond() > 40 {
		t.Errorf("%d requests over the limit, at most %d in one second", f.Violations(), f.MaxPerSecond())
	}
}
