package main

import (
	"fmt"
	"io"

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
	default:
		return fmt.Sprintf("%s %s", w.Code, w.Series)
	}
}
