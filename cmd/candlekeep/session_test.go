package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitAppleDouble(t *testing.T) {
	for _, tc := range []struct {
		names []string
		other []string
		apple int
	}{
		{names: nil},
		{names: []string{"__MACOSX/master_q4/._XBTUSD_60.csv", "__MACOSX/master_q4/._ETHUSD_1.csv", "master_q4/README.txt"},
			other: []string{"master_q4/README.txt"}, apple: 2},
		{names: []string{"Kraken_OHLCVT/__MACOSX/._A_1.csv", "._XBTUSD_60.csv", "notes/._draft"}, apple: 3},
		{names: []string{"MACOSX.csv", "x._y.csv"}, other: []string{"MACOSX.csv", "x._y.csv"}},
	} {
		other, apple := splitAppleDouble(tc.names)
		if diff := cmp.Diff(tc.other, other); diff != "" || apple != tc.apple {
			t.Errorf("splitAppleDouble(%q): %d apple (want %d), other (-want +got):\n%s", tc.names, apple, tc.apple, diff)
		}
	}
}
