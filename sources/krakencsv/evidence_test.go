package krakencsv

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
)

// TestScanMarksMembersEndingEarly: a member ending over a day before its
// pair's other files is marked with where they end; files of a delisted
// pair, ending early together, and files of different intervals holding
// the same last trade are not.
func TestScanMarksMembersEndingEarly(t *testing.T) {
	const day = 86400
	const cutoff = 1601510400 // 2020-10-01
	m := func(pair string, iv ohlc.Interval, last int64) Member {
		return Member{Path: pair, Series: ohlc.Series{Pair: pair, Interval: iv}, Profile: Profile{Rows: 10, First: 1438905600, Last: last}}
	}
	members := []Member{
		m("ETHUSD", 60, 1530363600),     // cut back to 2018-06-30 13:00
		m("ETHUSD", 1440, cutoff-day),   // runs on to the cutoff
		m("ETHUSD", 240, cutoff-4*3600), // so does this one
		m("XBTUSD", 60, cutoff-3600),    // complete
		m("XBTUSD", 1440, cutoff-day),   // the same last trade, a day's candle
		m("LUNAUSD", 60, 1652400000),    // delisted: its files end together
		m("LUNAUSD", 1440, 1652400000-12*3600),
	}
	markEarlyEnds(members)
	got := map[string]int64{}
	for _, mb := range members {
		if mb.EndsEarly != 0 {
			got[mb.Series.String()] = mb.EndsEarly
		}
	}
	want := map[string]int64{"ETHUSD/60": cutoff}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("members ending early (-want +got):\n%s", diff)
	}
}
