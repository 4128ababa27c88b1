package main

import (
	"fmt"
	"io"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
	"github.com/feefifofunds/candlekeep/workspace"
)

// renderSinkNotes says what a reader of the plan must know about the sink:
// that it could not be checked, that its table is new to state, or gone.
func renderSinkNotes(w io.Writer, b workspace.SinkBinding, out style) {
	switch {
	case !b.Checked:
		fmt.Fprintf(w, "%s the sink itself was not checked (%v): this plan trusts state's record of %s.\n\n", out.yellow("Note:"), b.Unchecked, b.Identity)
	case b.Match.ID == state.LegacySink && b.Identity.Exists():
		fmt.Fprintf(w, "%s state predates sink identities: its coverage is taken to be in %s, the sink configured now; the next apply or init records that.\n\n", out.yellow("Note:"), b.Identity)
	case b.Match.ID == state.NoSink && !b.Identity.Exists() && len(b.Match.Others) > 0:
		fmt.Fprintf(w, "%s %s does not exist: state's coverage of its earlier table is gone with it, so everything is planned again.\n\n", out.yellow("Note:"), b.Identity)
	case b.Match.ID == state.NoSink && len(b.Match.Others) > 0:
		fmt.Fprintf(w, "%s %s was created anew since state last saw it: state's coverage of the earlier table does not count for it, so everything is planned again.\n\n", out.yellow("Note:"), b.Identity)
	case b.Match.ID == state.NoSink && (b.Identity.Exists() || b.Match.Known > 0):
		fmt.Fprintf(w, "%s state has no record of %s: everything is planned for it.\n\n", out.yellow("Note:"), b.Identity)
	}
}

// sinkLine names the sink a plan was made for, and says when the sink
// itself was not read; "" for a plan that names none (made by an older
// candlekeep).
func sinkLine(p *planner.Plan) string {
	switch {
	case p.Sink.Kind == "":
		return ""
	case !p.SinkChecked:
		return p.Sink.String() + " (not checked: the sink could not be reached, so state's record of it was planned from)"
	}
	return p.Sink.String()
}

// renderClaimed announces that an upgraded state's coverage of n series
// now belongs to the sink configured now.
func renderClaimed(w io.Writer, n int, sink ohlc.SinkIdentity, out style) {
	if n > 0 {
		fmt.Fprintf(w, "%s state was upgraded: its coverage of %d %s now belongs to sink %s, the sink configured now; nothing is reloaded.\n\n",
			out.yellow("Note:"), n, plural(n, "series", "series"), sink)
	}
}
