package config

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

func freshnessCoverage(freshness string) string {
	return `
coverage "c" {
  pairs     = ["XBTUSD"]
  intervals = [60]
  from      = "2020-01-01"
` + freshness + `}
`
}

// TestFreshnessAndRetention decodes freshness, gaps and runs blocks.
func TestFreshnessAndRetention(t *testing.T) {
	tests := []struct {
		name          string
		src           string
		wantFreshness Freshness
		wantRetention Retention
	}{
		{
			name:          "none: no check, default retention",
			src:           freshnessCoverage(""),
			wantRetention: DefaultRetention(),
		},
		{
			name:          "both thresholds",
			src:           freshnessCoverage("  freshness {\n    warn_after  = \"2h\"\n    error_after = \"1d2h\"\n  }\n"),
			wantFreshness: Freshness{WarnAfter: 2 * time.Hour, ErrorAfter: 26 * time.Hour},
			wantRetention: DefaultRetention(),
		},
		{
			name:          "warn only",
			src:           freshnessCoverage("  freshness { warn_after = \"90m\" }\n"),
			wantFreshness: Freshness{WarnAfter: 90 * time.Minute},
			wantRetention: DefaultRetention(),
		},
		{
			name:          "error only",
			src:           freshnessCoverage("  freshness { error_after = \"3h\" }\n"),
			wantFreshness: Freshness{ErrorAfter: 3 * time.Hour},
			wantRetention: DefaultRetention(),
		},
		{
			name:          "retention set",
			src:           freshnessCoverage("") + "gaps { retention = \"30d\" }\nruns { retention = \"1w\" }\n",
			wantRetention: Retention{Gaps: 30 * 24 * time.Hour, Runs: 7 * 24 * time.Hour},
		},
		{
			name:          "runs only keeps the gaps default",
			src:           freshnessCoverage("") + "runs { retention = \"365d\" }\n",
			wantRetention: Retention{Gaps: DefaultGapRetention, Runs: 365 * 24 * time.Hour},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, writeTree(t, map[string]string{"main.hcl": tt.src}), LoadOptions{})
			if diff := cmp.Diff(tt.wantFreshness, cfg.Coverage[0].Freshness); diff != "" {
				t.Errorf("freshness (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRetention, cfg.Retention); diff != "" {
				t.Errorf("retention (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFreshnessAndRetentionErrors checks each mistake is diagnosed at its
// own line.
func TestFreshnessAndRetentionErrors(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []diagSummary
		detail string
	}{
		{
			name: "empty freshness",
			src:  freshnessCoverage("  freshness {\n  }\n"),
			want: []diagSummary{{hcl.DiagError, "Empty freshness block", "main.hcl", 6}},
		},
		{
			name:   "error before warn",
			src:    freshnessCoverage("  freshness {\n    warn_after  = \"26h\"\n    error_after = \"2h\"\n  }\n"),
			want:   []diagSummary{{hcl.DiagError, "error_after before warn_after", "main.hcl", 8}},
			detail: "must not be shorter than warn_after",
		},
		{
			name:   "bad duration",
			src:    freshnessCoverage("  freshness {\n    warn_after = \"2 hours\"\n  }\n"),
			want:   []diagSummary{{hcl.DiagError, "Invalid warn_after", "main.hcl", 7}},
			detail: `Duration "2 hours"`,
		},
		{
			name:   "zero duration",
			src:    freshnessCoverage("  freshness { error_after = \"0h\" }\n"),
			want:   []diagSummary{{hcl.DiagError, "Invalid error_after", "main.hcl", 6}},
			detail: "must be longer than zero",
		},
		{
			name: "unknown attribute and second block",
			src:  freshnessCoverage("  freshness {\n    warn_afer = \"2h\"\n  }\n  freshness { warn_after = \"1h\" }\n"),
			want: []diagSummary{
				{hcl.DiagError, "Unsupported argument", "main.hcl", 7},
				{hcl.DiagError, "Duplicate freshness block", "main.hcl", 9},
			},
		},
		{
			name: "retention missing, zero and duplicated",
			src:  freshnessCoverage("") + "gaps {\n}\nruns { retention = \"0d\" }\nruns { retention = \"1d\" }\n",
			want: []diagSummary{
				{hcl.DiagError, "Missing required argument", "main.hcl", 7},
				{hcl.DiagError, "Invalid retention", "main.hcl", 9},
				{hcl.DiagError, "Duplicate runs block", "main.hcl", 10},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := Load(writeTree(t, map[string]string{"main.hcl": tt.src}), LoadOptions{})
			if diff := cmp.Diff(tt.want, summarize(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%s", diff, diags.Error())
			}
			var b strings.Builder
			if err := WriteDiagnostics(&b, cfg.Files, diags, 0, false); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tt.detail) {
				t.Errorf("diagnostics lack %q:\n%s", tt.detail, b.String())
			}
		})
	}
}
