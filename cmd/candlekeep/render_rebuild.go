package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/feefifofunds/candlekeep/planner/planfile"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// rebuildCost is a rebuild's estimate as the plan shows it: "~41,000
// trades, ~42 requests, ~42.0s at 1/s".
func rebuildCost(trades int64, requests int, d time.Duration, rate float64) string {
	s := fmt.Sprintf("~%s trades, ~%s %s, ~%s", count(trades), count(int64(requests)), plural(requests, "request", "requests"), seconds(d))
	if rate > 0 {
		s += " at " + rateText(rate)
	}
	return s
}

// rateText writes a request rate as the configuration does: "1/s",
// "30/m", "0.5/h".
func rateText(perSecond float64) string {
	unit, n := "s", perSecond
	switch {
	case perSecond*60 < 1:
		unit, n = "h", perSecond*3600
	case perSecond < 1:
		unit, n = "m", perSecond*60
	}
	return strconv.FormatFloat(n, 'g', 4, 64) + "/" + unit
}

// rebuildIntervals lists the intervals a rebuild builds: "60, 1440".
func rebuildIntervals(a planner.Action) string {
	ivs := make([]string, len(a.Builds))
	for i, b := range a.Builds {
		ivs[i] = b.Interval.String()
	}
	return strings.Join(ivs, ", ")
}

// renderRebuildAction is a rebuild's line under its series in the plan.
func renderRebuildAction(w io.Writer, a planner.Action, width int, st style) {
	fmt.Fprintf(w, "  %s rebuild      %-*s  Kraken trades → %s %s, %s (estimate from %s)\n", st.green("^"), width, a.Span,
		plural(len(a.Builds), "interval", "intervals"), rebuildIntervals(a), rebuildCost(a.Trades, a.Requests, a.Duration, a.Rate), a.Basis)
	for _, b := range a.Builds {
		if b.Span != a.Span {
			fmt.Fprintf(w, "                 %*s  %s\n", width, "", st.dim(fmt.Sprintf("%s: %s", ohlc.Series{Pair: a.Series.Pair, Interval: b.Interval}, b.Span)))
		}
	}
}

// rebuildSummary is the plan summary's part for rebuilds, "" without
// any: "1 rebuild (~41,000 trades, ~42 requests, ~42.0s at 1/s)".
func rebuildSummary(p *planner.Plan) string {
	s := p.Summary()
	if s.Rebuilds == 0 && s.Deferred == 0 {
		return ""
	}
	var rate float64
	for _, a := range p.Actions {
		if a.Kind == planner.RebuildTrades {
			rate = a.Rate
		}
	}
	out := fmt.Sprintf(", %d %s", s.Rebuilds, plural(s.Rebuilds, "rebuild", "rebuilds"))
	if s.Rebuilds > 0 {
		out += " (" + rebuildCost(s.RebuildTrades, s.RebuildRequests, s.RebuildDuration, rate) + ")"
	}
	if s.Deferred > 0 {
		out += fmt.Sprintf(", %d %s deferred (budget)", s.Deferred, plural(s.Deferred, "gap", "gaps"))
	}
	return out
}

// renderDeferred lists the gaps the rebuild budget left for the next run.
func renderDeferred(w io.Writer, p *planner.Plan, st style) {
	if len(p.Deferred) == 0 {
		return
	}
	fmt.Fprintf(w, "%s\n", st.bold("Deferred by the rebuild budget (the next run continues):"))
	width := 0
	for _, g := range p.Deferred {
		width = max(width, len(g.Span.String()))
	}
	for _, g := range p.Deferred {
		fmt.Fprintf(w, "  %s %-13s %-*s  deferred (budget)\n", st.yellow("…"), g.Series, width, g.Span)
	}
	fmt.Fprintf(w, "  %s\n\n", st.dim(planfile.SuggestionText(p.Deferred[0].Series, p.Deferred[0].Suggestion)))
}

// rebuildProgressLine is a running rebuild's progress: "XBTUSD/60
// [2024-01-01, 2024-01-05): trades to 2024-01-02 13:00, 40,213 trades
// (1,830/s), 41 requests, 37 candles (1/s), ETA 1m3s".
func rebuildProgressLine(e executor.RebuildProgress) string {
	trades, rows := perSecond(e.Trades, e.Elapsed), perSecond(e.Rows, e.Elapsed)
	return fmt.Sprintf("%s: trades to %s, %s trades (%s/s), %d %s, %s %s (%s/s), ETA %s", actionTitle(e.Action), ohlc.FormatTime(e.Reached),
		count(e.Trades), count(trades), e.Requests, plural(e.Requests, "request", "requests"), count(e.Rows),
		plural(int(min(e.Rows, 2)), "candle", "candles"), count(rows), seconds(e.Left))
}

// rebuildBarText is a running rebuild in the progress bar's description,
// beside the other running series: "XBTUSD/5 trades to 2026-11-27 12:00,
// 3,000 trades/s, ETA 6.0s".
func rebuildBarText(e executor.RebuildProgress) string {
	return fmt.Sprintf("%s trades to %s, %s trades/s, ETA %s", e.Action.Series, ohlc.FormatTime(e.Reached),
		count(perSecond(e.Trades, e.Elapsed)), seconds(e.Left))
}

// perSecond is n over d, per second; 0 for no time.
func perSecond(n int64, d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(float64(n) / d.Seconds())
}

// crossCheckLine reports what a rebuild found comparing candles the sink
// already held.
func crossCheckLine(e executor.CrossChecked) string {
	if e.Differ == 0 {
		return fmt.Sprintf("%s: cross-check: the %s %s the sink held match the rebuilt ones", actionTitle(e.Action), count(e.Compared), plural(int(min(e.Compared, 2)), "candle", "candles"))
	}
	return fmt.Sprintf("%s: cross-check: %s of %s %s the sink held differ from the rebuilt ones (kept as stored); first: %s", actionTitle(e.Action),
		count(e.Differ), count(e.Compared), plural(int(min(e.Compared, 2)), "candle", "candles"), e.First)
}
