package krakenapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakenapi/krakenfake"
)

// fakeNow is 2024-05-24 10:30 UTC; the forming 1h candle opened at 10:00.
const (
	fakeNow     = 1716546600
	fakeForming = 1716544800
)

var xbt60 = ohlc.Series{Pair: "XBTUSD", Interval: 60}

func newFake(t *testing.T) *krakenfake.Server {
	t.Helper()
	f := krakenfake.New(krakenfake.Options{Now: fakeNow})
	t.Cleanup(f.Close)
	return f
}

// testOptions are fast: no rate limit, millisecond backoff.
func testOptions(f *krakenfake.Server) Options {
	return Options{
		BaseURL:    f.URL(),
		Limiter:    rate.NewLimiter(rate.Inf, 1),
		Backoff:    time.Millisecond,
		MaxBackoff: 4 * time.Millisecond,
	}
}

// recorder is a transport that keeps the URLs asked for.
type recorder struct {
	mu   sync.Mutex
	urls []*url.URL
	// sent, if set, is called as each request leaves.
	sent func(*http.Request)
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.urls = append(r.urls, req.URL)
	sent := r.sent
	r.mu.Unlock()
	if sent != nil {
		sent(req)
	}
	return http.DefaultTransport.RoundTrip(req)
}

func TestOHLCThroughTheFake(t *testing.T) {
	f := newFake(t)
	rec := &recorder{}
	opts := testOptions(f)
	opts.HTTPClient = &http.Client{Transport: rec}
	c := New(opts)
	res, err := c.OHLC(context.Background(), xbt60, fakeForming-100*3600)
	if err != nil {
		t.Fatal(err)
	}
	// Asked with the pair key, after AssetPairs.
	if len(rec.urls) != 2 || rec.urls[0].Path != "/0/public/AssetPairs" {
		t.Fatalf("requests %v", rec.urls)
	}
	q := rec.urls[1].Query()
	if rec.urls[1].Path != "/0/public/OHLC" || q.Get("pair") != "XXBTZUSD" || q.Get("interval") != "60" || q.Get("since") != "1716184800" {
		t.Errorf("OHLC asked %v", rec.urls[1])
	}
	// Entries after since: 99 closed ones and the forming one.
	if res.From != fakeForming-99*3600 || res.Until != fakeForming || res.Requests != 2 {
		t.Errorf("From %d Until %d Requests %d", res.From, res.Until, res.Requests)
	}
	for _, cd := range res.Candles {
		if cd.Time < res.From || cd.Time >= res.Until || cd.Trades == 0 {
			t.Fatalf("candle %+v outside [From, Until) or a filler", cd)
		}
	}
	if len(res.Candles) == 0 || len(res.Candles) >= 99 {
		t.Errorf("%d candles: fillers not dropped, or nothing kept", len(res.Candles))
	}
	// The second call reuses the mapping.
	res, err = c.OHLC(context.Background(), ohlc.Series{Pair: "XBTUSD", Interval: 1440}, 0)
	if err != nil || res.Requests != 1 || res.From != 1716508800-719*86400 {
		t.Errorf("second call: %v, %+v", err, res)
	}
	if f.AssetPairsRequests() != 1 {
		t.Errorf("AssetPairs asked %d times", f.AssetPairsRequests())
	}
}

func TestOHLCPairKeyGivenDirectly(t *testing.T) {
	f := newFake(t)
	c := New(testOptions(f))
	if _, err := c.OHLC(context.Background(), ohlc.Series{Pair: "XXBTZUSD", Interval: 60}, 0); err != nil {
		t.Fatal(err)
	}
	if key, err := c.PairKey(context.Background(), "ETHUSD"); err != nil || key != "XETHZUSD" {
		t.Errorf("PairKey(ETHUSD) = %q, %v", key, err)
	}
}

func TestOHLCUnknownPair(t *testing.T) {
	f := newFake(t)
	c := New(testOptions(f))
	_, err := c.OHLC(context.Background(), ohlc.Series{Pair: "FOOUSD", Interval: 60}, 0)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrUnknownPair) || e.Temporary() {
		t.Fatalf("error %v, want a permanent unknown pair", err)
	}
	if want := `OHLC FOOUSD/60: unknown pair "FOOUSD": Kraken's AssetPairs does not list it`; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if f.OHLCRequests() != 0 {
		t.Errorf("OHLC was asked %d times for an unknown pair", f.OHLCRequests())
	}
}

func TestOHLCIntervalNotServed(t *testing.T) {
	f := newFake(t)
	_, err := New(testOptions(f)).OHLC(context.Background(), ohlc.Series{Pair: "XBTUSD", Interval: 720}, 0)
	if err == nil || !strings.Contains(err.Error(), "interval 720 is not served") || f.Requests() != 0 {
		t.Errorf("error %v after %d requests", err, f.Requests())
	}
}

func TestOHLCKeepEmpty(t *testing.T) {
	f := newFake(t)
	opts := testOptions(f)
	opts.KeepEmpty = true
	res, err := New(opts).OHLC(context.Background(), xbt60, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Candles) != 719 || res.From != fakeForming-719*3600 {
		t.Errorf("%d candles from %d, want 719 from %d", len(res.Candles), res.From, fakeForming-719*3600)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		faults    []krakenfake.Fault
		attempts  int    // OHLC requests made
		want      string // error; "" for success
		temporary bool
	}{
		{"rate limit as HTTP 200", []krakenfake.Fault{krakenfake.RateLimit200(), krakenfake.RateLimit200()}, 3, "", false},
		{"429", []krakenfake.Fault{krakenfake.TooManyRequests429()}, 2, "", false},
		{"503", []krakenfake.Fault{krakenfake.ServerError503()}, 2, "", false},
		{"busy", []krakenfake.Fault{krakenfake.ErrorCode("EService:Busy")}, 2, "", false},
		{"unavailable", []krakenfake.Fault{krakenfake.ErrorCode("EService:Unavailable")}, 2, "", false},
		{"too many requests", []krakenfake.Fault{krakenfake.ErrorCode("EGeneral:Too many requests")}, 2, "", false},
		{"lockout", []krakenfake.Fault{krakenfake.ErrorCode("EGeneral:Temporary lockout")}, 2, "", false},
		{"slow answer times out", []krakenfake.Fault{krakenfake.Slow(time.Hour)}, 2, "", false},
		{"invalid arguments", []krakenfake.Fault{krakenfake.ErrorCode("EGeneral:Invalid arguments")}, 1,
			"OHLC XBTUSD/60: EGeneral:Invalid arguments (HTTP 200)", false},
		{"unknown asset pair", []krakenfake.Fault{krakenfake.ErrorCode("EQuery:Unknown asset pair")}, 1,
			"OHLC XBTUSD/60: EQuery:Unknown asset pair (HTTP 200)", false},
		{"unknown code", []krakenfake.Fault{krakenfake.ErrorCode("EOrder:Something new")}, 1,
			"OHLC XBTUSD/60: EOrder:Something new (HTTP 200)", false},
		{"truncated", []krakenfake.Fault{krakenfake.Truncated()}, 1,
			"OHLC XBTUSD/60: malformed JSON: unexpected end of JSON input", false},
		{"malformed", []krakenfake.Fault{krakenfake.Malformed()}, 1,
			"OHLC XBTUSD/60: malformed JSON: invalid character '<' looking for beginning of value", false},
		{"wrong pair key", []krakenfake.Fault{krakenfake.WrongPairKey()}, 1,
			"OHLC XBTUSD/60: answered pair XXXBTZUSDZ, asked for XXBTZUSD", false},
		{"bad row", []krakenfake.Fault{krakenfake.BadRow()}, 1,
			`OHLC XBTUSD/60: row 360 (time 1715252400): open "n/a" is not a plain non-negative decimal number`, false},
		{"out of order", []krakenfake.Fault{krakenfake.OutOfOrder()}, 1,
			"OHLC XBTUSD/60: row 360 (time 1715248800): time 1715248800 is not after the previous row's 1715252400: rows must be in strictly increasing time", false},
		{"retries run out", []krakenfake.Fault{krakenfake.RateLimit200(), krakenfake.RateLimit200(), krakenfake.RateLimit200()}, 3,
			"OHLC XBTUSD/60: gave up after 3 attempts: EAPI:Rate limit exceeded (HTTP 200)", true},
		{"5xx retries run out", []krakenfake.Fault{krakenfake.ServerError503(), krakenfake.TooManyRequests429(), krakenfake.ServerError503(), krakenfake.ServerError503()}, 3,
			"OHLC XBTUSD/60: gave up after 3 attempts: Service Unavailable (HTTP 503)", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			opts := testOptions(f)
			opts.MaxRetries = 2
			opts.Timeout = 10 * time.Second
			if strings.HasPrefix(tc.name, "slow") {
				opts.Timeout = 300 * time.Millisecond
			}
			c := New(opts)
			if _, err := c.PairKey(context.Background(), "XBTUSD"); err != nil {
				t.Fatal(err)
			}
			f.Script(tc.faults...)
			res, err := c.OHLC(context.Background(), xbt60, 0)
			if got := f.OHLCRequests(); got != tc.attempts {
				t.Errorf("%d OHLC requests, want %d", got, tc.attempts)
			}
			if tc.want == "" {
				if err != nil {
					t.Fatalf("error %v, want success after retries", err)
				}
				if res.Requests != tc.attempts || len(res.Candles) != 360 {
					t.Errorf("Requests %d, %d candles", res.Requests, len(res.Candles))
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *Error", err, err)
			}
			if err.Error() != tc.want || e.Attempts != tc.attempts || e.Temporary() != tc.temporary {
				t.Errorf("error %q, %d attempts, temporary %v\nwant  %q, %d attempts, temporary %v",
					err, e.Attempts, e.Temporary(), tc.want, tc.attempts, tc.temporary)
			}
		})
	}
}

func TestAssetPairsFaults(t *testing.T) {
	f := newFake(t)
	opts := testOptions(f)
	opts.MaxRetries = 1
	c := New(opts)
	f.ScriptAssetPairs(krakenfake.ServerError503(), krakenfake.ErrorCode("EService:Busy"))
	_, err := c.OHLC(context.Background(), xbt60, 0)
	want := "AssetPairs (for XBTUSD/60): gave up after 2 attempts: EService:Busy (HTTP 200)"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
	// A failed fetch is tried again by the next call.
	res, err := c.OHLC(context.Background(), xbt60, 0)
	if err != nil || res.Requests != 2 || f.AssetPairsRequests() != 3 {
		t.Errorf("second call: %v, %+v, %d AssetPairs requests", err, res, f.AssetPairsRequests())
	}
}

func TestBaseURLThatDoesNotAnswer(t *testing.T) {
	f := newFake(t)
	opts := testOptions(f)
	f.Close() // nothing listens there now
	opts.MaxRetries = 2
	_, err := New(opts).OHLC(context.Background(), xbt60, 0)
	var e *Error
	if !errors.As(err, &e) || e.Attempts != 3 || !e.Temporary() || e.Op != "AssetPairs" {
		t.Fatalf("error %v, want AssetPairs to give up after 3 attempts", err)
	}
	host := strings.TrimPrefix(f.URL(), "http://")
	if !strings.Contains(err.Error(), "gave up after 3 attempts: GET "+host+"/0/public/AssetPairs?: ") {
		t.Errorf("error %q does not say where it went", err)
	}
}

func TestBaseURLCredentialsNeverShown(t *testing.T) {
	f := newFake(t)
	opts := testOptions(f)
	opts.BaseURL = strings.Replace(f.URL(), "http://", "http://user:s3cret@", 1)
	opts.MaxRetries = -1
	f.Close()
	_, err := New(opts).OHLC(context.Background(), xbt60, 0)
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error %v", err)
	}
	_, err = New(Options{BaseURL: "ftp://user:s3cret@example.com"}).OHLC(context.Background(), xbt60, 0)
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "not http(s)://host") {
		t.Errorf("error %v", err)
	}
}
