package executor

import (
	"context"

	"github.com/feefifofunds/candlekeep/planner"
	"github.com/feefifofunds/candlekeep/state"
)

// runner is what the executor knows of one kind of action: the coverage
// source it records, how it writes its candles, and the traits the pool
// schedules by. Checkpointing, recording, counting and gap records are
// shared and name no kind, so a new kind is one entry here and its run
// method.
type runner struct {
	source func(planner.Action) state.Source
	run    func(l *load, ctx context.Context, writers *writerPool) error
	// api: it asks Kraken's API, so once a run found the API
	// unreachable the actions of this kind not yet under way are skipped.
	api bool
	// urgent: its source slides with the clock (the API window), so it
	// starts before the others, shortest interval first.
	urgent bool
	// groupable: a small one is read whole and shares commits with
	// other small ones of a worker (isSmall).
	groupable bool
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
		return runner{source: fixed(state.SourceCSV), run: (*load).loadCSV, groupable: true}, true
	case planner.BackfillAPI:
		return runner{source: fixed(state.SourceAPI), run: (*load).backfill, api: true, urgent: true}, true
	case planner.RebuildTrades:
		return runner{source: fixed(state.SourceTrades), run: (*load).rebuild, api: true}, true
	case planner.Derive:
		return runner{source: func(a planner.Action) state.Source { return state.DerivedFrom(a.From) }, run: (*load).derive}, true
	}
	return runner{}, false
}

// traitsOf is kind's runner for its scheduling traits: the zero runner
// (no traits) for a kind this version cannot run, which fails when run.
func traitsOf(kind planner.Kind) runner {
	r, _ := runnerOf(kind)
	return r
}
