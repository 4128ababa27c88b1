package krakenfake

import (
	"sort"
	"strconv"
)

// tapeOHLCBody answers GET /0/public/OHLC for a pair with a tape: the
// candles Kraken would compute from it for the newest Entries slots up to
// the one forming at now, those after since plus the forming one. A slot
// without trades after the first trade is Kraken's filler (the previous
// close, vwap and volume zero, count 0); slots before the first trade are
// left out.
func tapeOHLCBody(key string, tape []Trade, step, now, since int64, f faultKind) []byte {
	tape = visible(tape, now)
	forming := now - now%step
	first := forming - (Entries-1)*step
	// Trades before the first slot only give the first filler its price.
	i := sort.Search(len(tape), func(i int) bool { return tape[i].Time/1e9 >= first })
	prevClose := ""
	if i > 0 {
		prevClose = tape[i-1].Price
	}
	var picked []entry
	for t := first; t <= forming; t += step {
		j := i
		for j < len(tape) && tape[j].Time/1e9 < t+step {
			j++
		}
		var r row
		switch {
		case j > i:
			r = candleRow(tape[i:j])
			prevClose = tape[j-1].Price
		case prevClose != "":
			q := `"` + prevClose + `"`
			r = row{values: [6]string{q, q, q, q, `"0.00000"`, `"0.00000000"`}, count: "0"}
		default:
			i = j
			continue
		}
		i = j
		if t > since || t == forming {
			picked = append(picked, entry{t, r})
		}
	}
	return writeOHLC(key, picked, forming-step, f)
}

// candleRow is the candle of a slot's trades, computed as the client's
// tape computes it (float64 sums in tape order) and written in the
// shortest decimals that read back to the same float64, so a rebuilt
// candle equals this answer exactly. Kraken itself rounds vwap and volume
// (see docs/decisions.md, "Kraken's trades").
func candleRow(trades []Trade) row {
	open, high, low := trades[0].Price, trades[0].Price, trades[0].Price
	hv, lv := parse(open), parse(open)
	var vol, wsum float64
	for _, t := range trades {
		p, v := parse(t.Price), parse(t.Volume)
		if p > hv {
			high, hv = t.Price, p
		}
		if p < lv {
			low, lv = t.Price, p
		}
		vol += v
		wsum += p * v
	}
	q := func(s string) string { return `"` + s + `"` }
	num := func(v float64) string { return q(strconv.FormatFloat(v, 'f', -1, 64)) }
	return row{
		values: [6]string{q(open), q(high), q(low), q(trades[len(trades)-1].Price), num(wsum / vol), num(vol)},
		count:  strconv.Itoa(len(trades)),
	}
}

// parse reads a decimal the fake wrote itself.
func parse(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic("krakenfake: tape holds a bad decimal " + strconv.Quote(s))
	}
	return v
}
