package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// reasonText explains an unfillable reason code to a person.
var reasonText = map[planner.Reason]string{
	planner.ReasonNoDump:             "no configured dump holds these candles",
	planner.ReasonNotPublished:       "Kraken has not yet published a download for this quarter",
	planner.ReasonNotInCSV:           "Kraken's CSV downloads do not carry this interval",
	planner.ReasonFileFailed:         "the only file that holds these candles failed to load",
	planner.ReasonOlderThanAPIWindow: "older than the REST API reaches, and no configured dump holds these candles",
	planner.ReasonNotInAPI:           "the REST API does not serve this interval, and no configured dump holds these candles",
}

func describeReason(r planner.Reason) string {
	if t, ok := reasonText[r]; ok {
		return t
	}
	return strings.ReplaceAll(string(r), "_", " ")
}

// renderPlan writes the plan as text for a terminal or a log.
func renderPlan(w io.Writer, p *planner.Plan, st style) {
	list := p.Listing() // gaps shown among the actions they lie between
	switch {
	case len(list) == 0 && len(p.Warnings) > 0:
		// Not silent: the warnings follow the plan.
		what := "the warning"
		if n := len(p.Warnings); n > 1 {
			what = fmt.Sprintf("the %d warnings", n)
		}
		fmt.Fprintf(w, "%s Nothing to load or backfill; read %s below.\n", st.green(st.bold("No changes.")), what)
		return
	case len(list) == 0:
		fmt.Fprintln(w, st.green(st.bold("No changes."))+" Stored candles match the configuration.")
		return
	case !p.HasChanges():
		fmt.Fprintf(w, "%s Stored candles match the configuration, apart from %s that nothing configured can fill\n(add the downloads named below as dumps):\n\n",
			st.green(st.bold("No changes.")), unfillableGaps(p.Summary()))
	default:
		fmt.Fprintf(w, "candlekeep compared the configuration with state and the dumps, as of %s UTC.\n", ohlc.FormatTime(p.Now))
		if s := sinkLine(p); s != "" {
			fmt.Fprintf(w, "Sink: %s.\n", s)
		}
		// Like Terraform, the legend lists only the symbols the plan uses.
		s := p.Summary()
		fmt.Fprintln(w, "Actions are shown with these symbols:")
		if s.Loads > 0 {
			fmt.Fprintf(w, "  %s load from a CSV dump\n", st.green("+"))
		}
		if s.Backfills > 0 {
			fmt.Fprintf(w, "  %s backfill from Kraken's REST API\n", st.green("~"))
		}
		if s.Derives > 0 {
			fmt.Fprintf(w, "  %s derive from a shorter interval the sink holds\n", st.green("="))
		}
		if s.Rebuilds > 0 {
			fmt.Fprintf(w, "  %s rebuild from Kraken's trade history\n", st.green("^"))
		}
		if s.Unfillable > 0 {
			fmt.Fprintf(w, "  %s unfillable gap: reported, not a change\n", st.yellow("!"))
		}
		fmt.Fprintln(w)
	}
	width := spanWidth(list) // once: per series it was quadratic
	for i := 0; i < len(list); {
		j := i
		for j < len(list) && list[j].Series == list[i].Series {
			j++
		}
		renderSeries(w, p.Actions, list[i:j], width, st)
		i = j
	}
	renderDeferred(w, p, st)
	fmt.Fprintln(w, planSummary(p, st))
}

// spanWidth is the width of the span column: the longest span of the plan,
// so columns line up across series.
func spanWidth(actions []planner.Action) int {
	width := 0
	for _, a := range actions {
		width = max(width, len(a.Span.String()))
	}
	return width
}

// renderSeries writes one series' part of the listing; all are the
// plan's actions, which a derive's After indexes.
func renderSeries(w io.Writer, all, actions []planner.Action, width int, st style) {
	a := actions[0]
	var from []string
	for _, c := range a.Coverage {
		from = append(from, fmt.Sprintf("coverage %q", c))
	}
	if len(a.Tiers) > 0 {
		from = append(from, plural(len(a.Tiers), "tier ", "tiers ")+strings.Join(a.Tiers, ", "))
	}
	fmt.Fprintf(w, "%s  %s\n", st.bold(a.Series.String()), st.dim("("+strings.Join(from, "; ")+")"))
	for _, a := range actions {
		switch a.Kind {
		case planner.LoadCSV:
			src := ""
			if a.CSV != nil {
				src = a.CSV.Dump + " › " + a.CSV.Member
			}
			fmt.Fprintf(w, "  %s load_csv     %-*s  %s, ~%s candles\n", st.green("+"), width, a.Span, src, count(a.Estimate))
		case planner.BackfillAPI:
			prov := ""
			if !a.Provisional.Empty() {
				// Fetched too soon after they closed: Kraken may have
				// revised them since.
				prov = st.dim(", again " + a.Provisional.String() + " (provisional)")
			}
			fmt.Fprintf(w, "  %s backfill_api %-*s  Kraken REST API, up to %s candles, %d %s%s\n", st.green("~"), width, a.Span, count(a.Estimate), a.Requests, plural(a.Requests, "request", "requests"), prov)
		case planner.Derive:
			fmt.Fprintf(w, "  %s derive       %-*s  from %s, ~%s candles%s\n", st.green("="), width, a.Span, ohlc.Series{Pair: a.Series.Pair, Interval: a.From}, count(a.Estimate), waitsFor(all, a))
		case planner.RebuildTrades:
			renderRebuildAction(w, a, width, st)
		case planner.Unfillable:
			mark := knownMark(a)
			if mark != "" {
				mark = st.dim(mark)
			}
			fmt.Fprintf(w, "  %s unfillable   %-*s  %s%s\n", st.yellow("!"), width, a.Span, describeReason(a.Reason), mark)
			if a.Suggestion != (planner.Suggestion{}) {
				fmt.Fprintf(w, "                 %*s  %s\n", width, "", st.dim("fill: "+fillText(a)))
			}
		default:
			fmt.Fprintf(w, "  ? %-11s %s\n", a.Kind, a.Span)
		}
	}
	fmt.Fprintln(w)
}

// waitsFor names the actions a derive waits for: the one by its kind and
// span (the listing is not numbered), several by their count.
func waitsFor(all []planner.Action, a planner.Action) string {
	switch {
	case len(a.After) == 0:
		return ""
	case len(a.After) == 1 && a.After[0] < len(all):
		dep := all[a.After[0]]
		return fmt.Sprintf(", after %s %s %s", dep.Kind, dep.Series, dep.Span)
	}
	return fmt.Sprintf(", after %d actions of %s", len(a.After), ohlc.Series{Pair: a.Series.Pair, Interval: a.From})
}

// planSummary is the one-line count: "Plan: 3 CSV loads (1,234,567
// candles), 0 API backfills, 2 unfillable gaps."
func planSummary(p *planner.Plan, st style) string {
	s := p.Summary()
	backfills := fmt.Sprintf("%d API %s", s.Backfills, plural(s.Backfills, "backfill", "backfills"))
	if s.Backfills > 0 {
		backfills += fmt.Sprintf(" (up to %s candles, %d %s)", count(s.BackfillCandles), s.Requests, plural(s.Requests, "request", "requests"))
	}
	if s.Derives > 0 {
		backfills += fmt.Sprintf(", %d %s (%s candles)", s.Derives, plural(s.Derives, "derive", "derives"), count(s.DeriveCandles))
	}
	return fmt.Sprintf("%s %d CSV %s (%s candles), %s%s, %s.",
		st.bold("Plan:"), s.Loads, plural(s.Loads, "load", "loads"), count(s.LoadCandles),
		backfills, rebuildSummary(p), unfillableCount(s))
}
