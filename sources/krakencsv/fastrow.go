package krakencsv

import "github.com/feefifofunds/candlekeep/ohlc"

// parseRowFast handles a good row in one pass over the bytes, with no field
// splitting. It reports false for anything else, and parseRow then decides
// and words the error; both read numbers with the same ohlc functions and
// apply the same candle check, so they agree on what is accepted and on
// every value.
func (r *Reader) parseRowFast(line []byte, c *ohlc.Candle) bool {
	ts, i, ok := fastUint(line, 0)
	if !ok || i >= len(line) || line[i] != ',' {
		return false
	}
	t := int64(ts)
	if t%r.step != 0 || (r.line > 1 && t <= r.prev) {
		return false
	}
	var v [5]float64
	for k := range v {
		i++ // the comma
		x, n, status := ohlc.ParseDecimalPrefix(line[i:])
		i += n
		if status != ohlc.DecimalOK || i >= len(line) || line[i] != ',' {
			return false
		}
		v[k] = x
	}
	trades, end, ok := fastUint(line, i+1)
	if !ok || end != len(line) {
		return false
	}
	candle := ohlc.Candle{Time: t, Open: v[0], High: v[1], Low: v[2], Close: v[3], Volume: v[4], Trades: int64(trades)}
	if candle.CheckPrices() != nil {
		return false
	}
	r.prev = t
	*c = candle
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
