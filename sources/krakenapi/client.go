package krakenapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// MaxBodyBytes bounds one answer. A real OHLC answer is about 60 KB and
// AssetPairs about 1 MB; anything this large is not Kraken.
const MaxBodyBytes = 16 << 20

const (
	opOHLC       = "OHLC"
	opAssetPairs = "AssetPairs"
)

// Default option values.
const (
	DefaultMaxRetries   = 5
	DefaultTimeout      = 30 * time.Second
	DefaultBackoff      = time.Second
	DefaultMaxBackoff   = 30 * time.Second
	DefaultPairCacheAge = 24 * time.Hour
)

// Client calls Kraken's public REST API. It is safe for concurrent use;
// every request of every caller waits on the one limiter.
type Client struct {
	base       *url.URL
	http       *http.Client
	limiter    *rate.Limiter
	maxRetries int
	timeout    time.Duration
	keepEmpty  bool
	backoff    time.Duration
	maxBackoff time.Duration
	pairs      *pairTable
	breaker    *breaker
	// beforeBackoff, if set, runs as each backoff wait starts (tests).
	beforeBackoff func()
}

// New returns a client with opts' zero fields set to their defaults. A
// negative MaxRetries means no retries. A BaseURL that does not parse is
// reported by the first call.
func New(opts Options) *Client {
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	if opts.Limiter == nil {
		opts.Limiter = rate.NewLimiter(1, 1)
	}
	switch {
	case opts.MaxRetries == 0:
		opts.MaxRetries = DefaultMaxRetries
	case opts.MaxRetries < 0:
		opts.MaxRetries = 0
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.HTTPClient == nil {
		// The per-attempt context carries the timeout, so a timeout can be
		// told apart from the caller's cancellation.
		opts.HTTPClient = &http.Client{}
	}
	if opts.PairCacheAge <= 0 {
		opts.PairCacheAge = DefaultPairCacheAge
	}
	if opts.Backoff <= 0 {
		opts.Backoff = DefaultBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	base, err := url.Parse(strings.TrimRight(opts.BaseURL, "/"))
	if err == nil && (base.Scheme != "http" && base.Scheme != "https" || base.Host == "") {
		err = fmt.Errorf("base URL %q is not http(s)://host", base.Redacted())
	}
	c := &Client{
		http:       opts.HTTPClient,
		limiter:    opts.Limiter,
		maxRetries: opts.MaxRetries,
		timeout:    opts.Timeout,
		keepEmpty:  opts.KeepEmpty,
		backoff:    opts.Backoff,
		maxBackoff: opts.MaxBackoff,
		breaker:    newBreaker(),
	}
	if err == nil {
		c.base = base
	}
	c.pairs = &pairTable{path: opts.PairCache, maxAge: opts.PairCacheAge, baseErr: err}
	if err == nil {
		c.pairs.base = base.String()
	}
	return c
}

// OHLC fetches the series' candles after since (Unix seconds; Kraken
// answers at most its most recent 720 entries whatever since says). The
// pair is an altname ("XBTUSD"), mapped to Kraken's pair key through
// AssetPairs. Errors are *Error.
func (c *Client) OHLC(ctx context.Context, s ohlc.Series, since int64) (*Result, error) {
	if !s.Interval.InAPI() {
		return nil, &Error{Series: s, Op: opOHLC, Err: fmt.Errorf("interval %d is not served by Kraken's REST API", s.Interval)}
	}
	key, requests, err := c.pairs.key(ctx, c, s)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("pair", key)
	q.Set("interval", strconv.Itoa(int(s.Interval)))
	q.Set("since", strconv.FormatInt(since, 10))
	var ans ohlcAnswer
	attempts, err := c.call(ctx, opOHLC, s, "/0/public/OHLC", q, func(body []byte) *attemptError {
		var aerr *attemptError
		ans, aerr = decodeOHLC(body, key, s.Interval, c.keepEmpty)
		return aerr
	})
	if err != nil {
		return nil, err
	}
	return &Result{Candles: ans.candles, From: ans.from, Until: ans.until, Requests: requests + attempts}, nil
}

// PairKey maps an altname to Kraken's pair key through AssetPairs (fetched
// at most once per client, or read from the pair cache).
func (c *Client) PairKey(ctx context.Context, pair string) (string, error) {
	key, _, err := c.pairs.key(ctx, c, ohlc.Series{Pair: pair})
	return key, err
}
