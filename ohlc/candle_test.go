package ohlc

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCandleCheckPrices(t *testing.T) {
	ok := Candle{Time: 1381093200, Open: 122, High: 123.61, Low: 121.5, Close: 123, Volume: 0.1, Trades: 1}
	with := func(edit func(*Candle)) Candle {
		c := ok
		edit(&c)
		return c
	}
	tests := []struct {
		name    string
		candle  Candle
		wantErr string
	}{
		{"consistent", ok, ""},
		{"all equal", Candle{Open: 5, High: 5, Low: 5, Close: 5}, ""},
		{"all zero", Candle{}, ""},
		{"low above open", with(func(c *Candle) { c.Low = 122.5 }), "low 122.5 is above open 122 or close 123"},
		{"low above close", with(func(c *Candle) { c.Close = 121 }), "low 121.5 is above open 122 or close 121"},
		{"high below close", with(func(c *Candle) { c.High = 122.9 }), "high 122.9 is below open 122 or close 123"},
		{"high below open", with(func(c *Candle) { c.Open, c.Close = 124, 122 }), "high 123.61 is below open 124 or close 122"},
		{"small prices in plain decimals", Candle{Open: 0.0000081, High: 0.0000081, Low: 0.00000812, Close: 0.0000081}, "low 0.00000812 is above open 0.0000081 or close 0.0000081"},
		{"negative low", with(func(c *Candle) { c.Low = -1 }), "low -1 is negative"},
		{"all negative", Candle{Open: -2, High: -1, Low: -3, Close: -2}, "open -2 is negative"},
		{"NaN open", with(func(c *Candle) { c.Open = math.NaN() }), "open NaN is not a finite number"},
		{"infinite high", with(func(c *Candle) { c.High = math.Inf(1) }), "high +Inf is not a finite number"},
		{"infinite everything", Candle{Open: math.Inf(1), High: math.Inf(1), Low: math.Inf(1), Close: math.Inf(1)}, "open +Inf is not a finite number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if err := tt.candle.CheckPrices(); err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tt.wantErr, got); diff != "" {
				t.Errorf("CheckPrices (-want +got):\n%s", diff)
			}
		})
	}
}
