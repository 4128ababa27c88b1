package krakenfake

import (
	"sync"
	"time"
)

// rateBook records request arrivals and judges them against the limit.
type rateBook struct {
	window time.Duration

	mu         sync.Mutex
	arrivals   []time.Time // non-decreasing: stamped under mu
	limit      int
	maxInOne   int
	violations int
}

// arrive records a request and reports whether it breaks the limit: more
// than limit requests within one window, itself included.
func (b *rateBook) arrive(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n := len(b.arrivals); n > 0 && now.Before(b.arrivals[n-1]) {
		now = b.arrivals[n-1]
	}
	b.arrivals = append(b.arrivals, now)
	inWindow := 0
	for i := len(b.arrivals) - 1; i >= 0 && now.Sub(b.arrivals[i]) < b.window; i-- {
		inWindow++
	}
	b.maxInOne = max(b.maxInOne, inWindow)
	if b.limit > 0 && inWindow > b.limit {
		b.violations++
		return true
	}
	return false
}

// SetLimit makes the fake throttle like Kraken: a request arriving when
// more than n requests (itself included) arrived within one second is
// answered {"error":["EAPI:Rate limit exceeded"]} and counted as a
// violation. n ≤ 0 turns throttling off.
func (s *Server) SetLimit(n int) {
	s.rate.mu.Lock()
	s.rate.limit = n
	s.rate.mu.Unlock()
}

// MaxPerSecond is the most requests that arrived within any one-second
// sliding window (see Options.Tolerance).
func (s *Server) MaxPerSecond() int {
	s.rate.mu.Lock()
	defer s.rate.mu.Unlock()
	return s.rate.maxInOne
}

// Requests is how many requests arrived, on any path.
func (s *Server) Requests() int {
	s.rate.mu.Lock()
	defer s.rate.mu.Unlock()
	return len(s.rate.arrivals)
}

// Violations is how many requests broke the limit set by SetLimit.
func (s *Server) Violations() int {
	s.rate.mu.Lock()
	defer s.rate.mu.Unlock()
	return s.rate.violations
}

// ResetRate forgets the arrivals, the maximum and the violations, so a
// test can measure one phase on its own.
func (s *Server) ResetRate() {
	s.rate.mu.Lock()
	defer s.rate.mu.Unlock()
	s.rate.arrivals, s.rate.maxInOne, s.rate.violations = nil, 0, 0
}
