package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/internal/browsertest"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// smallPlan has one of everything a reviewer meets: loads, a backfill,
// new and known unfillable gaps, a warning, a sink.
func smallPlan() *planner.Plan {
	xbt, eth, ada := ohlc.Series{Pair: "XBTUSD", Interval: 60}, ohlc.Series{Pair: "ETHUSD", Interval: 1440}, ohlc.Series{Pair: "ADAUSD", Interval: 5}
	day := func(s string) int64 { t, _ := ohlc.ParseTime(s); return t }
	return listed(&planner.Plan{
		Now: day("2026-11-28"), Serial: 42,
		Sink:        ohlc.SinkIdentity{Kind: "questdb", Address: "questdb.internal:9000", Table: "candles"},
		SinkChecked: true,
		Actions: []planner.Action{
			{Kind: planner.LoadCSV, Series: eth, Tiers: []string{"TIER1"}, Span: ohlc.Span{Start: day("2019-01-01"), End: day("2021-04-01")}, Estimate: 821,
				CSV: &planner.CSVSource{Dump: "daily_2021", Member: "Kraken_OHLCVT/ETHUSD_1440.csv"}},
			{Kind: planner.Unfillable, Series: eth, Tiers: []string{"TIER1"}, Span: ohlc.Span{Start: day("2021-04-01"), End: day("2022-07-01")},
				Reason: planner.ReasonOlderThanAPIWindow, Suggestion: planner.Suggestion{Fix: planner.FixAddZip, Zip: "Kraken_OHLCVT.zip", Member: "ETHUSD_1440.csv"}},
			{Kind: planner.LoadCSV, Series: xbt, Tiers: []string{"TIER1"}, Span: ohlc.Span{Start: day("2018-01-01"), End: day("2020-10-01")}, Estimate: 19826,
				CSV: &planner.CSVSource{Dump: "hourly_2020", Member: "XBTUSD_60.csv"}},
			{Kind: planner.LoadCSV, Series: xbt, Tiers: []string{"TIER1"}, Span: ohlc.Span{Start: day("2020-10-01"), End: day("2021-01-01")}, Estimate: 2208,
				CSV: &planner.CSVSource{Dump: "Kraken_OHLCVT_Q4_2020.zip", Member: "XBTUSD_60.csv"}},
			{Kind: planner.BackfillAPI, Series: xbt, Tiers: []string{"TIER1"}, Span: ohlc.Span{Start: day("2026-10-31"), End: day("2026-11-28")}, Estimate: 672, Requests: 1},
			{Kind: planner.Unfillable, Series: xbt, Tiers: []string{"TIER1"}, Span: ohlc.Span{Start: day("2021-01-01"), End: day("2026-10-31")}, Known: true,
				Reason: planner.ReasonOlderThanAPIWindow, Suggestion: planner.Suggestion{Fix: planner.FixAddZip, Zip: "Kraken_OHLCVT.zip", Member: "XBTUSD_60.csv"}},
			{Kind: planner.Unfillable, Series: ada, Span: ohlc.Span{Start: day("2026-11-01"), End: day("2026-11-25")},
				Reason: planner.ReasonNotInCSV},
		},
		Warnings: []planner.Warning{{Code: planner.WarnNoLongerConfigured, Series: ohlc.Series{Pair: "XMRUSD", Interval: 1440}, Candles: 821}},
	})
}

// TestMarkdownGFM renders small and large comments with cmark-gfm,
// GitHub's own renderer, and checks what a reviewer gets: the headline,
// whole tables, folds. With Chromium it also screenshots them at a
// GitHub comment's width and checks that nothing scrolls sideways.
//
//	CANDLEKEEP_UPDATE_GOLDEN=1 go test ./cmd/candlekeep -run GFM   # rewrite the golden files
//	CANDLEKEEP_SCREENSHOTS=/tmp/ck-shots go test ./cmd/candlekeep -run GFM   # keep the PNGs
func TestMarkdownGFM(t *testing.T) {
	tests := []struct {
		name         string
		plan         *planner.Plan
		limit        int
		tables       int // tables in the rendered HTML
		folds        int
		headline     string
		wantInResult []string
	}{
		{"small", smallPlan(), 0, 6, 4, "<p><strong>candlekeep plan:</strong> 3 CSV loads (22,855 candles), 1 API backfill (672 candles, 1 request), 2 new unfillable gaps (1 already known), 1 series no longer configured (kept in the sink).</p>",
			[]string{"<summary><b><code>+</code> 3 CSV loads</b>", "<td>2018-01-01 → 2020-10-01<br>2020-10-01 → 2021-01-01</td>", "Directory <code>prod</code>"}},
		{"large", bigPlan(2000), 12000, 3, 2, "<p><strong>candlekeep plan:</strong> 4,000 CSV loads (400,000 candles), 4,000 unfillable gaps.</p>",
			[]string{"more actions not shown"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var md strings.Builder
			if err := renderMarkdownIn(&md, tc.plan, markdownOptions{limit: tc.limit, planFile: "plan.tfplan", dir: "prod"}); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "markdown", tc.name+".md"), md.String())

			if _, err := exec.LookPath("cmark-gfm"); err != nil {
				t.Skip("cmark-gfm is not installed (apt-get install cmark-gfm; .ci/run installs it): skipping the rendered checks")
			}
			html := gfm(t, md.String())
			if !strings.HasPrefix(html, tc.headline) {
				t.Errorf("rendered comment does not start with the headline %q:\n%s", tc.headline, html[:min(len(html), 400)])
			}
			if n := strings.Count(html, "<table>"); n != tc.tables {
				t.Errorf("%d tables, want %d", n, tc.tables)
			}
			if o, c := strings.Count(html, "<details"), strings.Count(html, "</details>"); o != tc.folds || c != tc.folds {
				t.Errorf("%d folds opened and %d closed, want %d", o, c, tc.folds)
			}
			checkTableShapes(t, html)
			// A pipe left in a paragraph is a table GitHub did not read.
			for _, p := range regexp.MustCompile(`(?s)<p>(.*?)</p>`).FindAllStringSubmatch(html, -1) {
				if strings.Contains(p[1], "| ") {
					t.Errorf("a paragraph holds table syntax: %q", p[1])
				}
			}
			for _, want := range tc.wantInResult {
				if !strings.Contains(html, want) {
					t.Errorf("rendered comment lacks %q", want)
				}
			}
			screenshotComment(t, tc.name, html)
		})
	}
}

// gfm renders markdown as GitHub does. --unsafe keeps the raw HTML of
// the folds, which GitHub's sanitizer allows.
func gfm(t *testing.T, md string) string {
	t.Helper()
	cmd := exec.Command("cmark-gfm", "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink")
	cmd.Stdin = strings.NewReader(md)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("cmark-gfm: %v: %s", err, errb.String())
	}
	return out.String()
}

// checkTableShapes fails when a row of a rendered table has another
// number of cells than its header: a split cell or a broken row.
func checkTableShapes(t *testing.T, html string) {
	t.Helper()
	cell := regexp.MustCompile(`<t[hd][ >]`)
	for i, table := range regexp.MustCompile(`(?s)<table>.*?</table>`).FindAllString(html, -1) {
		rows := regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(table, -1)
		if len(rows) < 2 {
			t.Errorf("table %d has %d rows", i, len(rows))
			continue
		}
		want := len(cell.FindAllString(rows[0], -1))
		for _, r := range rows[1:] {
			if got := len(cell.FindAllString(r, -1)); got != want {
				t.Errorf("table %d: a row has %d cells, the header %d: %s", i, got, want, r)
			}
		}
	}
}

// githubCSS is enough of GitHub's comment stylesheet to judge a layout:
// its font, table borders and padding, and tables that scroll sideways
// when too wide, as GitHub's do.
const githubCSS = `body { margin: 0; background: #fff; }
.comment { width: 900px; box-sizing: border-box; border: 1px solid #d0d7de; border-radius: 6px; }
.markdown-body { padding: 16px; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; word-wrap: break-word; }
.markdown-body p, .markdown-body table, .markdown-body details { margin: 0 0 16px; }
.markdown-body table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0; border-collapse: collapse; }
.markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d0d7de; }
.markdown-body th { font-weight: 600; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body code { padding: .2em .4em; font: 85% ui-monospace, SFMono-Regular, Menlo, monospace; background: rgba(175,184,193,.2); border-radius: 6px; }
.markdown-body summary { cursor: pointer; }
.markdown-body ul { padding-left: 2em; }`

// screenshotComment shows the rendered comment in Chromium at 900 px and
// checks that no table scrolls sideways there.
func screenshotComment(t *testing.T, name, html string) {
	if browsertest.ExecPath() == "" {
		t.Log("chromium is not installed: no screenshot of the comment")
		return
	}
	page := "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>" + githubCSS + "</style></head><body><div class=\"comment\"><div class=\"markdown-body\">" + html + "</div></div></body></html>"
	path := filepath.Join(t.TempDir(), "comment.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t, 940)
	b.Open(path)
	b.Screenshot(fmt.Sprintf("comment-%s-900.png", name))
	// Folded tables have no width: open every fold, as a reviewer would.
	browsertest.Eval[int](b, `(() => { const ds = document.querySelectorAll('details'); ds.forEach(d => d.open = true); return ds.length; })()`)
	wide := browsertest.Eval[[]string](b, `[...document.querySelectorAll('.markdown-body table')].filter(t => t.scrollWidth > t.clientWidth + 1).map(t => t.rows[0].innerText)`)
	for _, h := range wide {
		t.Errorf("a table scrolls sideways at 900 px: %q", h)
	}
	b.CheckQuiet()
	b.Screenshot(fmt.Sprintf("comment-%s-900-open.png", name))
}

// golden compares got with the file at path, or rewrites the file when
// CANDLEKEEP_UPDATE_GOLDEN is set.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if os.Getenv("CANDLEKEEP_UPDATE_GOLDEN") != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (CANDLEKEEP_UPDATE_GOLDEN=1 writes it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}
