package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/workspace"
)

// The -json event stream says which candles were lost, one line per lost
// stretch, with the severity its coverage block gives it.
func TestLostJSONEvents(t *testing.T) {
	cfg := &config.Config{Coverage: []config.Coverage{
		{Name: "fast", LostSeverity: config.SeverityError},
		{Name: "slow", LostSeverity: config.SeverityWarn},
	}}
	day := int64(86400)
	p := &planner.Plan{Actions: []planner.Action{
		{Kind: planner.Unfillable, Series: ohlc.Series{Pair: "XBTUSD", Interval: 5}, Coverage: []string{"fast"},
			Span: ohlc.Span{Start: 0, End: 3 * day}, Lost: ohlc.Span{Start: day, End: day + 3600}, Suggestion: planner.Suggestion{Fix: planner.FixAddZip, Zip: "Kraken_OHLCVT_Q1_2026.zip", Member: "XBTUSD_5.csv"}},
		{Kind: planner.Unfillable, Series: ohlc.Series{Pair: "ETHUSD", Interval: 5}, Coverage: []string{"slow"},
			Span: ohlc.Span{Start: 0, End: day}}, // unfillable, nothing lost: no line
		{Kind: planner.Unfillable, Series: ohlc.Series{Pair: "ADAUSD", Interval: 15}, Coverage: []string{"slow"},
			Span: ohlc.Span{Start: 0, End: day}, Lost: ohlc.Span{Start: 0, End: 1800}},
	}}
	var buf bytes.Buffer
	lost, _ := workspace.Lost(cfg, p)
	writeLostJSON(&buf, lost)
	type line struct {
		Type, Series, Severity, Fill string
		Span                         ohlc.JSONSpan
		Candles                      int64
	}
	var got []line
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var l line
		if err := dec.Decode(&l); err != nil {
			t.Fatal(err)
		}
		got = append(got, l)
	}
	want := []line{
		{Type: "candles_lost", Series: "XBTUSD/5", Severity: "error", Fill: "Kraken_OHLCVT_Q1_2026.zip → XBTUSD_5.csv: add the zip as a dump",
			Span: ohlc.JSONSpan{Start: "1970-01-02T00:00:00Z", End: "1970-01-02T01:00:00Z"}, Candles: 12},
		{Type: "candles_lost", Series: "ADAUSD/15", Severity: "warn",
			Span: ohlc.JSONSpan{Start: "1970-01-01T00:00:00Z", End: "1970-01-01T00:30:00Z"}, Candles: 2},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("candles_lost lines (-want +got):\n%s", diff)
	}
}
