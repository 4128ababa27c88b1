package state_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/feefifofunds/candlekeep/internal/browsertest"
	"github.com/feefifofunds/candlekeep/report"
	"github.com/feefifofunds/candlekeep/state"
)

// bigReportHTML writes the HTML report of bigState (8,000 series) to a
// file and returns its path and size.
func bigReportHTML(b *testing.B) (string, int) {
	ctx := context.Background()
	st, cfg, _, now := bigState(b)
	snap, err := st.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	gaps, err := st.Gaps(ctx, state.GapFilter{Statuses: []state.GapStatus{state.GapOpen, state.GapUnfillable, state.GapFailed}})
	if err != nil {
		b.Fatal(err)
	}
	var page bytes.Buffer
	if err := report.WriteHTML(&page, report.Compute(report.Input{Config: cfg, Snapshot: snap, Gaps: gaps, Now: now})); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "report.html")
	if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return path, page.Len()
}

// BenchmarkReportFirstRender is how long Chromium takes to show the first
// screen of the 8,000-series report: navigation to the first group drawn,
// and first-contentful-paint as the page measures it. Not a timed test:
// the figure is for docs/performance.md. It also keeps screenshots of the
// first screen at 900 and 1400 px (CANDLEKEEP_SCREENSHOTS=DIR keeps them).
//
//	go test ./state -run '^$' -bench ReportFirstRender -benchtime 5x
func BenchmarkReportFirstRender(b *testing.B) {
	path, size := bigReportHTML(b)
	if size > 5<<20 {
		b.Errorf("the 8,000-series report is %d bytes, over 5 MB", size)
	}
	for _, width := range []int{900, 1400} {
		br := browsertest.New(b, width)
		br.Open(path)
		br.CheckQuiet()
		br.ViewportShot(map[int]string{900: "report-8000-900.png", 1400: "report-8000-1400.png"}[width])
	}
	br := browsertest.New(b, 1400)
	u := "file://" + path
	var fcp float64
	for b.Loop() {
		if err := chromedp.Do(br.Ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("section.group .r"))); err != nil {
			b.Fatal(err)
		}
		fcp = browsertest.Eval[float64](br, `performance.getEntriesByName('first-contentful-paint').map(e => e.startTime).concat([0])[0]`)
	}
	b.ReportMetric(fcp, "fcp-ms")
	b.ReportMetric(float64(size), "html-bytes")
}
