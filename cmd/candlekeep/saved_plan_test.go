package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/ohlc"
	"github.com/feefifofunds/candlekeep/planner"
)

func TestSavePlanIsAtomic(t *testing.T) {
	dir := t.TempDir()
	var stdout bytes.Buffer
	env := &cliEnv{dir: dir, stdout: &stdout, stderr: &stdout}
	p := &planner.Plan{Now: 1795825800, Lineage: "lin", Serial: 3, ConfigDigest: "c", InventoryDigest: "i",
		Actions: []planner.Action{{Kind: planner.BackfillAPI, Series: ohlc.Series{Pair: "XBTUSD", Interval: 60}, Span: ohlc.Span{Start: 0, End: 3600}, Estimate: 1, Requests: 1}}}

	// An old plan under the name is replaced whole.
	if err := os.WriteFile(filepath.Join(dir, "tomorrow.plan"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := savePlan(env, p, "tomorrow.plan", true); err != nil {
		t.Fatal(err)
	}
	got, _, err := readSavedPlan(env, "tomorrow.plan")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("saved plan (-want +got):\n%s", diff)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("the folder holds %v, want only tomorrow.plan: a temporary file was left", entries)
	}
	if !strings.Contains(stdout.String(), "To perform exactly these actions, run: candlekeep -chdir="+dir+" apply tomorrow.plan\n") {
		t.Errorf("announcement = %q", stdout.String())
	}

	// A folder that does not exist: an error, and nothing written.
	if err := savePlan(env, p, "missing/tomorrow.plan", false); err == nil {
		t.Error("savePlan into a missing folder succeeded")
	}
}
