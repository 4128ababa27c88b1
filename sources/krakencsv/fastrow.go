package krakencsv

import "github.com/feefifofunds/candlekeep/ohlc"

// parseRowFast handles a good row in one pass over the bytes, with no field
// splitting. It reports false for anything else, and parseRow then decides
// and words the error; both read numbers with ohlc's decimal parser and hold
// prices to Candle.CheckPrices, so they agree on what is accepted and on
// every value.
func (r *Reader) parseRowFast(line []byte, c *ohlc.Candle) bool {
	ts, i, ok := fastUint(line, 0)
	if !ok || i >= len(line) || line[i] != ',' {
		return false
	}
	t := int64(ts)
	if t < ohlc.KrakenFirstTrade || t >= r.limit || t%r.step != 0 || (r.line > 1 && t <= r.prev) || !r.fits(t) {
		return false
	}
	var v [5]float64
	for k := range v {
		x, next, status := ohlc.ScanDecimal(line, i+1)
		if status != ohlc.DecimalOK || next >= len(line) || line[next] != ',' {
			return false
		}
		v[k], i = x, next
	}
	trades, end, ok := fastUint(line, i+1)
	if !ok || end != len(line) {
		return false
	}
	// Candle.CheckPrices, inlined: calling it costs this loop about 5%.
	// ScanDecimal's values are finite and non-negative already, so the order
	// of the prices is all there is left to check; a row refused here goes
	// to parseRow, which calls CheckPrices and reports why.
	open, high, low, closing := v[0], v[1], v[2], v[3]
	if low > open || low > closing || high < open || high < closing {
		return false
	}
	r.prev = t
	*c = ohlc.Candle{Time: t, Open: open, High: high, Low: low, Close: closing, Volume: v[4], Trades: int64(trades)}
	return true
}

// fastUint reads 1 to 18 digits from line[i:], returning where it stopped.
func fastUint(line []byte, i int) (uint64, int, bool) {
	start := i
	var n uint64
	for ; i < len(line); i++ {
		d := line[i] - '0'
		if d > 9 {
			break
		}
		n = n*10 + uint64(d)
	}
	if i == start || i-start > 18 {
		return 0, i, false
	}
	return n, i, true
}
