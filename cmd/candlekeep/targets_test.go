package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/feefifofunds/candlekeep/planner"
)

func TestRenderPartialWarning(t *testing.T) {
	tests := []struct {
		targets, excludes []string
		want              string
	}{
		{want: ""},
		{targets: []string{"tier.TIER1"}, want: "\nWarning: this plan is partial: only -target=tier.TIER1 was planned; the rest of the configuration was not looked at.\n" +
			"Run without -target to see everything the configuration still needs.\n"},
		{targets: []string{"coverage.daily", "series.XBTUSD/60", "tier.TIER2"}, want: "\nWarning: this plan is partial: only -target=coverage.daily, -target=series.XBTUSD/60 and -target=tier.TIER2 were planned; the rest of the configuration was not looked at.\n" +
			"Run without -target to see everything the configuration still needs.\n"},
		{excludes: []string{"tier.TIER2"}, want: "\nWarning: this plan is partial: -exclude=tier.TIER2 was left out and not looked at; the rest of the configuration was planned.\n" +
			"Run without -exclude to see everything the configuration still needs.\n"},
		{excludes: []string{"series.XBTUSD/60", "tier.TIER2"}, want: "\nWarning: this plan is partial: -exclude=series.XBTUSD/60 and -exclude=tier.TIER2 were left out and not looked at; the rest of the configuration was planned.\n" +
			"Run without -exclude to see everything the configuration still needs.\n"},
		{targets: []string{"tier.TIER1"}, excludes: []string{"series.XBTUSD/60"}, want: "\nWarning: this plan is partial: only -target=tier.TIER1 was planned, and of that -exclude=series.XBTUSD/60 was left out; the rest of the configuration was not looked at.\n" +
			"Run without -target and -exclude to see everything the configuration still needs.\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		renderPartialWarning(&buf, &planner.Plan{Targets: tt.targets, Excludes: tt.excludes}, style{})
		if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
			t.Errorf("targets %q, excludes %q (-want +got):\n%s", tt.targets, tt.excludes, diff)
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

func TestSavedSelection(t *testing.T) {
	sel, err := savedSelection(&planner.Plan{Targets: []string{"tier.TIER1"}, Excludes: []string{"series.XBTUSD/60", "coverage.daily"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"tier.TIER1", "series.XBTUSD/60,coverage.daily"}, []string{sel.targets.String(), sel.excludes.String()}); diff != "" {
		t.Errorf("selection (-want +got):\n%s", diff)
	}
	if _, err := savedSelection(&planner.Plan{Excludes: []string{"nope"}}); err == nil || !strings.HasPrefix(err.Error(), "saved plan: ") {
		t.Errorf("savedSelection of a bad exclude = %v", err)
	}
}
