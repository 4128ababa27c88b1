package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/feefifofunds/candlekeep/internal/browsertest"
)

// TestReportInBrowser opens the quickstart's HTML report in headless
// Chromium and checks what a person sees: a group per tier × interval, a
// labelled time axis on each, a tooltip naming span and source after
// hovering a stretch, no console errors, no network requests. It saves
// screenshots at 900 and 1400 px wide; skipped without Chromium.
//
//	CANDLEKEEP_SCREENSHOTS=/tmp/ck-shots go test ./cmd/candlekeep -run ReportInBrowser   # keep them
func TestReportInBrowser(t *testing.T) {
	if browsertest.ExecPath() == "" {
		t.Skip("chromium is not installed (apt-get install chromium; .ci/run installs it): skipping the browser test")
	}
	dir := t.TempDir()
	if err := copyQuickstart(dir); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"apply", "-auto-approve", "-no-color", "-now=2026-11-28"},
		{"report", "-now=2026-11-28", "-format=html", "-o", "report.html"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), append([]string{"-chdir=" + dir}, args...), strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Fatalf("candlekeep %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
	}
	page := filepath.Join(dir, "report.html")
	for _, width := range []int{900, 1400} {
		b := browsertest.New(t, width)
		b.Open(page)

		headings := browsertest.Eval[[]string](b, `[...document.querySelectorAll('section.group h2')].map(h => h.firstChild.textContent.trim())`)
		want := []string{"TIER1 · 1h", "TIER1 · 1d", "TIER2 · 1d", "(no tier) · 1h"}
		if strings.Join(headings, "|") != strings.Join(want, "|") {
			t.Errorf("group headings %q, want %q", headings, want)
		}
		// The hourly windows run 2018–2021: yearly ticks.
		axis := browsertest.Eval[[]string](b, `[...document.querySelectorAll('#g-TIER1-60 .axis span')].map(s => s.textContent)`)
		if strings.Join(axis, " ") != "2018 2019 2020 2021" {
			t.Errorf("TIER1 · 1h axis labels %q, want 2018 to 2021", axis)
		}
		// Hover XBTUSD/60's covered stretch: the tooltip names source and span.
		sel := `#g-TIER1-60 .r:nth-of-type(2) .t i.c`
		if name := b.Text(`#g-TIER1-60 .r:nth-of-type(2) b`); name != "XBTUSD/60" {
			t.Fatalf("second TIER1 · 1h row is %q, want XBTUSD/60", name)
		}
		b.Hover(sel)
		tip := browsertest.Eval[string](b, `getComputedStyle(document.querySelector('`+sel+`'), '::after').content`)
		if tip != `"covered from dumps: 2018-01-01 → 2020-10-01"` {
			t.Errorf("tooltip after hovering %s: %s", sel, tip)
		}
		if overflow := browsertest.Eval[bool](b, `document.documentElement.scrollWidth > window.innerWidth`); overflow {
			t.Errorf("the page scrolls sideways at %d px", width)
		}
		b.CheckQuiet()
		b.Screenshot("report-quickstart-" + map[int]string{900: "900", 1400: "1400"}[width] + ".png")
	}
}
