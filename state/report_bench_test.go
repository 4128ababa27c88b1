package state_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/feefifofunds/candlekeep/report"
	"github.com/feefifofunds/candlekeep/state"
)

// BenchmarkReport is what `candlekeep report` does on the state of
// bigState: read the snapshot, the gap records and recent runs, and
// compute the per-tier and per-series rows. It also reports the size of
// the HTML page for that state.
//
//	go test ./state -run '^$' -bench Report -benchmem -count 6
func BenchmarkReport(b *testing.B) {
	ctx := context.Background()
	st, cfg, _, now := bigState(b)
	var r *report.Report
	b.ReportAllocs()
	for b.Loop() {
		snap, err := st.Snapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		gaps, err := st.Gaps(ctx, state.GapFilter{Statuses: []state.GapStatus{state.GapOpen, state.GapUnfillable, state.GapFailed}})
		if err != nil {
			b.Fatal(err)
		}
		runs, err := st.Runs(ctx, 50)
		if err != nil {
			b.Fatal(err)
		}
		r = report.Compute(report.Input{Config: cfg, Snapshot: snap, Gaps: gaps, Runs: runs, Now: now})
	}
	if len(r.Series) != 8000 {
		b.Fatalf("report has %d series rows, want 8,000", len(r.Series))
	}
	var html bytes.Buffer
	if err := report.WriteHTML(&html, r); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(html.Len()), "html-bytes")
	// CANDLEKEEP_REPORT_HTML keeps the page, to look at in a browser.
	if path := os.Getenv("CANDLEKEEP_REPORT_HTML"); path != "" {
		if err := os.WriteFile(path, html.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
