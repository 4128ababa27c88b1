package workspace

import (
	"slices"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
)

// Freshness statuses, in increasing severity.
const (
	FreshPass  = "pass"
	FreshWarn  = "warn"
	FreshError = "error"
)

// Freshness is one series' freshness at now.
type Freshness struct {
	Series   ohlc.Series
	Coverage []string // blocks with freshness naming the series, sorted
	// The strictest thresholds of those blocks; 0 when none sets one.
	WarnAfter, ErrorAfter time.Duration
	Expected              int64 // where data should reach: the start of the forming candle
	CoveredUntil          int64 // end of the latest covered span; 0 when never loaded
	Age                   int64 // seconds, Expected − CoveredUntil, at least 0
	Status                string
}

// CheckFreshness judges every series of the coverage blocks that carry a
// freshness block. A series named by several such blocks gets the
// strictest thresholds and the latest expected end among them.
func CheckFreshness(cfg *config.Config, coverage map[ohlc.Series]ohlc.SpanSet, now int64) []Freshness {
	bySeries := map[ohlc.Series]*Freshness{}
	for _, c := range cfg.Coverage {
		if c.Freshness == (config.Freshness{}) {
			continue
		}
		windowEnd := c.Window.Span(now).End
		for _, pair := range c.Pairs {
			for _, iv := range c.Intervals {
				s := ohlc.Series{Pair: pair, Interval: iv}
				r := bySeries[s]
				if r == nil {
					r = &Freshness{Series: s}
					bySeries[s] = r
				}
				r.Coverage = append(r.Coverage, c.Name)
				r.WarnAfter = stricter(r.WarnAfter, c.Freshness.WarnAfter)
				r.ErrorAfter = stricter(r.ErrorAfter, c.Freshness.ErrorAfter)
				// A window with a fixed end in the past expects data
				// only up to that end.
				r.Expected = max(r.Expected, iv.AlignDown(min(now, windowEnd)))
			}
		}
	}
	out := make([]Freshness, 0, len(bySeries))
	for s, r := range bySeries {
		slices.Sort(r.Coverage)
		r.Coverage = slices.Compact(r.Coverage)
		if spans := coverage[s]; len(spans) > 0 {
			r.CoveredUntil = spans[len(spans)-1].End
			r.Age = max(0, r.Expected-r.CoveredUntil)
		}
		r.Status = judge(*r)
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Freshness) int {
		if c := strings.Compare(a.Series.Pair, b.Series.Pair); c != 0 {
			return c
		}
		return int(a.Series.Interval) - int(b.Series.Interval)
	})
	return out
}

// stricter is the shorter of two thresholds, 0 meaning unset.
func stricter(a, b time.Duration) time.Duration {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}

// judge compares a series' age with its thresholds; a series never loaded
// is as stale as can be.
func judge(r Freshness) string {
	age := time.Duration(r.Age) * time.Second
	never := r.CoveredUntil == 0
	switch {
	case r.ErrorAfter > 0 && (never || age > r.ErrorAfter):
		return FreshError
	case never || (r.WarnAfter > 0 && age > r.WarnAfter):
		return FreshWarn
	}
	return FreshPass
}

// WorstStatus is the most severe status of results.
func WorstStatus(results []Freshness) string {
	worst := FreshPass
	for _, r := range results {
		if r.Status == FreshError || (r.Status == FreshWarn && worst == FreshPass) {
			worst = r.Status
		}
	}
	return worst
}
