package krakenapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// benchIntervals are every interval a rebuild of one pair might build at
// once (each divides a day).
var benchIntervals = []ohlc.Interval{1, 5, 15, 30, 60, 240, 1440}

// BenchmarkTradesPage is the CPU of one full Trades answer (1000 trades,
// as the fake writes them, about 70 KB) decoded, checked and aggregated
// into candles of seven intervals at once. The target is well under 1 ms,
// so a rebuild is bound by the rate limit alone.
func BenchmarkTradesPage(b *testing.B) {
	f, _ := newTapeFake(b)
	resp, err := http.Get(f.URL() + "/0/public/Trades?pair=XXBTZUSD&since=" + "1716163199999999999")
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	span := ohlc.Span{Start: tapeStart, End: fakeNow}
	var buf []ohlc.Trade
	var out []ohlc.TapeCandle
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		ans, aerr := decodeTrades(body, "XXBTZUSD", buf)
		if aerr != nil || len(ans.trades) != krakenfake.MaxTrades {
			b.Fatalf("%v, %d trades", aerr, len(ans.trades))
		}
		buf = ans.trades
		tape, _ := ohlc.NewTape(span, benchIntervals...)
		if out, err = tape.Add(out[:0], ans.trades...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRebuildEndToEnd streams a busy pair's tape (two days, 120,000
// trades, ten seconds of 1500) from the fake and builds seven intervals
// from it: trades per second end to end, and the Trades requests made
// against the ideal ceil(trades/1000). At 200 requests per second (the
// fake throttling above that) the rate limit bounds it; unlimited, the
// CPU of client and fake on loopback does.
func BenchmarkRebuildEndToEnd(b *testing.B) {
	for _, limit := range []int{200, 0} {
		name := "unlimited"
		if limit > 0 {
			name = strconv.Itoa(limit) + "/s"
		}
		b.Run(name, func(b *testing.B) { benchmarkRebuild(b, limit) })
	}
}

func benchmarkRebuild(b *testing.B, limit int) {
	const start, end = tapeStart, tapeStart + 2*86400
	tape := krakenfake.GenerateTape(krakenfake.TapeSpec{Start: start, End: end + 3600, Seed: 11, Gap: 1, Bursts: 10})
	span := ohlc.Span{Start: start, End: end}
	inSpan := 0
	for _, t := range tape {
		if s := t.Time / 1e9; s >= start && s < end {
			inSpan++
		}
	}
	var wall time.Duration
	requests, candles, violations := 0, 0, 0
	for range b.N {
		f := krakenfake.New(krakenfake.Options{Now: end + 3600})
		f.SetTape("XBTUSD", tape)
		f.SetLimit(limit)
		lim := rate.NewLimiter(rate.Limit(limit), 1)
		if limit == 0 {
			lim = rate.NewLimiter(rate.Inf, 1)
		}
		c := New(Options{BaseURL: f.URL(), Limiter: lim, Backoff: 10 * time.Millisecond})
		begin := time.Now()
		s := c.Trades(TradesQuery{Pair: "XBTUSD", Span: span})
		tp, _ := ohlc.NewTape(span, benchIntervals...)
		var out []ohlc.TapeCandle
		n := 0
		for {
			page, err := s.Next(context.Background())
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(page)
			if out, err = tp.Add(out, page...); err != nil {
				b.Fatal(err)
			}
		}
		out = tp.Advance(out, s.Reached())
		wall += time.Since(begin)
		if n != inSpan {
			b.Fatalf("%d trades streamed, %d in the span", n, inSpan)
		}
		requests, candles = f.TradesRequests(), len(out)
		violations += f.Violations()
		f.Close()
	}
	b.ReportMetric(float64(inSpan)*float64(b.N)/wall.Seconds(), "trades/s")
	b.ReportMetric(float64(inSpan), "trades")
	b.ReportMetric(float64(requests), "requests")
	b.ReportMetric(float64((inSpan+krakenfake.MaxTrades-1)/krakenfake.MaxTrades), "ideal-requests")
	b.ReportMetric(float64(candles), "candles")
	b.ReportMetric(float64(violations), "violations")
}
