package ohlc

import (
	"fmt"
	"slices"
)

// TapeCandle is a candle a Tape built, with its interval.
type TapeCandle struct {
	Interval Interval
	Candle
}

// Tape builds candles of several intervals in one pass over a pair's
// trades, as Kraken builds its own: open the first trade's price, high and
// low the extremes, close the last trade's price, volume the sum, vwap
// Σ price·volume / Σ volume, trades the count. Buckets are aligned as
// Interval.AlignDown aligns them. A candle is emitted only once the tape
// has passed its end (a later trade, or Advance), so never partly; a
// bucket without trades yields nothing, as in Kraken's CSV files. It holds
// one candle per interval, so any length of tape takes constant memory.
type Tape struct {
	span     Span
	longest  Interval
	slots    []tapeSlot
	passed   int64 // seconds: every trade before it has been given
	lastID   int64
	lastTime int64 // nanoseconds
	started  bool
}

type tapeSlot struct {
	iv   Interval
	step int64
	c    Candle
	open bool
	wsum float64 // Σ price·volume
}

// NewTape builds candles of the given intervals for the whole buckets
// inside span (Unix seconds); trades outside it are ignored. Every interval
// must divide the longest, so that Checkpoint is a boundary of all of them:
// 60 with 1440 or 10080, not 1440 with 10080 and 21600.
func NewTape(span Span, intervals ...Interval) (*Tape, error) {
	if len(intervals) == 0 {
		return nil, fmt.Errorf("a tape needs at least one interval")
	}
	ivs := slices.Clone(intervals)
	slices.Sort(ivs)
	ivs = slices.Compact(ivs)
	longest := ivs[len(ivs)-1]
	t := &Tape{span: span, longest: longest, passed: span.Start}
	for _, iv := range ivs {
		if iv <= 0 || longest%iv != 0 {
			return nil, fmt.Errorf("interval %d does not divide the longest, %d: a tape's intervals must share their boundaries", iv, longest)
		}
		t.slots = append(t.slots, tapeSlot{iv: iv, step: iv.Seconds()})
	}
	return t, nil
}

// Add takes the next trades of the tape, in its order (times
// non-decreasing, ids increasing, also across calls), and appends to dst
// the candles they prove complete, shortest interval first.
func (t *Tape) Add(dst []TapeCandle, trades ...Trade) ([]TapeCandle, error) {
	for _, tr := range trades {
		if t.started && (tr.ID <= t.lastID || tr.Time < t.lastTime) {
			return dst, fmt.Errorf("trade %d at %d ns does not follow trade %d at %d ns: ids must increase and times not decrease", tr.ID, tr.Time, t.lastID, t.lastTime)
		}
		if !(tr.Price > 0) || !(tr.Volume > 0) {
			return dst, fmt.Errorf("trade %d: price %v and volume %v must be positive", tr.ID, tr.Price, tr.Volume)
		}
		t.started, t.lastID, t.lastTime = true, tr.ID, tr.Time
		sec := tr.Second()
		dst = t.advance(dst, sec)
		if !t.span.Contains(sec) {
			continue
		}
		for k := range t.slots {
			t.slots[k].add(tr, sec)
		}
	}
	return dst, nil
}

// Advance tells the tape that every trade before until (Unix seconds) has
// been given, such as the span's end once the trades stream has passed it,
// and appends the candles that completes.
func (t *Tape) Advance(dst []TapeCandle, until int64) []TapeCandle {
	return t.advance(dst, until)
}

func (t *Tape) advance(dst []TapeCandle, until int64) []TapeCandle {
	if until <= t.passed {
		return dst
	}
	t.passed = until
	for k := range t.slots {
		s := &t.slots[k]
		if s.open && s.c.Time+s.step <= until {
			dst = s.emit(dst, t.span)
		}
	}
	return dst
}

// Checkpoint is where a rebuild interrupted now resumes without a gap: a
// boundary of every interval before which every candle has been emitted.
// A new Tape over [Checkpoint, span end), fed the trades from there, builds
// the rest; candles it builds again come out the same.
func (t *Tape) Checkpoint() int64 {
	b := t.passed
	for _, s := range t.slots {
		if s.open {
			b = min(b, s.c.Time)
		}
	}
	return max(t.span.Start, t.longest.AlignDown(b))
}

func (s *tapeSlot) add(tr Trade, sec int64) {
	bucket := s.iv.AlignDown(sec)
	if !s.open {
		s.c = Candle{Time: bucket, Open: tr.Price, High: tr.Price, Low: tr.Price, Close: tr.Price, Volume: tr.Volume, Trades: 1}
		s.wsum = tr.Price * tr.Volume
		s.open = true
		return
	}
	s.c.High = max(s.c.High, tr.Price)
	s.c.Low = min(s.c.Low, tr.Price)
	s.c.Close = tr.Price
	s.c.Volume += tr.Volume
	s.c.Trades++
	s.wsum += tr.Price * tr.Volume
}

// emit appends the slot's candle if its whole bucket lies in the span.
func (s *tapeSlot) emit(dst []TapeCandle, span Span) []TapeCandle {
	s.open = false
	if s.c.Time < span.Start || s.c.Time+s.step > span.End {
		return dst
	}
	c := s.c
	c.VWAP, c.HasVWAP = s.wsum/c.Volume, true
	return append(dst, TapeCandle{Interval: s.iv, Candle: c})
}
