package planner

import (
	"slices"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// fillByDeriving is rule 4b: what dumps and the API left, a coverage
// block with derive_from may aggregate from a shorter interval of the
// same pair, trying its sources in order. Only whole target candles whose
// full source range is vouched for are derived: covered in state, or
// loaded by an action of this plan, which the derive then waits for
// (After). A source series sorts before its targets (shorter interval,
// same pair), so its actions are already in dst, at indices that no
// longer move.
func (p *planner) fillByDeriving(w *seriesWork, dst []Action) []Action {
	for _, from := range w.deriveFrom {
		if len(w.gaps) == 0 {
			break
		}
		src := ohlc.Series{Pair: w.series.Pair, Interval: from}
		spans := slices.Clone(p.covered[src])
		var planned []int
		for j := len(dst) - 1; j >= 0 && dst[j].Series.Pair == src.Pair; j-- {
			if dst[j].Series == src {
				planned = append(planned, j)
				spans = append(spans, dst[j].Span)
			}
		}
		slices.Reverse(planned)
		whole := ohlc.Intersect(w.gaps, ohlc.NewSpanSet(spans...)).Align(w.series.Interval)
		for _, sp := range whole {
			a := Action{Kind: Derive, Series: w.series, Span: sp, From: from, Estimate: sp.Candles(w.series.Interval)}
			for _, j := range planned {
				if !dst[j].Span.Intersect(sp).Empty() {
					a.After = append(a.After, j)
				}
			}
			dst = append(dst, a)
		}
		w.gaps = ohlc.Difference(w.gaps, whole)
	}
	return dst
}
