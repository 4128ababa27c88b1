package krakenapi

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// BenchmarkOHLC is the CPU of one API answer handled: decoding and checking
// the real recorded response (720 rows), as recorded (pretty-printed) and
// as Kraken sends it (compact).
func BenchmarkOHLC(b *testing.B) {
	pretty := krakenfake.FixtureResponse()
	var compact bytes.Buffer
	if err := json.Compact(&compact, pretty); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		body []byte
	}{{"compact", compact.Bytes()}, {"pretty", pretty}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				ans, aerr := decodeOHLC(bc.body, "BCHAUD", 60, false)
				if aerr != nil || len(ans.candles) != 360 {
					b.Fatalf("%v, %d candles", aerr, len(ans.candles))
				}
			}
		})
	}
}

// BenchmarkRateLimited60Series fetches 60 series (distinct pairs ×
// intervals) with 8 workers sharing a 10 requests/s limiter against the
// fake, which throttles above 10/s. The wall time is bounded by the limit:
// 61 requests (AssetPairs included) take 6 s.
func BenchmarkRateLimited60Series(b *testing.B) {
	var series []ohlc.Series
	for _, p := range []string{"XBTUSD", "ETHUSD", "ADAUSD", "SOLUSD", "XMRUSD", "DOTUSD", "BCHAUD"} {
		for _, iv := range []ohlc.Interval{1, 5, 15, 30, 60, 240, 1440, 10080, 21600} {
			series = append(series, ohlc.Series{Pair: p, Interval: iv})
		}
	}
	series = series[:60]
	var wall time.Duration
	maxPerSecond, violations := 0, 0
	for range b.N {
		f := krakenfake.New(krakenfake.Options{Now: fakeNow})
		f.SetLimit(10)
		c := New(Options{BaseURL: f.URL(), Limiter: rate.NewLimiter(10, 1), Backoff: 10 * time.Millisecond})
		work := make(chan ohlc.Series)
		var wg sync.WaitGroup
		start := time.Now()
		for range 8 {
			wg.Go(func() {
				for s := range work {
					if _, err := c.OHLC(context.Background(), s, 0); err != nil {
						b.Error(err)
					}
				}
			})
		}
		for _, s := range series {
			work <- s
		}
		close(work)
		wg.Wait()
		wall += time.Since(start)
		maxPerSecond = max(maxPerSecond, f.MaxPerSecond())
		violations += f.Violations()
		f.Close()
	}
	b.ReportMetric(wall.Seconds()/float64(b.N), "s/60series")
	b.ReportMetric(float64(maxPerSecond), "max-req/s")
	b.ReportMetric(float64(violations), "violations")
}
