package executor

import (
	"context"
	"fmt"
	"math"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sinks"
	"github.com/feefifofunds/candlekeep/state"
)

// Tolerances of the cross-check: Kraken writes volumes in 8 decimals and
// vwaps rounded (as "864.04"), so candles rebuilt from its trades match
// its CSV and OHLC candles exactly in open, high, low, close and trades,
// and in volume and vwap only within that rounding.
const (
	VolumeTolerance = 1e-8 // absolute, or relative when larger
	VWAPTolerance   = 1e-4 // relative; at least 0.005 absolute
)

// crossCheck compares rebuilt candles with those the sink already holds
// from another source: those are kept, not overwritten, and every
// difference is counted and the first one described.
type crossCheck struct {
	compared int64
	differ   int64
	first    string
}

// sift returns the candles of batch the sink does not hold yet, and
// compares the others.
func (c *crossCheck) sift(ctx context.Context, sink sinks.Sink, s ohlc.Series, batch []ohlc.Candle) ([]ohlc.Candle, error) {
	span := ohlc.Span{Start: batch[0].Time, End: batch[len(batch)-1].Time + s.Interval.Seconds()}
	held := map[int64]ohlc.Candle{}
	err := sink.ReadCandles(ctx, s, span, func(page []ohlc.Candle) error {
		for _, h := range page {
			held[h.Time] = h
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s back for the cross-check: %w", s, err)
	}
	if len(held) == 0 {
		return batch, nil
	}
	fresh := batch[:0:0]
	for _, b := range batch {
		h, ok := held[b.Time]
		if !ok {
			fresh = append(fresh, b)
			continue
		}
		c.compared++
		if why := differs(h, b); why != "" {
			c.differ++
			if c.first == "" {
				c.first = fmt.Sprintf("%s at %s: %s", s, ohlc.FormatTime(b.Time), why)
			}
		}
	}
	return fresh, nil
}

// differs says how a rebuilt candle differs from the stored one, or "".
func differs(stored, rebuilt ohlc.Candle) string {
	switch {
	case stored.Open != rebuilt.Open || stored.High != rebuilt.High || stored.Low != rebuilt.Low || stored.Close != rebuilt.Close:
		return fmt.Sprintf("stored OHLC %v %v %v %v, rebuilt %v %v %v %v", stored.Open, stored.High, stored.Low, stored.Close,
			rebuilt.Open, rebuilt.High, rebuilt.Low, rebuilt.Close)
	case stored.Trades != rebuilt.Trades:
		return fmt.Sprintf("stored %d trades, rebuilt %d", stored.Trades, rebuilt.Trades)
	case !near(stored.Volume, rebuilt.Volume, VolumeTolerance, VolumeTolerance):
		return fmt.Sprintf("stored volume %v, rebuilt %v", stored.Volume, rebuilt.Volume)
	case stored.HasVWAP && !near(stored.VWAP, rebuilt.VWAP, VWAPTolerance, 0.005):
		return fmt.Sprintf("stored vwap %v, rebuilt %v", stored.VWAP, rebuilt.VWAP)
	}
	return ""
}

func near(a, b, rel, abs float64) bool {
	return math.Abs(a-b) <= max(abs, rel*math.Abs(a))
}

// summary is the cross-check's finding for the action's record: empty
// when nothing differed.
func (c *crossCheck) summary() string {
	if c.differ == 0 {
		return ""
	}
	return state.CrossCheckNote + fmt.Sprintf("%d of %d candles the sink held differ from the rebuilt ones (kept as stored); first: %s", c.differ, c.compared, c.first)
}
