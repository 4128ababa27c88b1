package workspace

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/planner"
)

func TestChangedFiles(t *testing.T) {
	load := func(member, fp string) planner.Action {
		return planner.Action{Kind: planner.LoadCSV, CSV: &planner.CSVSource{Dump: "d", Member: member, Fingerprint: fp}}
	}
	saved := &planner.Plan{Actions: []planner.Action{load("a.csv", "1"), load("b.csv", "1"), load("c.csv", "1")}}
	present := &planner.Plan{Actions: []planner.Action{load("a.csv", "1"), load("b.csv", "2"), load("d.csv", "1")}}
	want := []string{"d › b.csv (changed)", "d › c.csv (no longer loaded)", "d › d.csv (new)"}
	if diff := cmp.Diff(want, changedFiles(saved, present)); diff != "" {
		t.Errorf("changedFiles (-want +got):\n%s", diff)
	}
}

// A refused saved plan is an error a caller can tell apart, holding no
// hint (those are the CLI's).
func TestStaleErrorIsData(t *testing.T) {
	var err error = &StaleError{Changes: []string{"state was written since (serial 1 → 2)"}}
	var stale *StaleError
	if !errors.As(err, &stale) || len(stale.Changes) != 1 {
		t.Fatalf("errors.As: %v", err)
	}
	if strings.Contains(err.Error(), "candlekeep ") {
		t.Errorf("the error names a command: %s", err)
	}
}
