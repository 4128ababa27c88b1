package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/feefifofunds/candlekeep/planner"
)

// renderWarnings prints the plan's warnings, one line each.
func renderWarnings(w io.Writer, p *planner.Plan, st style) {
	for _, wa := range p.Warnings {
		fmt.Fprintf(w, "%s %s\n", st.yellow("Warning:"), warningText(wa))
	}
}

// warningText words a plan warning.
func warningText(w planner.Warning) string {
	switch w.Code {
	// What the plan leaves out: render_warnings_scope.go.
	case planner.WarnBeforeKrakenHistory, planner.WarnNoLongerConfigured:
		return scopeWarningText(w)
	// Pair names (issue 12: names that exist).
	case planner.WarnUnknownPair:
		return fmt.Sprintf("pair %q is in no dump and not in Kraken's pair list, so nothing is planned for it.%s", w.Pair, didYouMeanAny(w.Hints))
	case planner.WarnPairInternalName:
		if len(w.Hints) == 0 {
			return fmt.Sprintf("pair %q is a Kraken internal name; pairs are configured by altname, so nothing is planned for it.", w.Pair)
		}
		return fmt.Sprintf("pair %q is Kraken's internal name for %q; pairs are configured by altname, as dumps, state and the sink name them, so nothing is planned for it.", w.Pair, w.Hints[0])
	// Files cut short (issue 13: coverage only with evidence).
	case planner.WarnFileEndsEarly, planner.WarnFileEndsEarlyTrusted:
		return earlyEndText(w)
	default:
		return fmt.Sprintf("%s %s", w.Code, w.Series)
	}
}

// didYouMeanAny suggests the names, nearest first, or says nothing.
func didYouMeanAny(names []string) string {
	if len(names) == 0 {
		return ""
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return " Did you mean " + strings.Join(quoted, " or ") + "?"
}
