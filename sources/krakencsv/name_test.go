package krakencsv

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

func TestQuarterFromName(t *testing.T) {
	q4of2018 := ohlc.Span{Start: 1538352000, End: 1546300800} // 2018-10-01 → 2019-01-01
	type result struct {
		Quarter ohlc.Span
		OK      bool
	}
	tests := map[string]result{
		"Kraken_OHLCVT_Q4_2018.zip": {q4of2018, true},
		"kraken_ohlcvt_q4_2018.ZIP": {q4of2018, true},
		"Kraken_OHLCVT_Q4_2018":     {q4of2018, true}, // the unzipped folder
		"KRAKEN_OHLCVT_Q4_2018":     {q4of2018, true},
		"Kraken_OHLCVT_Q5_2018":     {},
		"Kraken_OHLCVT_Q4_2018.tar": {},
		"Kraken_OHLCVT_Q4_2018_old": {},
		"Kraken_OHLCVT.zip":         {},
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			q, ok := QuarterFromName(name)
			if diff := cmp.Diff(want, result{q, ok}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
