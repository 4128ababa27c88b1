package krakenfake

import "net/http"

// SetDown makes the fake unreachable, or reachable again: while down it
// closes every connection without an answer, which a client sees as the
// network error of an outage. Requests are not counted.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

// hangUp closes the request's connection unanswered while the fake is
// down, and reports whether it did.
func (s *Server) hangUp(w http.ResponseWriter) bool {
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if !down {
		return false
	}
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
		return true
	}
	// No connection to take: answer as a gateway in front of a dead
	// Kraken would.
	w.WriteHeader(http.StatusBadGateway)
	return true
}
