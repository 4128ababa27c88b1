package ohlc

import "fmt"

// Aggregator builds candles of a longer interval from a shorter one's,
// chunk by chunk: Add takes source candles in time order and returns the
// target candles they complete; Finish returns the last one. It holds one
// target candle at a time, so a series of any length aggregates in
// constant memory.
//
// A target candle is built only where the source's coverage spans it
// entirely: inside covered coverage a source slot without a candle means
// no trades, so a target slot whose source slots are all covered but hold
// no candle has no trades either and yields nothing (no filler). Source
// candles without trades (the REST API's fillers, if kept) count as absent.
type Aggregator struct {
	from, to Interval
	covered  SpanSet
	step     int64 // to.Seconds()

	prev    int64 // open time of the last source candle taken; -1 before the first
	pending Candle
	open    bool // pending holds at least one source candle
	// wsum is Σ vwap·volume of pending's parts; vwap is known only while
	// every part has one.
	wsum float64
}

// NewAggregator aggregates candles of interval from into candles of
// interval to over the covered spans of the source series. Buckets are
// aligned as Kraken aligns its candles (Interval.AlignDown), so to must be
// a whole multiple of from: 60 → 1440 or 1440 → 10080, not 10080 → 21600.
func NewAggregator(from, to Interval, covered SpanSet) (*Aggregator, error) {
	if from <= 0 || to <= from || to%from != 0 {
		return nil, fmt.Errorf("cannot aggregate %d-minute candles into %d-minute ones: the longer interval must be a whole multiple of the shorter", from, to)
	}
	return &Aggregator{from: from, to: to, covered: covered, step: to.Seconds(), prev: -1}, nil
}

// Add takes the next source candles, which must be aligned to the source
// interval and in strictly increasing time, also across calls, and appends
// to dst the target candles they complete.
func (a *Aggregator) Add(dst []Candle, src ...Candle) ([]Candle, error) {
	for _, c := range src {
		if c.Time != a.from.AlignDown(c.Time) {
			return dst, fmt.Errorf("source candle at %d is not aligned to the %d-minute interval", c.Time, a.from)
		}
		if c.Time <= a.prev {
			return dst, fmt.Errorf("source candle at %d is not after the previous one at %d", c.Time, a.prev)
		}
		a.prev = c.Time
		if c.Trades == 0 {
			continue
		}
		bucket := a.to.AlignDown(c.Time)
		if a.open && bucket != a.pending.Time {
			dst = a.emit(dst)
		}
		if !a.open {
			a.start(bucket, c)
			continue
		}
		a.merge(c)
	}
	return dst, nil
}

// Finish appends the target candle still being built, if the coverage
// spans it: the caller has given every source candle there is.
func (a *Aggregator) Finish(dst []Candle) []Candle {
	if a.open {
		dst = a.emit(dst)
	}
	return dst
}

func (a *Aggregator) start(bucket int64, c Candle) {
	a.pending = c
	a.pending.Time = bucket
	a.open = true
	a.wsum = c.VWAP * c.Volume
}

func (a *Aggregator) merge(c Candle) {
	p := &a.pending
	p.High = max(p.High, c.High)
	p.Low = min(p.Low, c.Low)
	p.Close = c.Close
	p.Volume += c.Volume
	p.Trades += c.Trades
	p.HasVWAP = p.HasVWAP && c.HasVWAP
	a.wsum += c.VWAP * c.Volume
}

// emit appends the pending candle when the coverage spans its whole slot,
// and drops it otherwise: a slot partly outside coverage may have had
// trades nobody gave us.
func (a *Aggregator) emit(dst []Candle) []Candle {
	a.open = false
	p := a.pending
	if !a.covered.Covers(Span{Start: p.Time, End: p.Time + a.step}) {
		return dst
	}
	if p.HasVWAP && p.Volume > 0 {
		p.VWAP = a.wsum / p.Volume
	} else {
		p.VWAP, p.HasVWAP = 0, false
	}
	return append(dst, p)
}

// Aggregate is an Aggregator over one slice: the target candles built from
// src, the source series' candles over its covered spans.
func Aggregate(from, to Interval, covered SpanSet, src []Candle) ([]Candle, error) {
	a, err := NewAggregator(from, to, covered)
	if err != nil {
		return nil, err
	}
	out, err := a.Add(nil, src...)
	if err != nil {
		return nil, err
	}
	return a.Finish(out), nil
}
