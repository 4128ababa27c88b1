package config

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

func TestRebuildBlock(t *testing.T) {
	tests := []struct {
		name  string
		block string
		want  Rebuild
	}{
		{name: "no block: off", block: "api {\n}\n", want: DefaultRebuild()},
		{name: "an empty block turns rebuilds on", block: "api {\n  rebuild {\n  }\n}\n",
			want: Rebuild{Enabled: true, MaxRequests: DefaultRebuildMaxRequests, TradesPerDay: DefaultTradesPerDay}},
		{name: "every attribute", block: "api {\n  rate_limit = \"2/s\"\n  rebuild {\n    enabled = false\n    max_requests = 60\n    pair_rate_limit = \"30/m\"\n    trades_per_day = 500\n  }\n}\n",
			want: Rebuild{Enabled: false, MaxRequests: 60, PairRateLimit: 0.5, TradesPerDay: 500}},
		{name: "a duration budget", block: "api {\n  rebuild {\n    max_duration = \"30m\"\n  }\n}\n",
			want: Rebuild{Enabled: true, MaxRequests: DefaultRebuildMaxRequests, MaxDuration: 30 * time.Minute, TradesPerDay: DefaultTradesPerDay}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, writeTree(t, map[string]string{"main.hcl": tt.block + okCoverage}), LoadOptions{})
			if diff := cmp.Diff(tt.want, cfg.API.Rebuild); diff != "" {
				t.Errorf("rebuild (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRebuildBlockErrors(t *testing.T) {
	tests := []struct {
		name, block string
		want        []diagSummary
	}{
		{"a pair faster than the ceiling", "api {\n  rate_limit = \"1/s\"\n  rebuild {\n    pair_rate_limit = \"2/s\"\n  }\n}\n",
			[]diagSummary{{hcl.DiagError, "Invalid pair_rate_limit", "main.hcl", 4}}},
		{"no budget", "api {\n  rebuild {\n    max_requests = 0\n  }\n}\n",
			[]diagSummary{{hcl.DiagError, "Invalid max_requests", "main.hcl", 3}}},
		{"a duration that is none", "api {\n  rebuild {\n    max_duration = \"0s\"\n  }\n}\n",
			[]diagSummary{{hcl.DiagError, "Invalid max_duration", "main.hcl", 3}}},
		{"a duration that is not one", "api {\n  rebuild {\n    max_duration = \"soon\"\n  }\n}\n",
			[]diagSummary{{hcl.DiagError, "Invalid max_duration", "main.hcl", 3}}},
		{"no trades", "api {\n  rebuild {\n    trades_per_day = -1\n  }\n}\n",
			[]diagSummary{{hcl.DiagError, "Invalid trades_per_day", "main.hcl", 3}}},
		{"two blocks", "api {\n  rebuild {\n  }\n  rebuild {\n  }\n}\n",
			[]diagSummary{{hcl.DiagError, "Duplicate rebuild block", "main.hcl", 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Load(writeTree(t, map[string]string{"main.hcl": tt.block + okCoverage}), LoadOptions{})
			if diff := cmp.Diff(tt.want, summarize(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPairRate(t *testing.T) {
	for _, tc := range []struct {
		r       Rebuild
		ceiling float64
		want    float64
	}{
		{Rebuild{}, 1, 1},
		{Rebuild{PairRateLimit: 0.5}, 1, 0.5},
		{Rebuild{PairRateLimit: 2}, 1, 1},
	} {
		if got := tc.r.PairRate(tc.ceiling); got != tc.want {
			t.Errorf("%+v.PairRate(%v) = %v, want %v", tc.r, tc.ceiling, got, tc.want)
		}
	}
}

func TestRebuildBudget(t *testing.T) {
	for _, tc := range []struct {
		name    string
		r       Rebuild
		ceiling float64
		want    int
		by      string
	}{
		{"requests only", Rebuild{MaxRequests: 3600}, 1, 3600, "max_requests"},
		{"a duration allowing more", Rebuild{MaxRequests: 100, MaxDuration: time.Hour}, 1, 100, "max_requests"},
		{"a duration allowing fewer", Rebuild{MaxRequests: 3600, MaxDuration: 10 * time.Minute}, 1, 600, "max_duration"},
		{"at the pair's rate", Rebuild{MaxRequests: 3600, MaxDuration: 10 * time.Minute, PairRateLimit: 0.5}, 2, 300, "max_duration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, by := tc.r.Budget(tc.ceiling)
			if got != tc.want || by != tc.by {
				t.Errorf("Budget(%v) = %d, %s; want %d, %s", tc.ceiling, got, by, tc.want, tc.by)
			}
		})
	}
}
