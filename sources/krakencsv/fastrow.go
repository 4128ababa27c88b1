package krakencsv

import "github.com/feefifofunds/candlekeep/ohlc"

// parseRowFast handles the common row in one pass over the bytes, with no
// field splitting: plain digits, at most one point, mantissas under 2^53.
// It reports false for anything else — a bad row, or merely an unusual one
// such as a volume with an exponent — and parseRow then decides, so the
// two always agree on what is accepted and on every value.
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
		x, next, ok := fastDecimal(line, i+1)
		if !ok || next >= len(line) || line[next] != ',' {
			return false
		}
		v[k], i = x, next
	}
	trades, end, ok := fastUint(line, i+1)
	if !ok || end != len(line) {
		return false
	}
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

// fastDecimal reads digits, optionally a point and digits, from line[i:],
// when the mantissa has at most 15 digits (so it is below 2^53 and the
// result is exact; see parseDecimal) and stops at anything else.
func fastDecimal(line []byte, i int) (float64, int, bool) {
	start := i
	var mant uint64
	for ; i < len(line); i++ {
		d := line[i] - '0'
		if d > 9 {
			break
		}
		mant = mant*10 + uint64(d)
	}
	intDigits := i - start
	if intDigits == 0 {
		return 0, i, false
	}
	decimals := 0
	if i < len(line) && line[i] == '.' {
		i++
		fracStart := i
		for ; i < len(line); i++ {
			d := line[i] - '0'
			if d > 9 {
				break
			}
			mant = mant*10 + uint64(d)
		}
		decimals = i - fracStart
		if decimals == 0 {
			return 0, i, false
		}
	}
	if intDigits+decimals > 15 {
		return 0, i, false
	}
	return float64(mant) / exactPow10[decimals], i, true
}
