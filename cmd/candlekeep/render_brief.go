package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

// renderPlanBrief is the plan as an unattended apply logs it (no
// terminal, approved up front): the summary line, and the unfillable
// gaps counted per tier × interval with the downloads that would fill
// them, instead of every action. A journal read the next morning needs
// what happened, not the 281 lines of a plan nobody approved by hand;
// 'plan', 'state gaps' and 'report' list everything.
func renderPlanBrief(w io.Writer, p *planner.Plan, st style) {
	switch {
	case len(p.Actions) == 0:
		renderPlan(w, p, st) // a line or two already
		return
	case !p.HasChanges():
		fmt.Fprintf(w, "%s Stored candles match the configuration, apart from %s that nothing configured can fill.\n",
			st.green(st.bold("No changes.")), unfillableGaps(p.Summary()))
	default:
		fmt.Fprintf(w, "candlekeep compared the configuration with state and the dumps, as of %s UTC.\n", ohlc.FormatTime(p.Now))
		if s := sinkLine(p); s != "" {
			fmt.Fprintf(w, "Sink: %s.\n", s)
		}
	}
	fmt.Fprintln(w, planSummary(p, st))
	groups := unfillableGroups(p)
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "Unfillable gaps by tier and interval (every one: 'candlekeep state gaps -status=unfillable'):")
	for _, g := range groups {
		tier := g.tier
		if tier == "" {
			tier = "(pairs)"
		}
		known := ""
		if g.known > 0 {
			known = fmt.Sprintf(", %d already known", g.known)
		}
		fmt.Fprintf(w, "  %s %s  %d %s%s, %s candle slots; fill: %s\n", st.yellow("!"), tier+" "+g.interval.Label(),
			g.gaps, plural(g.gaps, "gap", "gaps"), known, count(g.slots), strings.Join(g.fills, "; "))
	}
}

// unfillableGroup counts one tier × interval's unfillable gaps.
type unfillableGroup struct {
	tier     string
	interval ohlc.Interval
	gaps     int
	known    int
	slots    int64
	fills    []string // the downloads that would fill them, sorted
}

func unfillableGroups(p *planner.Plan) []unfillableGroup {
	type key struct {
		tier     string
		interval ohlc.Interval
	}
	byKey := map[key]*unfillableGroup{}
	for _, a := range p.Listing() {
		if a.Kind != planner.Unfillable {
			continue
		}
		tiers := a.Tiers
		if len(tiers) == 0 {
			tiers = []string{""}
		}
		for _, t := range tiers {
			k := key{t, a.Series.Interval}
			g := byKey[k]
			if g == nil {
				g = &unfillableGroup{tier: t, interval: a.Series.Interval}
				byKey[k] = g
			}
			g.gaps++
			if a.Known {
				g.known++
			}
			g.slots += a.Span.Candles(a.Series.Interval)
			if f := fillOf(a); !slices.Contains(g.fills, f) {
				g.fills = append(g.fills, f)
			}
		}
	}
	out := make([]unfillableGroup, 0, len(byKey))
	for _, g := range byKey {
		slices.Sort(g.fills)
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b unfillableGroup) int {
		if (a.tier == "") != (b.tier == "") {
			if a.tier == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.tier, b.tier), cmp.Compare(a.interval, b.interval))
	})
	return out
}

// fillOf is what would fill an unfillable gap, without the file name:
// the download ("Kraken_OHLCVT_Q4_2026.zip, once Kraken publishes it"),
// shared by every pair of a tier.
func fillOf(a planner.Action) string {
	switch a.Suggestion.Fix {
	case planner.FixAddZip, planner.FixCopyFile:
		return a.Suggestion.Zip
	case planner.FixAwaitZip:
		return a.Suggestion.Zip + " once Kraken publishes it"
	}
	return fillText(a)
}
