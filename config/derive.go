package config

import (
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// deriveFrom evaluates derive_from: the shorter intervals the block's
// intervals may be aggregated from, in preference order. Each must divide
// every interval of the block, so that whole source candles make each
// target candle; an empty list turns deriving off.
func (d *decoder) deriveFrom(attr *hcl.Attribute, targets []ohlc.Interval) []ohlc.Interval {
	elems, _ := d.list(attr)
	var out []ohlc.Interval
	for _, e := range elems {
		src, ok := d.interval(e)
		if !ok {
			continue
		}
		if slices.Contains(out, src) {
			d.errorf(e.Range, "Duplicate interval", "Interval %s is listed more than once in derive_from.", src)
			continue
		}
		for _, t := range targets {
			if src >= t || t%src != 0 {
				d.errorf(e.Range, "Invalid derive_from",
					"Interval %s cannot derive %s: a source must be shorter than each of the block's intervals and divide it into whole candles.", src, t)
				break
			}
		}
		out = append(out, src)
	}
	return out
}
