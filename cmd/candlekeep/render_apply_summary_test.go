package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/executor"
	"github.com/feefifofunds/candlekeep/planner"
)

// An interrupted apply counts the loads the interrupt stopped part way:
// their candles are written, so "0 CSV loads" alone would not add up.
func TestApplySummaryInterrupted(t *testing.T) {
	tests := []struct {
		name string
		res  executor.Result
		want string
	}{
		{"stopped part way", executor.Result{Interrupted: true, Stopped: 3, Skipped: 2, Rows: 3920000, Duration: 4 * time.Second},
			"\nApply interrupted: 0 CSV loads done, 3 stopped part way, 3,920,000 candles written in 4.0s; 2 actions not started. The next apply resumes where this one stopped.\n"},
		{"between actions", executor.Result{Interrupted: true, Done: map[planner.Kind]int{planner.LoadCSV: 1}, Skipped: 1, Rows: 10, Duration: time.Second},
			"\nApply interrupted: 1 CSV load, 10 candles written in 1.0s; 1 action not started. The next apply resumes where this one stopped.\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			v := &applyView{w: &b}
			v.summary(tc.res, 0)
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
		})
	}
}

// Ctrl-D at the approval prompt ends the input: a "no", not an error.
func TestConfirmEndOfInput(t *testing.T) {
	for _, in := range []string{"", "ye", "yes"} {
		var out strings.Builder
		ok, err := confirm(t.Context(), &cliEnv{stdin: strings.NewReader(in), stdout: &out})
		if err != nil || ok != (in == "yes") {
			t.Errorf("input %q then end of input: got %v, %v; want %v, no error", in, ok, err, in == "yes")
		}
	}
}
