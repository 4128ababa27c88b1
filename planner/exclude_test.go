package planner

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestComputeExcludes(t *testing.T) {
	tests := []struct {
		name         string
		targets      []string
		excludes     []string
		wantExcludes []string
		wantSeries   []string
	}{
		{name: "a tier left out of everything", excludes: []string{"tier.TIER1"},
			wantSeries: []string{"ADAUSD/1440", "STORJUSD/60"}},
		{name: "a coverage block left out", excludes: []string{"coverage.hourly"},
			wantSeries: []string{"ADAUSD/1440", "ETHUSD/1440", "XBTUSD/1440"}},
		{name: "one series left out", excludes: []string{"series.XBTUSD/1h"}, wantExcludes: []string{"series.XBTUSD/60"},
			wantSeries: []string{"ADAUSD/1440", "ETHUSD/60", "ETHUSD/1440", "STORJUSD/60", "XBTUSD/1440"}},
		{name: "excludes add up, sorted and once each", excludes: []string{"tier.TIER2", "coverage.hourly", "tier.TIER2"},
			wantExcludes: []string{"coverage.hourly", "tier.TIER2"},
			wantSeries:   []string{"ETHUSD/1440", "XBTUSD/1440"}},
		{name: "out of what a target selected", targets: []string{"tier.TIER1"}, excludes: []string{"series.XBTUSD/60"},
			wantSeries: []string{"ETHUSD/60", "ETHUSD/1440", "XBTUSD/1440"}},
		{name: "an exclude outside the targets changes nothing", targets: []string{"tier.TIER2"}, excludes: []string{"coverage.hourly"},
			wantSeries: []string{"ADAUSD/1440"}},
		{name: "everything a target selected left out", targets: []string{"tier.TIER2"}, excludes: []string{"series.ADAUSD/1440"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := targetConfig(t)
			excludes := mustTargets(t, tt.excludes...)
			if err := CheckExcludes(cfg, excludes); err != nil {
				t.Fatal(err)
			}
			plan := Compute(Input{Config: cfg, Now: at(t, "2026-01-01"), Targets: mustTargets(t, tt.targets...), Excludes: excludes})
			if diff := cmp.Diff(tt.wantSeries, seriesOf(plan)); diff != "" {
				t.Errorf("planned series (-want +got):\n%s", diff)
			}
			wantExcludes := tt.wantExcludes
			if wantExcludes == nil {
				wantExcludes = tt.excludes
			}
			if diff := cmp.Diff(wantExcludes, plan.Excludes); diff != "" {
				t.Errorf("plan excludes (-want +got):\n%s", diff)
			}
			if !plan.Partial() {
				t.Error("a plan with excludes is not partial")
			}
			// The scope is what remains; here every remaining series has
			// an action.
			var scope []string
			for _, s := range plan.Scope {
				scope = append(scope, s.String())
			}
			if diff := cmp.Diff(tt.wantSeries, scope); diff != "" {
				t.Errorf("plan scope (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExcludesDigest: excludes are part of a plan's identity, and plans
// without them keep the digests they had before excludes existed.
func TestExcludesDigest(t *testing.T) {
	cfg := targetConfig(t)
	now := at(t, "2026-01-01")
	byTarget := Compute(Input{Config: cfg, Now: now, Targets: mustTargets(t, "tier.TIER2")})
	// The same series, selected by leaving out everything else.
	byExclude := Compute(Input{Config: cfg, Now: now, Targets: mustTargets(t, "tier.TIER2", "coverage.hourly"), Excludes: mustTargets(t, "coverage.hourly")})
	if diff := cmp.Diff(byTarget.Listing(), byExclude.Listing()); diff != "" {
		t.Fatalf("the two plans differ in actions (-target +exclude):\n%s", diff)
	}
	if byTarget.Digest() == byExclude.Digest() {
		t.Error("a plan with excludes has the digest of one without")
	}
	withoutExcludes := *byTarget
	withoutExcludes.Excludes = []string{}
	if withoutExcludes.Digest() != byTarget.Digest() {
		t.Error("an empty exclude list changed the digest")
	}
}

func TestCheckExcludes(t *testing.T) {
	tests := []struct {
		name     string
		excludes []string
		want     []string
	}{
		{name: "all select something", excludes: []string{"tier.TIER2", "series.STORJUSD/60"}},
		{name: "none"},
		{name: "named like -exclude", excludes: []string{"tier.NOPE", "tier.TIER1"},
			want: []string{`-exclude=tier.NOPE: the configuration has no tier "NOPE"; its tiers are TIER1, TIER2, UNUSED`}},
		{name: "a tier no block uses", excludes: []string{"tier.UNUSED"},
			want: []string{`-exclude=tier.UNUSED: tier "UNUSED" is in no coverage block, so it selects no series`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckExcludes(targetConfig(t), mustTargets(t, tt.excludes...))
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckExcludes errors (-want +got):\n%s", diff)
			}
		})
	}
}
