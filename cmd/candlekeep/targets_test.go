package main

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/planner"
)

func TestRenderPartialWarning(t *testing.T) {
	tests := []struct {
		targets []string
		want    string
	}{
		{targets: nil, want: ""},
		{targets: []string{"tier.TIER1"}, want: "\nWarning: this plan is partial: only -target=tier.TIER1 was planned; the rest of the configuration was not looked at.\n" +
			"Run without -target to see everything the configuration still needs.\n"},
		{targets: []string{"coverage.daily", "series.XBTUSD/60", "tier.TIER2"}, want: "\nWarning: this plan is partial: only -target=coverage.daily, -target=series.XBTUSD/60 and -target=tier.TIER2 were planned; the rest of the configuration was not looked at.\n" +
			"Run without -target to see everything the configuration still needs.\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		renderPartialWarning(&buf, &planner.Plan{Targets: tt.targets}, style{})
		if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
			t.Errorf("targets %q (-want +got):\n%s", tt.targets, diff)
		}
	}
}

func TestTargetFlag(t *testing.T) {
	var f targetFlag
	for _, v := range []string{"tier.TIER1", "series.XBTUSD/1h"} {
		if err := f.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff("tier.TIER1,series.XBTUSD/60", f.String()); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
	if err := f.Set("tier."); err == nil {
		t.Error("Set accepted tier.")
	}
	if len(f.targets) != 2 {
		t.Errorf("%d targets after a refused one, want 2", len(f.targets))
	}
}
