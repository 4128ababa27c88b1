package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// TestLostSeverity decodes lost_severity per coverage block, and its
// default.
func TestLostSeverity(t *testing.T) {
	tests := []struct {
		name string
		attr string
		want Severity
	}{
		{"default", "", SeverityError},
		{"warn", "  lost_severity = \"warn\"\n", SeverityWarn},
		{"error", "  lost_severity = \"error\"\n", SeverityError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, writeTree(t, map[string]string{"main.hcl": freshnessCoverage(tt.attr)}), LoadOptions{})
			if diff := cmp.Diff(tt.want, cfg.Coverage[0].Lost()); diff != "" {
				t.Errorf("lost_severity (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLostSeverityInvalid(t *testing.T) {
	_, diags := Load(writeTree(t, map[string]string{"main.hcl": freshnessCoverage("  lost_severity = \"fatal\"\n")}), LoadOptions{})
	want := []diagSummary{{hcl.DiagError, "Invalid lost_severity", "main.hcl", 6}}
	if diff := cmp.Diff(want, summarize(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}
