package krakenapi

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// countingTransport counts requests before handing them on.
type countingTransport struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(req)
}

// closedPort is a loopback address nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestUnreachableEndpointIsRecognisedOnce: a refused connection, a name
// that does not resolve or a TLS failure fails the first call (after its
// retries, none for TLS), and every later call at once, without a request,
// whatever series it asks for.
func TestUnreachableEndpointIsRecognisedOnce(t *testing.T) {
	tlsServer := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsServer.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake it refuses is the test
	tlsServer.StartTLS()
	t.Cleanup(tlsServer.Close)
	dnsFails := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "api.kraken.example", IsNotFound: true}}
	}}
	tests := []struct {
		name         string
		baseURL      string
		transport    http.RoundTripper
		wantRequests int32 // by the first call
		wantErr      string
	}{
		{"refused", "http://" + closedPort(t), http.DefaultTransport, 3, "connection refused"},
		{"dns", "http://api.kraken.example", dnsFails, 3, "no such host"},
		{"tls", tlsServer.URL, http.DefaultTransport, 1, "certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			counter := &countingTransport{next: tt.transport}
			c := New(Options{BaseURL: tt.baseURL, HTTPClient: &http.Client{Transport: counter}, MaxRetries: 2,
				Limiter: rate.NewLimiter(rate.Inf, 1), Backoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})
			_, err := c.OHLC(context.Background(), xbt60, 0)
			if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("first call: %v; want ErrUnreachable saying %q", err, tt.wantErr)
			}
			if got := counter.n.Load(); got != tt.wantRequests {
				t.Errorf("first call made %d requests, want %d", got, tt.wantRequests)
			}
			eth := ohlc.Series{Pair: "ETHUSD", Interval: 1440}
			_, err = c.OHLC(context.Background(), eth, 0)
			if !errors.Is(err, ErrUnreachable) || !strings.HasPrefix(err.Error(), "AssetPairs (for ETHUSD/1440): not requested: an earlier call found the API unreachable: ") {
				t.Errorf("second call: %v; want ErrUnreachable, not requested", err)
			}
			if got := counter.n.Load(); got != tt.wantRequests {
				t.Errorf("the second call made %d requests", got-tt.wantRequests)
			}
		})
	}
}

// TestServerErrorsDoNotTripTheBreaker: a 5xx is an answer, so the endpoint
// is up; the next call asks again.
func TestServerErrorsDoNotTripTheBreaker(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	counter := &countingTransport{next: http.DefaultTransport}
	c := New(Options{BaseURL: srv.URL, HTTPClient: &http.Client{Transport: counter}, MaxRetries: 1,
		Limiter: rate.NewLimiter(rate.Inf, 1), Backoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})
	for range 2 {
		if _, err := c.OHLC(context.Background(), xbt60, 0); err == nil || errors.Is(err, ErrUnreachable) {
			t.Fatalf("error %v; want a 503 failure, not ErrUnreachable", err)
		}
	}
	if got := counter.n.Load(); got != 4 {
		t.Errorf("%d requests, want 2 per call", got)
	}
}
