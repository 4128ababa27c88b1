package main

import (
	"fmt"
	"strings"

	"github.com/feefifofunds/candlekeep/planner"
)

// markdownWarningsShown caps the warnings a comment lists, so a
// configuration that dropped thousands of series still fits the limit.
const markdownWarningsShown = 20

// writeMarkdownWarnings lists the plan's warnings under the verdict.
func writeMarkdownWarnings(b *strings.Builder, ws []planner.Warning, planFile string) {
	if len(ws) == 0 {
		return
	}
	b.WriteString("\n**Warnings:**\n\n")
	for i, w := range ws {
		if i == markdownWarningsShown {
			fmt.Fprintf(b, "- … %s more not shown (`candlekeep show %s`).\n", count(int64(len(ws)-i)), planFile)
			break
		}
		fmt.Fprintf(b, "- %s\n", escapeMarkdown(warningText(w)))
	}
}

// unfillableCell is the summary table's unfillable gaps: "14", or, in a
// plan where state already recorded some, "4 new, 10 known", "4 new" or
// "10 known".
func unfillableCell(n, known int, anyKnown bool) string {
	switch {
	case !anyKnown || n == 0:
		return count(int64(n))
	case known == 0:
		return count(int64(n)) + " new"
	case known == n:
		return count(int64(n)) + " known"
	}
	return fmt.Sprintf("%s new, %s known", count(int64(n-known)), count(int64(known)))
}

// anyKnown reports whether a plan's unfillable gaps include one state
// already recorded.
func anyKnown(actions []planner.Action) bool {
	for _, a := range actions {
		if a.Kind == planner.Unfillable && a.Known {
			return true
		}
	}
	return false
}

// warningsVerdict is the warnings' part of the verdict: series the
// configuration dropped are named as such, as part of what the change
// does; the others are counted.
func warningsVerdict(ws []planner.Warning) string {
	dropped := 0
	for _, w := range ws {
		if w.Code == planner.WarnNoLongerConfigured {
			dropped++
		}
	}
	var parts []string
	if dropped > 0 {
		parts = append(parts, fmt.Sprintf("%s %s no longer configured (kept in the sink)", count(int64(dropped)), plural(dropped, "series", "series")))
	}
	if n := len(ws) - dropped; n > 0 {
		parts = append(parts, fmt.Sprintf("%s %s", count(int64(n)), plural(n, "warning", "warnings")))
	}
	return strings.Join(parts, ", ")
}
