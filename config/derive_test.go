package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/feefifofunds/candlekeep/ohlc"
)

func deriveCoverage(intervals, attr string) string {
	return `
coverage "c" {
  pairs     = ["XBTUSD"]
  intervals = ` + intervals + `
  from      = "2020-01-01"
` + attr + `}
`
}

// TestDeriveFrom decodes derive_from in the order written: a preference,
// not a set.
func TestDeriveFrom(t *testing.T) {
	tests := []struct {
		name, intervals, attr string
		want                  []ohlc.Interval
	}{
		{"absent", "[720]", "", nil},
		{"empty", "[720]", "  derive_from = []\n", nil},
		{"preference kept", "[720, 1440]", "  derive_from = [240, \"1h\"]\n", []ohlc.Interval{240, 60}},
		{"weekly from daily", "[10080]", "  derive_from = [1440]\n", []ohlc.Interval{1440}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, writeTree(t, map[string]string{"main.hcl": deriveCoverage(tt.intervals, tt.attr)}), LoadOptions{})
			if diff := cmp.Diff(tt.want, cfg.Coverage[0].DeriveFrom); diff != "" {
				t.Errorf("derive_from (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDeriveFromInvalid diagnoses each bad source at its own line.
func TestDeriveFromInvalid(t *testing.T) {
	tests := []struct {
		name, intervals, attr string
		want                  []diagSummary
	}{
		{"15-day from weekly", "[21600]", "  derive_from = [10080]\n",
			[]diagSummary{{hcl.DiagError, "Invalid derive_from", "main.hcl", 6}}},
		{"not shorter", "[60, 1440]", "  derive_from = [\n    60,\n    15]\n",
			[]diagSummary{{hcl.DiagError, "Invalid derive_from", "main.hcl", 7}}},
		{"not dividing", "[60]", "  derive_from = [\n    15,\n    30,\n    240]\n",
			[]diagSummary{{hcl.DiagError, "Invalid derive_from", "main.hcl", 9}}},
		{"not Kraken's", "[60]", "  derive_from = [3]\n",
			[]diagSummary{{hcl.DiagError, "Invalid interval", "main.hcl", 6}}},
		{"repeated", "[720]", "  derive_from = [60, 60]\n",
			[]diagSummary{{hcl.DiagError, "Duplicate interval", "main.hcl", 6}}},
		{"not a list", "[720]", "  derive_from = 60\n",
			[]diagSummary{{hcl.DiagError, "Incorrect value type", "main.hcl", 6}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Load(writeTree(t, map[string]string{"main.hcl": deriveCoverage(tt.intervals, tt.attr)}), LoadOptions{})
			if diff := cmp.Diff(tt.want, summarize(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}
