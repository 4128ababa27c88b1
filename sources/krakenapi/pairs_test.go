package krakenapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

func readCacheFile(t *testing.T, path string) pairCacheFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f pairCacheFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("cache file is not JSON: %v\n%s", err, b)
	}
	return f
}

func writeCacheFile(t *testing.T, path string, f pairCacheFile) {
	t.Helper()
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPairCache(t *testing.T) {
	f := newFake(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "cache", "pairs.json")
	opts := testOptions(f)
	opts.PairCache = path

	// The first client fetches and writes the cache.
	before := time.Now().Add(-time.Second)
	if _, err := New(opts).OHLC(context.Background(), xbt60, 0); err != nil {
		t.Fatal(err)
	}
	written := readCacheFile(t, path)
	if written.Fetched.Before(before) || written.BaseURL != f.URL() || written.Pairs["XBTUSD"] != "XXBTZUSD" || len(written.Pairs) != 7 {
		t.Errorf("cache file %+v", written)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("cache folder holds %d files, want only the cache (no temporary files left)", len(entries))
	}

	tests := []struct {
		name     string
		file     func() // prepares the cache file
		pair     string
		fetches  int // AssetPairs requests this client makes
		requests int // Result.Requests
	}{
		{"fresh file is reused", func() { writeCacheFile(t, path, written) }, "XBTUSD", 0, 1},
		{"expired file is refetched", func() {
			old := written
			old.Fetched = time.Now().Add(-25 * time.Hour)
			writeCacheFile(t, path, old)
		}, "XBTUSD", 1, 2},
		{"future fetch time is not trusted", func() {
			odd := written
			odd.Fetched = time.Now().Add(48 * time.Hour)
			writeCacheFile(t, path, odd)
		}, "XBTUSD", 1, 2},
		{"corrupt file is refetched", func() { _ = os.WriteFile(path, []byte(`{"fetched": "2024-`), 0o644) }, "XBTUSD", 1, 2},
		{"file of another API is refetched", func() {
			other := written
			other.BaseURL = "https://api.kraken.com"
			writeCacheFile(t, path, other)
		}, "XBTUSD", 1, 2},
		{"pair missing from the file is refetched", func() {
			few := written
			few.Pairs = map[string]string{"ETHUSD": "XETHZUSD"}
			writeCacheFile(t, path, few)
		}, "XBTUSD", 1, 2},
		{"missing file is fetched", func() { _ = os.Remove(path) }, "XBTUSD", 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.file()
			n := f.AssetPairsRequests()
			res, err := New(opts).OHLC(context.Background(), ohlc.Series{Pair: tc.pair, Interval: 60}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.AssetPairsRequests() - n; got != tc.fetches || res.Requests != tc.requests {
				t.Errorf("%d AssetPairs requests, Requests %d; want %d and %d", got, res.Requests, tc.fetches, tc.requests)
			}
			// Whatever happened, a valid, fresh cache is left for next time.
			got := readCacheFile(t, path)
			if diff := cmp.Diff(written.Pairs, got.Pairs); diff != "" || time.Since(got.Fetched) > time.Hour {
				t.Errorf("cache left behind, fetched %v (-want +got):\n%s", got.Fetched, diff)
			}
		})
	}
}

func TestPairCacheAge(t *testing.T) {
	f := newFake(t)
	path := filepath.Join(t.TempDir(), "pairs.json")
	opts := testOptions(f)
	opts.PairCache = path
	opts.PairCacheAge = time.Hour
	writeCacheFile(t, path, pairCacheFile{Fetched: time.Now().Add(-2 * time.Hour), BaseURL: f.URL(), Pairs: map[string]string{"XBTUSD": "XXBTZUSD"}})
	if _, err := New(opts).OHLC(context.Background(), xbt60, 0); err != nil {
		t.Fatal(err)
	}
	if f.AssetPairsRequests() != 1 {
		t.Errorf("a 2h old cache was trusted with PairCacheAge 1h")
	}
}

func TestUnknownPairWithCacheAsksOnce(t *testing.T) {
	f := newFake(t)
	path := filepath.Join(t.TempDir(), "pairs.json")
	opts := testOptions(f)
	opts.PairCache = path
	writeCacheFile(t, path, pairCacheFile{Fetched: time.Now(), BaseURL: f.URL(), Pairs: map[string]string{"XBTUSD": "XXBTZUSD"}})
	c := New(opts)
	for range 3 {
		if _, err := c.OHLC(context.Background(), ohlc.Series{Pair: "FOOUSD", Interval: 60}, 0); err == nil {
			t.Fatal("unknown pair accepted")
		}
	}
	if f.AssetPairsRequests() != 1 {
		t.Errorf("%d AssetPairs requests, want one to confirm the pair is unknown", f.AssetPairsRequests())
	}
}

func TestPairLoadOfACancelledCallerIsRedoneByAnother(t *testing.T) {
	f := newFake(t)
	// The first AssetPairs request hangs until its caller gives up.
	inFlight := make(chan struct{})
	var once sync.Once
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first := false
		if r.URL.Path == "/0/public/AssetPairs" {
			once.Do(func() { first = true })
		}
		if first {
			close(inFlight)
			<-r.Context().Done()
			return
		}
		f.ServeHTTP(w, r)
	}))
	defer hang.Close()
	opts := testOptions(f)
	opts.BaseURL = hang.URL
	c := New(opts)
	ctxA, cancelA := context.WithCancel(context.Background())
	errA := make(chan error)
	go func() {
		_, err := c.OHLC(ctxA, xbt60, 0)
		errA <- err
	}()
	<-inFlight
	// B waits on A's load, or finds it gone: either way it must load itself.
	errB := make(chan error)
	go func() {
		_, err := c.OHLC(context.Background(), ohlc.Series{Pair: "ETHUSD", Interval: 60}, 0)
		errB <- err
	}()
	cancelA()
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Errorf("A: %v, want context.Canceled", err)
	}
	if err := <-errB; err != nil {
		t.Errorf("B failed with A's cancellation: %v", err)
	}
	if f.AssetPairsRequests() != 1 {
		t.Errorf("the fake answered %d AssetPairs requests, want B's", f.AssetPairsRequests())
	}
}
