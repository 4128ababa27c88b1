package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// bigPlan has a load and an unfillable gap for each of pairs × 2
// intervals, the pairs spread over three tiers and the direct list.
func bigPlan(pairs int) *planner.Plan {
	p := &planner.Plan{Now: 1795825800}
	tiers := [][]string{{"TIER1"}, {"TIER2"}, {"TIER3"}, nil}
	for i := range pairs {
		for _, iv := range []ohlc.Interval{60, 1440} {
			s := ohlc.Series{Pair: fmt.Sprintf("P%05dUSD", i), Interval: iv}
			p.Actions = append(p.Actions,
				planner.Action{
					Kind: planner.LoadCSV, Series: s, Span: ohlc.Span{Start: 1514764800, End: 1601510400},
					Tiers: tiers[i%4], Estimate: 100,
					CSV: &planner.CSVSource{Dump: "full_2020", Member: s.Pair + "_" + iv.String() + ".csv"},
				},
				planner.Action{
					Kind: planner.Unfillable, Series: s, Span: ohlc.Span{Start: 1601510400, End: 1609459200},
					Tiers: tiers[i%4], Reason: planner.ReasonNoDump,
					Suggestion: planner.Suggestion{Fix: planner.FixAddZip, Zip: "Kraken_OHLCVT_Q4_2020.zip", Member: s.Pair + "_" + iv.String() + ".csv"},
				})
		}
	}
	return listed(p)
}

// listed moves a test plan's actions of kind unfillable to its gaps, as
// planning and reading a saved plan do.
func listed(p *planner.Plan) *planner.Plan {
	p.Actions, p.Gaps = planner.SplitListing(p.Actions)
	return p
}

func TestMarkdownCap(t *testing.T) {
	p := bigPlan(2000) // 8,000 actions, some 1.3 MB uncapped
	const wantVerdict = "**candlekeep plan:** 4,000 CSV loads (400,000 candles), 4,000 unfillable gaps.\n\n" +
		"Planned as of 2026-11-28 00:30 UTC · state serial 0.\n\n"
	const wantTable = "| Tier | Interval | `+` CSV loads | `~` API backfills | `!` Unfillable gaps | Candles (est.) |\n" +
		"|---|---|--:|--:|--:|--:|\n" +
		"| TIER1 | 1h | 500 | 0 | 500 | 50,000 |\n" +
		"| TIER1 | 1d | 500 | 0 | 500 | 50,000 |\n" +
		"| TIER2 | 1h | 500 | 0 | 500 | 50,000 |\n" +
		"| TIER2 | 1d | 500 | 0 | 500 | 50,000 |\n" +
		"| TIER3 | 1h | 500 | 0 | 500 | 50,000 |\n" +
		"| TIER3 | 1d | 500 | 0 | 500 | 50,000 |\n" +
		"| (no tier) | 1h | 500 | 0 | 500 | 50,000 |\n" +
		"| (no tier) | 1d | 500 | 0 | 500 | 50,000 |\n"
	notice := regexp.MustCompile("(?m)^… ([0-9,]+) more actions not shown: the full plan is in the attached plan file \\(`candlekeep show reviewed.tfplan`\\)\\.$")
	row := regexp.MustCompile(`(?m)^\| P\d{5}USD/(60|1440) \| .* \|$`)
	for _, limit := range []int{0, 60000, 20000, 5000} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			var b strings.Builder
			if err := renderMarkdownFor(&b, p, limit, "reviewed.tfplan"); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			capBytes := limit
			if capBytes == 0 {
				capBytes = defaultMarkdownLimit
			}
			if len(out) > capBytes {
				t.Errorf("%d bytes, over the limit of %d", len(out), capBytes)
			}
			if len(out) < capBytes-1000 {
				t.Errorf("%d bytes: the cut wastes more than 1,000 of the %d allowed", len(out), capBytes)
			}
			if !strings.HasPrefix(out, wantVerdict+wantTable) {
				t.Errorf("verdict and table not whole at the top:\n%s", out[:min(len(out), 1200)])
			}
			if !strings.HasSuffix(out, "\n</details>\n") {
				t.Errorf("does not end with </details>: %q", out[max(0, len(out)-200):])
			}
			if o, c := strings.Count(out, "<details"), strings.Count(out, "</details>"); o != 2 || c != 2 {
				t.Errorf("%d folds opened and %d closed, want 2 and 2", o, c)
			}
			// Every action is shown as a row or counted by a notice.
			left := 0
			for _, m := range notice.FindAllStringSubmatch(out, -1) {
				n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
				left += n
			}
			if shown := len(row.FindAllString(out, -1)); shown+left != len(p.Listing()) || left == 0 {
				t.Errorf("%d rows shown and %d counted as not shown, want %d in all, some cut", shown, left, len(p.Listing()))
			}
		})
	}
}

func TestMarkdownUncut(t *testing.T) {
	p := bigPlan(3)
	var b strings.Builder
	if err := renderMarkdown(&b, p, 0); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "not shown") {
		t.Errorf("a plan that fits was cut:\n%s", out)
	}
	for _, want := range []string{
		"<details open><summary><b><code>+</code> 6 CSV loads</b>, 600 candles (est.), biggest first</summary>",
		"<details open><summary><b><code>!</code> 6 unfillable gaps</b>: reported, not changes; what would fill them</summary>",
		// The reason and the download are said once, for the group.
		"**No configured dump holds these candles.** To fill: Kraken\\_OHLCVT\\_Q4\\_2020.zip → each series' file: add the zip as a dump.\n",
		"| P00000USD/60 | 2018-01-01 → 2020-10-01 | 100 | full\\_2020 › P00000USD\\_60.csv |\n",
		"| P00000USD/60 | 2020-10-01 → 2021-01-01 | 92d |\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "each series' file"); n != 1 {
		t.Errorf("the suggestion is said %d times, want once:\n%s", n, out)
	}
}

func TestMarkdownVerdict(t *testing.T) {
	xbt := ohlc.Series{Pair: "XBTUSD", Interval: 60}
	load := planner.Action{Kind: planner.LoadCSV, Series: xbt, Estimate: 47311}
	backfill := planner.Action{Kind: planner.BackfillAPI, Series: xbt, Estimate: 710, Requests: 1}
	gap := planner.Action{Kind: planner.Unfillable, Series: xbt}
	derive := planner.Action{Kind: planner.Derive, Series: ohlc.Series{Pair: "XBTUSD", Interval: 720}, From: 60, Estimate: 60}
	tests := []struct {
		name    string
		actions []planner.Action
		want    string
	}{
		{"nothing", nil, "**candlekeep plan:** no changes."},
		{"only gaps", []planner.Action{gap, gap}, "**candlekeep plan:** no changes; 2 unfillable gaps."},
		{"everything", []planner.Action{load, backfill, backfill, gap},
			"**candlekeep plan:** 1 CSV load (47,311 candles), 2 API backfills (1,420 candles, 2 requests), 1 unfillable gap."},
		{"backfill only", []planner.Action{backfill}, "**candlekeep plan:** 1 API backfill (710 candles, 1 request)."},
		{"derives", []planner.Action{load, derive, derive}, "**candlekeep plan:** 1 CSV load (47,311 candles), 2 derives (120 candles)."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, markdownVerdict(listed(&planner.Plan{Actions: tc.actions}))); diff != "" {
				t.Errorf("verdict (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarkdownNoChanges(t *testing.T) {
	var b strings.Builder
	if err := renderMarkdown(&b, &planner.Plan{}, 0); err != nil {
		t.Fatal(err)
	}
	want := "**candlekeep plan:** no changes.\n\nPlanned as of 1970-01-01 UTC · state serial 0.\n\nStored candles match the configuration.\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"XBTUSD", "XBTUSD"},
		{"a|b", `a\|b`},
		{`back\slash`, `back\\slash`},
		{"*bold* _it_ `code` ~x~", `\*bold\* \_it\_ \` + "`" + `code\` + "`" + ` \~x\~`},
		{"[link](http://x)", `\[link\](http://x)`},
		{"</details><b>", "&lt;/details&gt;&lt;b&gt;"},
		{"@octocat #12 & co", `\@octocat \#12 &amp; co`},
		{"two\nlines\r\nhere", "two lines here"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, escapeMarkdown(tc.in)); diff != "" {
				t.Errorf("escape (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarkdownEscapesNamesInTables(t *testing.T) {
	s := ohlc.Series{Pair: "XBT|USD", Interval: 60}
	p := listed(&planner.Plan{Actions: []planner.Action{
		{Kind: planner.LoadCSV, Series: s, Tiers: []string{"A|B"}, Estimate: 5,
			CSV: &planner.CSVSource{Dump: "dump</details>", Member: "x|y.csv"}},
		{Kind: planner.Unfillable, Series: s, Tiers: []string{"A|B"}, Reason: planner.ReasonNoDump, Suggestion: planner.Suggestion{Fix: planner.FixText, Text: "get q|4.zip"}},
	}})
	var b strings.Builder
	if err := renderMarkdown(&b, p, 0); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"| A\\|B | 1h | 1 | 0 | 1 | 5 |\n",
		"| XBT\\|USD/60 | 1970-01-01 → 1970-01-01 | 5 | dump&lt;/details&gt; › x\\|y.csv |\n",
		"To fill: get q\\|4.zip.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "</details>"); n != 2 {
		t.Errorf("%d closing </details>, want only the two folds' own:\n%s", n, out)
	}
}

// An action asked for through two tiers counts in both rows, as in the
// JSON plan's per-tier totals: each row tells what happens to its tier.
func TestTierRowsCountInEachTier(t *testing.T) {
	s := ohlc.Series{Pair: "XBTUSD", Interval: 1440}
	rows := tierRows([]planner.Action{
		{Kind: planner.LoadCSV, Series: s, Tiers: []string{"TIER1", "TIER2"}, Estimate: 10},
		{Kind: planner.BackfillAPI, Series: s, Tiers: []string{"TIER1", "TIER2"}, Estimate: 7, Requests: 1},
		{Kind: planner.Unfillable, Series: ohlc.Series{Pair: "ETHUSD", Interval: 60}},
		{Kind: planner.Unfillable, Series: ohlc.Series{Pair: "ETHUSD", Interval: 5}, Tiers: []string{"ALPHA"}},
	})
	want := []tierRow{
		{tier: "ALPHA", interval: 5, unfill: 1},
		{tier: "TIER1", interval: 1440, loads: 1, backfills: 1, candles: 17},
		{tier: "TIER2", interval: 1440, loads: 1, backfills: 1, candles: 17},
		{tier: noTier, interval: 60, unfill: 1},
	}
	if diff := cmp.Diff(want, rows, cmp.AllowUnexported(tierRow{})); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestMarkdownCapWithThousandsOfTiers(t *testing.T) {
	p := bigPlan(3000)
	for i := range p.Actions {
		p.Actions[i].Tiers = []string{fmt.Sprintf("TIER%04d", i/2)}
	}
	var b strings.Builder
	if err := renderMarkdown(&b, p, 20000); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if len(out) > 20000 {
		t.Errorf("%d bytes, over the limit of 20,000", len(out))
	}
	for _, want := range []string{"more tier rows not shown.\n", "more actions not shown", "<details>", "\n</details>\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestMarkdownSaysPartial(t *testing.T) {
	p := bigPlan(1)
	p.Targets = []string{"series.P00000USD/60", "tier.A|B"}
	var b strings.Builder
	if err := renderMarkdown(&b, p, 0); err != nil {
		t.Fatal(err)
	}
	want := "**candlekeep plan:** 2 CSV loads (200 candles), 2 unfillable gaps.\n\n" +
		"Planned as of 2026-11-28 00:30 UTC · state serial 0.\n\n" +
		"**Partial plan:** only -target=series.P00000USD/60 and -target=tier.A\\|B were planned; the rest of the configuration was not looked at.\n\n| Tier |"
	if !strings.HasPrefix(b.String(), want) {
		t.Errorf("output does not start with %q:\n%s", want, b.String())
	}
}
