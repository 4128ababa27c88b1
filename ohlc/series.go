package ohlc

import (
	"fmt"
	"strings"
)

// Series is one pair at one interval, such as XBTUSD/60.
type Series struct {
	Pair     string   // Kraken altname, e.g. "XBTUSD"
	Interval Interval // minutes
}

// String renders the series as PAIR/INTERVAL.
func (s Series) String() string { return s.Pair + "/" + s.Interval.String() }

// Less orders series by pair, then by interval: the plan's stable order.
func (s Series) Less(o Series) bool {
	if s.Pair != o.Pair {
		return s.Pair < o.Pair
	}
	return s.Interval < o.Interval
}

// Compare is Less as a three-way comparison, for slices.SortFunc.
func (s Series) Compare(o Series) int {
	switch {
	case s == o:
		return 0
	case s.Less(o):
		return -1
	}
	return 1
}

// ParseSeries parses "XBTUSD/60" (or "XBTUSD/1h").
func ParseSeries(v string) (Series, error) {
	pair, iv, ok := strings.Cut(v, "/")
	if !ok || pair == "" {
		return Series{}, fmt.Errorf("series %q is not PAIR/INTERVAL, such as XBTUSD/60", v)
	}
	interval, err := ParseInterval(iv)
	if err != nil {
		return Series{}, fmt.Errorf("series %q: %w", v, err)
	}
	return Series{Pair: pair, Interval: interval}, nil
}
