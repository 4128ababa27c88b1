package planner

import (
	"fmt"
	"testing"

	"github.com/feefifofunds/candlekeep/config"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/sources/krakencsv"
	"github.com/feefifofunds/candlekeep/state"
)

// benchInput is the sizing: 1,000 pairs × 8 intervals over ten
// years, 100,000 covered spans, 20,000 file records, and a full-history
// dump holding a member per series. The API is enabled, so every series
// but the 720-minute ones ends with a backfill.
func benchInput(b *testing.B) Input {
	const (
		pairs         = 1000
		spansPerSerie = 100000 / (pairs * 8)
		fileRecords   = 20000
	)
	now := at(b, "2026-05-15 10:17")
	from := at(b, "2016-05-15")
	cutoff := at(b, "2026-01-01")
	ivs := []ohlc.Interval{1, 5, 15, 30, 60, 240, 720, 1440}

	names := make([]string, pairs)
	for p := range names {
		names[p] = fmt.Sprintf("P%04dUSD", p)
	}
	cfg := &config.Config{
		API:   config.API{Enabled: true},
		Tiers: []config.Tier{{Name: "ALL", Pairs: names}},
		Coverage: []config.Coverage{{
			Name: "all", Tiers: []string{"ALL"}, Pairs: names, Intervals: ivs,
			Window: config.Window{From: from, ToNow: true},
		}},
	}
	snap := &state.Snapshot{Coverage: make(map[ohlc.Series]ohlc.SpanSet), Files: make(map[state.FileKey]state.FileRecord)}
	var members []krakencsv.Member
	step := (cutoff - from) / spansPerSerie
	for _, pair := range names {
		for _, iv := range ivs {
			s := ohlc.Series{Pair: pair, Interval: iv}
			// Covered spans up to the dump's cutoff with a hole in each
			// step: every series has a dozen loads to plan, then a
			// quarter with no dump and the unpublished one.
			set := make(ohlc.SpanSet, 0, spansPerSerie)
			for k := int64(0); k < spansPerSerie; k++ {
				start := iv.AlignDown(from + k*step)
				set = append(set, ohlc.Span{Start: start, End: iv.AlignDown(start + step*9/10)})
			}
			snap.Coverage[s] = set
			fp := "sha256:" + s.String()
			members = append(members, krakencsv.Member{
				Path: fmt.Sprintf("%s_%d.csv", pair, iv), Series: s, Fingerprint: fp,
				Profile: krakencsv.Profile{Rows: 1 << 20, First: from, Last: cutoff - iv.Seconds()},
			})
		}
	}
	for k := 0; k < fileRecords; k++ {
		fp := fmt.Sprintf("sha256:old-%d", k)
		snap.Files[state.FileKey{Fingerprint: fp}] = state.FileRecord{Fingerprint: fp, Status: state.FileLoaded}
	}
	return Input{
		Config:    cfg,
		State:     snap,
		Inventory: &krakencsv.Inventory{Dumps: []*krakencsv.Dump{{Kind: krakencsv.FullHistory, Cutoff: cutoff, Members: members}}},
		Now:       now,
	}
}

func BenchmarkCompute(b *testing.B) {
	in := benchInput(b)
	b.ReportAllocs()
	var actions int
	for b.Loop() {
		actions = len(Compute(in).Actions)
	}
	b.ReportMetric(float64(actions), "actions/op")
}
