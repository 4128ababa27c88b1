package executor

import (
	"context"

	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
)

// runner is what the executor knows of one kind of action: the coverage
// source it records and how it writes its candles. Checkpointing,
// recording, counting and gap records are shared and name no kind, so a
// new kind is one entry here and its run method.
type runner struct {
	source func(planner.Action) state.Source
	run    func(l *load, ctx context.Context, writers *writerPool) error
}

func fixed(s state.Source) func(planner.Action) state.Source {
	return func(planner.Action) state.Source { return s }
}

// runnerOf is kind's runner; false for a kind this version cannot run.
// A function, not a map variable: the runners reach back to it through
// recording, which Go's initialization order refuses for a variable.
func runnerOf(kind planner.Kind) (runner, bool) {
	switch kind {
	case planner.LoadCSV:
		return runner{source: fixed(state.SourceCSV), run: (*load).loadCSV}, true
	case planner.BackfillAPI:
		return runner{source: fixed(state.SourceAPI), run: (*load).backfill}, true
	case planner.RebuildTrades:
		return runner{source: fixed(state.SourceTrades), run: (*load).rebuild}, true
	case planner.Derive:
		return runner{source: func(a planner.Action) state.Source { return state.DerivedFrom(a.From) }, run: (*load).derive}, true
	}
	return runner{}, false
}
