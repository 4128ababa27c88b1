package executor

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/planner"
)

func TestWaves(t *testing.T) {
	after := func(deps ...int) planner.Action { return planner.Action{Kind: planner.LoadCSV, After: deps} }
	tests := []struct {
		name    string
		actions []planner.Action
		want    [][]int
	}{
		{"none wait: one wave", []planner.Action{after(), after(), after()}, [][]int{{0, 1, 2}}},
		{"a chain", []planner.Action{after(1), after(2), after()}, [][]int{{2}, {1}, {0}}},
		{"two sources, one derived", []planner.Action{after(), after(), after(0, 1)}, [][]int{{0, 1}, {2}}},
		{"a cycle comes last", []planner.Action{after(1), after(0), after()}, [][]int{{2}, {0, 1}}},
		{"a missing action comes last", []planner.Action{after(7), after()}, [][]int{{1}, {0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := &planner.Plan{Actions: tc.actions}
			work := make([]int, len(tc.actions))
			for i := range work {
				work[i] = i
			}
			if diff := cmp.Diff(tc.want, waves(plan, work)); diff != "" {
				t.Errorf("waves (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBlocked(t *testing.T) {
	plan := &planner.Plan{Actions: []planner.Action{{Kind: planner.LoadCSV}, {Kind: planner.LoadCSV}, {Kind: planner.LoadCSV, After: []int{0, 1}}, {Kind: planner.LoadCSV, After: []int{5}}}}
	work := []int{0, 1, 2, 3}
	done := []bool{true, true, false, false}
	tests := []struct {
		name     string
		outcomes []outcome
		idx      int
		blocked  bool
	}{
		{"sources complete", []outcome{{}, {}, {}, {}}, 2, false},
		{"a source failed", []outcome{{}, {err: ErrInterrupted}, {}, {}}, 2, true},
		{"a source skipped", []outcome{{skipped: true}, {}, {}, {}}, 2, true},
		{"a source not in the run", []outcome{{}, {}, {}, {}}, 3, true},
		{"waits for none", []outcome{{err: ErrInterrupted}, {}, {}, {}}, 0, false},
	}
	for _, tc := range tests {
		if got := blocked(plan, work, tc.outcomes, done, tc.idx) != ""; got != tc.blocked {
			t.Errorf("%s: blocked %v, want %v", tc.name, got, tc.blocked)
		}
	}
}
