package main

import (
	"context"
	"testing"

	"github.com/feefifofunds/candlekeep/state"
)

// useLatestSink makes st read the coverage of the sink an apply set up
// last, as the commands do once they identify it; a state no apply has
// written keeps reading its unclaimed coverage.
func useLatestSink(t testing.TB, st *state.Store) {
	t.Helper()
	recs, err := st.Sinks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) > 0 {
		st.UseSink(recs[0].ID)
	}
}
