package krakenapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// prompt is far below every wait the tests set up (an hour), and far above
// any scheduling delay.
const prompt = 10 * time.Second

func TestCancelDuringBackoff(t *testing.T) {
	f := newFake(t)
	opts := testOptions(f)
	opts.Backoff, opts.MaxBackoff = time.Hour, time.Hour
	c := New(opts)
	if _, err := c.PairKey(context.Background(), "XBTUSD"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.beforeBackoff = cancel
	f.Script(krakenfake.ServerError503())
	start := time.Now()
	_, err := c.OHLC(ctx, xbt60, 0)
	if !errors.Is(err, context.Canceled) || time.Since(start) > prompt {
		t.Fatalf("error %v after %v, want context.Canceled at once", err, time.Since(start))
	}
	var e *Error
	if !errors.As(err, &e) || e.Attempts != 1 || e.Status != 503 {
		t.Errorf("error %+v", err)
	}
}

func TestCancelDuringSlowAnswer(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := &recorder{sent: func(r *http.Request) {
		if r.URL.Path == "/0/public/OHLC" {
			cancel()
		}
	}}
	opts := testOptions(f)
	opts.HTTPClient = &http.Client{Transport: rec}
	f.Script(krakenfake.Slow(time.Hour))
	start := time.Now()
	_, err := New(opts).OHLC(ctx, xbt60, 0)
	if !errors.Is(err, context.Canceled) || time.Since(start) > prompt {
		t.Fatalf("error %v after %v, want context.Canceled at once", err, time.Since(start))
	}
}

func TestCancelWhileWaitingForTheLimiter(t *testing.T) {
	f := newFake(t)
	opts := testOptions(f)
	// One request per hour, already spent by AssetPairs.
	opts.Limiter = rate.NewLimiter(rate.Every(time.Hour), 1)
	c := New(opts)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	_, err := c.OHLC(ctx, xbt60, 0)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > prompt {
		t.Fatalf("error %v after %v, want the deadline at once", err, time.Since(start))
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := c.OHLC(ctx, xbt60, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if f.OHLCRequests() != 0 {
		t.Errorf("%d OHLC requests passed the limiter", f.OHLCRequests())
	}
}

func TestSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := sleep(ctx, time.Hour, nil); !errors.Is(err, context.Canceled) || time.Since(start) > prompt {
		t.Errorf("sleep = %v after %v", err, time.Since(start))
	}
	if err := sleep(context.Background(), time.Microsecond, nil); err != nil {
		t.Errorf("sleep = %v", err)
	}
}

func TestBackoffIsCappedFullJitter(t *testing.T) {
	c := New(Options{Backoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	for attempt, ceiling := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 60: time.Second} {
		var top time.Duration
		for range 200 {
			d := c.backoffFor(attempt)
			if d < 0 || d > ceiling {
				t.Fatalf("attempt %d: wait %v outside [0, %v]", attempt, d, ceiling)
			}
			top = max(top, d)
		}
		// 200 uniform draws all in the lower half: 1 in 2^200.
		if top <= ceiling/2 {
			t.Errorf("attempt %d: waits never passed %v: no jitter up to the ceiling %v", attempt, top, ceiling)
		}
	}
}

func TestBodySizeLimit(t *testing.T) {
	f := newFake(t)
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/0/public/OHLC" {
			f.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"error":[],"result":{"XXBTZUSD":[`))
		_, _ = w.Write([]byte(strings.Repeat(" ", MaxBodyBytes)))
		_, _ = w.Write([]byte(`],"last":0}}`))
	}))
	defer huge.Close()
	opts := testOptions(f)
	opts.BaseURL = huge.URL
	_, err := New(opts).OHLC(context.Background(), xbt60, 0)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrTooLarge) || e.Attempts != 1 || e.Temporary() {
		t.Fatalf("error %v, want a permanent ErrTooLarge at once", err)
	}
	if !strings.Contains(err.Error(), "response larger than 16 MiB") {
		t.Errorf("error %q", err)
	}
}

func TestAssetPairsFetchedOnceAcrossConcurrentCalls(t *testing.T) {
	f := newFake(t)
	c := New(testOptions(f))
	pairs := []string{"XBTUSD", "ETHUSD", "ADAUSD", "SOLUSD", "XMRUSD", "DOTUSD", "BCHAUD"}
	intervals := []ohlc.Interval{1, 5, 15, 30, 60, 240, 1440, 10080}
	var wg sync.WaitGroup
	var mu sync.Mutex
	requests, failures := 0, 0
	for k := range 50 {
		s := ohlc.Series{Pair: pairs[k%len(pairs)], Interval: intervals[k%len(intervals)]}
		wg.Go(func() {
			res, err := c.OHLC(context.Background(), s, 0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures++
				t.Errorf("%s: %v", s, err)
				return
			}
			requests += res.Requests
		})
	}
	wg.Wait()
	if f.AssetPairsRequests() != 1 || f.OHLCRequests() != 50 {
		t.Errorf("%d AssetPairs and %d OHLC requests, want 1 and 50", f.AssetPairsRequests(), f.OHLCRequests())
	}
	if failures == 0 && requests != 51 {
		t.Errorf("the results count %d requests, want 51", requests)
	}
}

func TestLimiterKeepsTheRate(t *testing.T) {
	f := newFake(t)
	f.SetLimit(20)
	opts := testOptions(f)
	// Requests leave at 15/s; scheduling on a loaded machine can bunch
	// their arrivals, so the fake's limit of 20 in any second keeps a
	// margin, as a configured rate below Kraken's should.
	opts.Limiter = rate.NewLimiter(15, 1)
	c := New(opts)
	var wg sync.WaitGroup
	for k := range 30 {
		s := ohlc.Series{Pair: "XBTUSD", Interval: []ohlc.Interval{1, 5, 15}[k%3]}
		wg.Go(func() {
			if _, err := c.OHLC(context.Background(), s, 0); err != nil {
				t.Errorf("%s: %v", s, err)
			}
		})
	}
	wg.Wait()
	if f.Requests() != 31 || f.MaxPerSecond() > 20 || f.Violations() != 0 {
		t.Errorf("%d requests, at most %d in a second, %d violations; want 31, ≤ 20, 0", f.Requests(), f.MaxPerSecond(), f.Violations())
	}
	// Without the limiter the same load breaks the limit: the check can fail.
	f.ResetRate()
	opts.Limiter = rate.NewLimiter(rate.Inf, 1)
	opts.MaxRetries = -1
	c = New(opts)
	for k := range 60 {
		wg.Go(func() { _, _ = c.OHLC(context.Background(), ohlc.Series{Pair: "ETHUSD", Interval: 60}, int64(k)) })
	}
	wg.Wait()
	if f.MaxPerSecond() <= 20 || f.Violations() == 0 {
		t.Errorf("unlimited: at most %d in a second, %d violations; the fake did not notice", f.MaxPerSecond(), f.Violations())
	}
}
