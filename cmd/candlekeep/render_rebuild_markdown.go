package main

import (
	"fmt"
	"strings"

	"github.com/feefifofunds/candlekeep/planner"
)

// rebuildMarkdownSection is the comment's fold of rebuilds from trades,
// with their cost; false when the plan has none.
func rebuildMarkdownSection(actions []planner.Action) (mdSection, bool) {
	var rebuilds []planner.Action
	var trades int64
	requests := 0
	for _, a := range actions {
		if a.Kind == planner.RebuildTrades {
			rebuilds = append(rebuilds, a)
			trades += a.Trades
			requests += a.Requests
		}
	}
	if len(rebuilds) == 0 {
		return mdSection{}, false
	}
	return mdSection{
		summary: fmt.Sprintf("<b><code>^</code> %s %s from Kraken's trades</b>, ~%s trades, ~%s %s", count(int64(len(rebuilds))), plural(len(rebuilds), "rebuild", "rebuilds"),
			count(trades), count(int64(requests)), plural(requests, "request", "requests")),
		blocks: []mdBlock{{header: "| Series | Span | Intervals | Trades (est.) | Requests | Basis |\n|---|---|---|--:|--:|---|\n", rows: seriesRows(rebuilds, func(as []planner.Action) (string, int64) {
			var spans, ivs, basis []string
			var n int64
			req := 0
			for _, a := range as {
				spans = append(spans, compactSpan(a.Span))
				ivs = append(ivs, rebuildIntervals(a))
				basis = append(basis, escapeMarkdown(a.Basis))
				n += a.Trades
				req += a.Requests
			}
			return fmt.Sprintf("%s | %s | %s | %d | %s", strings.Join(spans, "<br>"), strings.Join(ivs, "<br>"), count(n), req, strings.Join(basis, "<br>")), n
		})}},
	}, true
}

// deferredMarkdownSection is the fold of the gaps the rebuild budget
// deferred to the next run; false when none.
func deferredMarkdownSection(deferred []planner.Gap) (mdSection, bool) {
	if len(deferred) == 0 {
		return mdSection{}, false
	}
	as := make([]planner.Action, len(deferred))
	for i, g := range deferred {
		as[i] = g.Action()
	}
	return mdSection{
		summary: fmt.Sprintf("<code>…</code> %s %s deferred (budget): the next run continues", count(int64(len(deferred))), plural(len(deferred), "gap", "gaps")),
		blocks: []mdBlock{{header: "| Series | Span | Candle slots |\n|---|---|--:|\n", rows: seriesRows(as, func(as []planner.Action) (string, int64) {
			var spans []string
			var n int64
			for _, a := range as {
				spans = append(spans, compactSpan(a.Span))
				n += a.Span.Candles(a.Series.Interval)
			}
			return fmt.Sprintf("%s | %s", strings.Join(spans, "<br>"), count(n)), n
		})}},
	}, true
}

// rebuildVerdict is the verdict's part for rebuilds and deferred gaps.
func rebuildVerdict(s planner.Summary) []string {
	var parts []string
	if s.Rebuilds > 0 {
		parts = append(parts, fmt.Sprintf("%s %s from trades (~%s trades, ~%s %s)", count(int64(s.Rebuilds)), plural(s.Rebuilds, "rebuild", "rebuilds"),
			count(s.RebuildTrades), count(int64(s.RebuildRequests)), plural(s.RebuildRequests, "request", "requests")))
	}
	if s.Deferred > 0 {
		parts = append(parts, fmt.Sprintf("%s %s deferred (budget)", count(int64(s.Deferred)), plural(s.Deferred, "gap", "gaps")))
	}
	return parts
}
