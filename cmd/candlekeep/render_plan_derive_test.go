package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// A derive action names its source series, its estimate and the action it
// waits for.
func TestRenderDerive(t *testing.T) {
	a := planner.Action{Kind: planner.Derive, Series: ohlc.Series{Pair: "XBTUSD", Interval: 720}, From: 60,
		Span: ohlc.Span{Start: 1601510400, End: 1601596800}, Estimate: 2, After: []int{0}, Coverage: []string{"half-days"}}
	var b strings.Builder
	load := planner.Action{Kind: planner.LoadCSV, Series: ohlc.Series{Pair: "XBTUSD", Interval: 60}, Span: a.Span}
	renderSeries(&b, []planner.Action{load, a}, []planner.Action{a}, len(a.Span.String()), style{})
	lines := strings.Split(b.String(), "\n")
	want := "  = derive       " + a.Span.String() + "  from XBTUSD/60, ~2 candles, after load_csv XBTUSD/60 " + a.Span.String()
	if diff := cmp.Diff(want, lines[1]); diff != "" {
		t.Errorf("derive line (-want +got):\n%s", diff)
	}
}
