package krakenapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// pairTable maps altnames to Kraken's pair keys. It is loaded at most once
// per client (from the cache file when that is fresh, else from
// AssetPairs); concurrent callers share one load, and a failed load leaves
// the next caller to try again.
type pairTable struct {
	path    string
	maxAge  time.Duration
	base    string // the API the cache file must have come from
	baseErr error  // a BaseURL that did not parse

	mu       sync.Mutex
	keys     map[string]string // altname (and key) → key; nil until loaded
	fromDisk bool              // keys came from the cache file
	loading  *pairLoad         // the load in progress, if any
}

type pairLoad struct {
	done chan struct{}
	err  error
}

// pairCacheFile is the on-disk form of the mapping.
type pairCacheFile struct {
	Fetched time.Time         `json:"fetched"`
	BaseURL string            `json:"base_url"`
	Pairs   map[string]string `json:"pairs"` // altname → key
}

// key returns the pair key for s.Pair and the HTTP requests this caller
// made to learn it.
func (t *pairTable) key(ctx context.Context, c *Client, s ohlc.Series) (string, int, error) {
	requests := 0
	for {
		t.mu.Lock()
		if t.keys != nil {
			if k, ok := t.keys[s.Pair]; ok {
				t.mu.Unlock()
				return k, requests, nil
			}
			// A cached mapping may predate a newly listed pair: only a
			// fresh AssetPairs answer can say a pair is unknown.
			if !t.fromDisk {
				t.mu.Unlock()
				return "", requests, &Error{Series: s, Op: opOHLC,
					Err: fmt.Errorf("%w %q: Kraken's AssetPairs does not list it", ErrUnknownPair, s.Pair)}
			}
		}
		if l := t.loading; l != nil {
			t.mu.Unlock()
			select {
			case <-l.done:
			case <-ctx.Done():
				return "", requests, &Error{Series: s, Op: opAssetPairs, Err: ctx.Err()}
			}
			// Another caller's cancellation is not this caller's failure.
			if l.err != nil && !isContextError(l.err) {
				return "", requests, forSeries(l.err, s)
			}
			continue
		}
		l := &pairLoad{done: make(chan struct{})}
		t.loading = l
		useDisk := t.keys == nil
		t.mu.Unlock()

		keys, fromDisk, n, err := t.load(ctx, c, s, useDisk)
		requests += n
		t.mu.Lock()
		if err == nil {
			t.keys, t.fromDisk = keys, fromDisk
		}
		l.err = err
		t.loading = nil
		close(l.done)
		t.mu.Unlock()
		if err != nil {
			return "", requests, err
		}
	}
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// forSeries is another caller's load error, told for this caller's series.
func forSeries(err error, s ohlc.Series) error {
	var e *Error
	if errors.As(err, &e) {
		cp := *e
		cp.Series = s
		return &cp
	}
	return err
}

// load reads the cache file when allowed and fresh, or else asks
// AssetPairs and rewrites the cache file.
func (t *pairTable) load(ctx context.Context, c *Client, s ohlc.Series, useDisk bool) (map[string]string, bool, int, error) {
	if useDisk && t.path != "" {
		if pairs, ok := t.readCache(time.Now()); ok {
			return withKeys(pairs), true, 0, nil
		}
	}
	var pairs map[string]string
	n, err := c.call(ctx, opAssetPairs, s, "/0/public/AssetPairs", nil, func(body []byte) *attemptError {
		var aerr *attemptError
		pairs, aerr = decodeAssetPairs(body)
		return aerr
	})
	if err != nil {
		return nil, false, n, err
	}
	if t.path != "" {
		// The cache only saves a request next time: failing to write it
		// must not fail the backfill.
		_ = t.writeCache(pairCacheFile{Fetched: time.Now().UTC(), BaseURL: t.base, Pairs: pairs})
	}
	return withKeys(pairs), false, n, nil
}

// decodeAssetPairs reads {"error":[],"result":{"XXBTZUSD":{"altname":"XBTUSD",...},...}}
// into altname → key.
func decodeAssetPairs(body []byte) (map[string]string, *attemptError) {
	var env envelope[map[string]struct {
		Altname string `json:"altname"`
	}]
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, permanent(200, malformed(err))
	}
	if codes := errorCodes(env.Error); len(codes) > 0 {
		return nil, codesError(200, codes)
	}
	if len(env.Result) == 0 {
		return nil, permanent(200, errors.New("answer lists no pairs"))
	}
	pairs := make(map[string]string, len(env.Result))
	for key, p := range env.Result {
		if p.Altname == "" {
			return nil, permanent(200, fmt.Errorf("pair %s has no altname", key))
		}
		pairs[p.Altname] = key
	}
	return pairs, nil
}

// withKeys adds key → key, so a pair given by its key works too.
func withKeys(pairs map[string]string) map[string]string {
	m := make(map[string]string, 2*len(pairs))
	for alt, key := range pairs {
		m[alt] = key
		m[key] = key
	}
	return m
}

// readCache returns the cached mapping if the file is readable, from the
// same API and younger than maxAge. A corrupt file is treated as absent.
func (t *pairTable) readCache(now time.Time) (map[string]string, bool) {
	b, err := os.ReadFile(t.path)
	if err != nil {
		return nil, false
	}
	var f pairCacheFile
	if json.Unmarshal(b, &f) != nil || f.BaseURL != t.base || len(f.Pairs) == 0 {
		return nil, false
	}
	age := now.Sub(f.Fetched)
	// A fetch time in the future means a clock changed: do not trust it.
	if age < -time.Minute || age >= t.maxAge {
		return nil, false
	}
	return f.Pairs, true
}

// writeCache replaces the cache file atomically, so a crash or a
// concurrent reader never sees half a file.
func (t *pairTable) writeCache(f pairCacheFile) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(t.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(t.path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), t.path)
}
