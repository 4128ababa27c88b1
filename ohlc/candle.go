package ohlc

import (
	"fmt"
	"math"
	"strconv"
)

// Candle is one OHLCVT row. Time is the candle's open time.
type Candle struct {
	Time   int64 // Unix seconds, aligned to the series interval
	Open   float64
	High   float64
	Low    float64
	Close  float64
	Volume float64
	Trades int64
	// VWAP is only known for candles from the REST API; CSV rows have none.
	VWAP    float64
	HasVWAP bool
}

// CheckPrices refuses a candle whose prices cannot be real: each of open,
// high, low and close must be finite and non-negative, low at most the lower
// of open and close, and high at least the higher. Every source applies it,
// so a candle is held to the same rules whichever way it arrived.
func (c Candle) CheckPrices() error {
	// Open and close lying between low and high, low being non-negative and
	// high finite put all four in range; NaN fails every comparison. The
	// reason is worked out only once this fails.
	if c.Low >= 0 && c.High <= math.MaxFloat64 &&
		c.Low <= c.Open && c.Low <= c.Close && c.High >= c.Open && c.High >= c.Close {
		return nil
	}
	return c.priceError()
}

func (c Candle) priceError() error {
	for _, p := range [4]struct {
		name string
		v    float64
	}{{"open", c.Open}, {"high", c.High}, {"low", c.Low}, {"close", c.Close}} {
		switch {
		case math.IsNaN(p.v) || math.IsInf(p.v, 0):
			return fmt.Errorf("%s %s is not a finite number", p.name, formatPrice(p.v))
		case p.v < 0:
			return fmt.Errorf("%s %s is negative", p.name, formatPrice(p.v))
		}
	}
	if c.Low > c.Open || c.Low > c.Close {
		return fmt.Errorf("low %s is above open %s or close %s", formatPrice(c.Low), formatPrice(c.Open), formatPrice(c.Close))
	}
	return fmt.Errorf("high %s is below open %s or close %s", formatPrice(c.High), formatPrice(c.Open), formatPrice(c.Close))
}

// formatPrice writes a price the way Kraken does, in plain decimals:
// "0.00000812", not "8.12e-06".
func formatPrice(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
