// Package krakenfake is a fake of Kraken's public REST API for tests: an
// httptest server answering GET /0/public/OHLC, /0/public/Trades and
// /0/public/AssetPairs in Kraken's real format, with Kraken's error
// shapes, scripted faults and per-second request accounting shared by
// every endpoint.
//
// By default every pair's OHLC answer is a real recorded one, shifted to
// end at the fake's clock. A pair given a trade tape (SetTape,
// GenerateTape) instead has its OHLC answers computed from the tape,
// which its Trades endpoint pages through 1000 trades at a time, so the
// two agree exactly.
package krakenfake

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Options configure a Server.
type Options struct {
	// Now is the fake's clock in Unix seconds: the forming candle is the one
	// containing it. Zero means the real time at each request.
	Now int64
	// Pairs maps altnames to pair keys; nil means DefaultPairs.
	Pairs map[string]string
	// Tolerance shortens the sliding window of the rate accounting from 1 s
	// to 1 s − Tolerance, absorbing the scheduling jitter between a
	// client's limiter and the server's clock (a request sent on time may
	// arrive late, its successor on time). Default 100ms: on two cores
	// busy with other tests a request arrived more than 25ms late, and the fake's
	// answer "rate limit exceeded" then cost a retry a test counted;
	// a client sending faster than its rate still shows, as the
	// unlimited case of TestLimiterKeepsTheRate does. Negative means an exact 1 s
	// window.
	Tolerance time.Duration
}

// DefaultPairs are real Kraken pairs, most with keys unlike their altnames.
var DefaultPairs = map[string]string{
	"XBTUSD": "XXBTZUSD",
	"ETHUSD": "XETHZUSD",
	"ADAUSD": "ADAUSD",
	"SOLUSD": "SOLUSD",
	"XMRUSD": "XXMRZUSD",
	"DOTUSD": "DOTUSD",
	"BCHAUD": "BCHAUD",
}

// apiIntervals are the intervals Kraken's OHLC endpoint serves, in minutes.
var apiIntervals = map[int64]bool{1: true, 5: true, 15: true, 30: true, 60: true, 240: true, 1440: true, 10080: true, 21600: true}

// Server is a running fake. It is safe for concurrent requests.
type Server struct {
	srv   *httptest.Server
	pairs map[string]string // altname and key → key
	alts  map[string]string // altname → key, as AssetPairs lists them
	rate  rateBook

	mu          sync.Mutex
	now         int64
	ohlcFaults  []Fault
	pairsFaults []Fault
	ohlcCount   int
	pairsCount  int
	tapes       map[string][]Trade // pair key → tape
	tradesQ     []Fault
	tradesCount int
	down        bool             // see SetDown
	revised     map[int64]string // volume by candle open time, quoted; see Revise
}

// New starts a fake; Close stops it.
func New(opts Options) *Server {
	alts := opts.Pairs
	if alts == nil {
		alts = DefaultPairs
	}
	s := &Server{pairs: map[string]string{}, alts: map[string]string{}, now: opts.Now}
	for alt, key := range alts {
		s.alts[alt] = key
		s.pairs[alt] = key
		s.pairs[key] = key
	}
	switch {
	case opts.Tolerance == 0:
		s.rate.window = time.Second - 100*time.Millisecond
	case opts.Tolerance < 0:
		s.rate.window = time.Second
	default:
		s.rate.window = time.Second - opts.Tolerance
	}
	fixtureRows() // a broken embedded fixture fails here, not in a handler
	s.srv = httptest.NewServer(s)
	return s
}

// URL is the base URL to give the client, like https://api.kraken.com.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// SetNow moves the fake's clock (Unix seconds).
func (s *Server) SetNow(now int64) {
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
}

// Script queues faults for the next OHLC requests, one per request, in
// order; a request with no fault queued is answered normally.
func (s *Server) Script(faults ...Fault) {
	s.mu.Lock()
	s.ohlcFaults = append(s.ohlcFaults, faults...)
	s.mu.Unlock()
}

// ScriptTrades queues faults for the next Trades requests, apart from
// OHLC's.
func (s *Server) ScriptTrades(faults ...Fault) {
	s.mu.Lock()
	s.tradesQ = append(s.tradesQ, faults...)
	s.mu.Unlock()
}

// ScriptAssetPairs queues faults for the next AssetPairs requests, apart
// from OHLC's so a script need not know when a client fetches AssetPairs.
// Faults about rows (WrongPairKey, BadRow, OutOfOrder) do not apply to
// AssetPairs, which then answers normally.
func (s *Server) ScriptAssetPairs(faults ...Fault) {
	s.mu.Lock()
	s.pairsFaults = append(s.pairsFaults, faults...)
	s.mu.Unlock()
}

// Pending is how many scripted faults are not spent yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ohlcFaults) + len(s.pairsFaults) + len(s.tradesQ)
}

// OHLCRequests and AssetPairsRequests count the requests per endpoint.
func (s *Server) OHLCRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ohlcCount
}

// TradesRequests counts the Trades requests.
func (s *Server) TradesRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tradesCount
}

// AssetPairsRequests counts the AssetPairs requests.
func (s *Server) AssetPairsRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pairsCount
}

// ServeHTTP answers one request as Kraken would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.hangUp(w) {
		return
	}
	throttled := s.rate.arrive(time.Now())
	var f Fault
	var now int64
	s.mu.Lock()
	switch r.URL.Path {
	case "/0/public/OHLC":
		s.ohlcCount++
		if !throttled {
			f, s.ohlcFaults = pop(s.ohlcFaults)
		}
	case "/0/public/AssetPairs":
		s.pairsCount++
		if !throttled {
			f, s.pairsFaults = pop(s.pairsFaults)
		}
	case "/0/public/Trades":
		s.tradesCount++
		if !throttled {
			f, s.tradesQ = pop(s.tradesQ)
		}
	}
	now = s.now
	s.mu.Unlock()
	if now == 0 {
		now = time.Now().Unix()
	}
	if throttled {
		writeJSON(w, http.StatusOK, errorBody("EAPI:Rate limit exceeded"))
		return
	}
	if f.kind == slow {
		t := time.NewTimer(f.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	switch f.kind {
	case rateLimit200:
		writeJSON(w, http.StatusOK, errorBody("EAPI:Rate limit exceeded"))
		return
	case errorCode:
		writeJSON(w, http.StatusOK, errorBody(f.code))
		return
	case tooManyRequests429:
		writeHTML(w, http.StatusTooManyRequests, "<html><body><h1>429 Too Many Requests</h1></body></html>")
		return
	case serverError503:
		writeHTML(w, http.StatusServiceUnavailable, "<html><body><h1>503 Service Unavailable</h1></body></html>")
		return
	case malformedBody:
		writeJSON(w, http.StatusOK, []byte("<html>Kraken is down for maintenance</html>"))
		return
	}
	var body []byte
	switch r.URL.Path {
	case "/0/public/OHLC":
		body = s.ohlc(r, now, f.kind)
	case "/0/public/Trades":
		body = s.trades(r, now, f.kind)
	case "/0/public/AssetPairs":
		body = assetPairsBody(s.alts)
	default:
		writeJSON(w, http.StatusNotFound, errorBody("EGeneral:Unknown method"))
		return
	}
	if f.kind == truncated {
		body = body[:len(body)/2]
	}
	writeJSON(w, http.StatusOK, body)
}

// ohlc answers GET /0/public/OHLC?pair=&interval=&since=.
func (s *Server) ohlc(r *http.Request, now int64, f faultKind) []byte {
	q := r.URL.Query()
	interval := int64(1) // Kraken's default
	if v := q.Get("interval"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !apiIntervals[n] {
			return errorBody("EGeneral:Invalid arguments")
		}
		interval = n
	}
	var since int64
	if v := q.Get("since"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errorBody("EGeneral:Invalid arguments")
		}
		since = n
	}
	key, ok := s.pairs[q.Get("pair")]
	if !ok {
		return errorBody("EQuery:Unknown asset pair")
	}
	if tape, ok := s.tape(key); ok {
		return tapeOHLCBody(key, tape, interval*60, now, since, f)
	}
	return ohlcBody(key, interval*60, now, since, f, s.revisions())
}

// trades answers GET /0/public/Trades?pair=&since= from the pair's tape;
// a pair without one has no trades.
func (s *Server) trades(r *http.Request, now int64, f faultKind) []byte {
	q := r.URL.Query()
	key, ok := s.pairs[q.Get("pair")]
	if !ok {
		return errorBody("EQuery:Unknown asset pair")
	}
	since, ok := sinceNanos(q.Get("since"))
	if !ok {
		return errorBody("EGeneral:Invalid arguments")
	}
	tape, _ := s.tape(key)
	return tradesBody(key, visible(tape, now), since, f)
}

func (s *Server) tape(key string) ([]Trade, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tapes[key]
	return t, ok
}

func pop(q []Fault) (Fault, []Fault) {
	if len(q) == 0 {
		return Fault{}, q
	}
	return q[0], q[1:]
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeHTML(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
