package krakenfake

import "strconv"

// Revise makes every later answer carry volume for the candle opening at
// t (Unix seconds) of every pair and interval, as Kraken revises a
// candle's volume after its close.
func (s *Server) Revise(t int64, volume float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.revised == nil {
		s.revised = map[int64]string{}
	}
	s.revised[t] = strconv.Quote(strconv.FormatFloat(volume, 'f', -1, 64))
}

// revisions is a copy of the revised volumes, for one answer.
func (s *Server) revisions() map[int64]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int64]string, len(s.revised))
	for t, v := range s.revised {
		out[t] = v
	}
	return out
}
